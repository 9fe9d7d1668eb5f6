"""The security headers Django 5.2 does not send itself.

Content-Security-Policy: every script, style sheet, image and font comes from this site
(the product uses no CDN); no inline script, no inline <style>, no plugin, no framing by
another site, forms post only here. Page behaviours live in static/erp/*.js and are
declared with data attributes (static/erp/erp.js), so nothing needs a nonce. Inline style
*attributes* (style="width: 8rem") stay allowed: they cannot run code.

Permissions-Policy: the browser features an ERP never needs are switched off for the page
and anything it embeds.

Both come from settings (CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY); an empty value
sends no header. ERP_CSP_REPORT_ONLY=1 sends the policy as Content-Security-Policy-Report-
Only, to try a change on a running site first.
"""

from django.conf import settings

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", CONTENT_SECURITY_POLICY)
        # Django's own debug pages (DEBUG only) are inline styles and scripts throughout.
        debug_page = settings.DEBUG and response.status_code in (404, 500)
        if policy and not debug_page:
            header = (
                "Content-Security-Policy-Report-Only"
                if getattr(settings, "CSP_REPORT_ONLY", False)
                else "Content-Security-Policy"
            )
            response.headers.setdefault(header, policy)
        features = getattr(settings, "PERMISSIONS_POLICY", PERMISSIONS_POLICY)
        if features:
            response.headers.setdefault("Permissions-Policy", features)
        return response
