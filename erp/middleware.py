from django.utils import translation


class UserLanguageMiddleware:
    """Screens speak the language the user chose in their profile (else the browser's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            profile = getattr(user, "erp_profile", None)
            language = getattr(profile, "language", "") if profile else ""
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
