"""API token authentication that also reads the user's permissions, in one query.

Every API request checks a model permission; Django's ModelBackend reads a user's own
permissions and those of the user's groups in two queries the first time a request asks.
Reading both here, in one, saves a round trip to the database on every token request
(README "Load test": under load each round trip also waits for the CPU). The set is the
one ModelBackend would build and keeps in the same per-request cache (`_perm_cache`).
"""

from django.contrib.auth.models import Permission
from rest_framework import authentication


def permission_names(user) -> set[str]:
    """Every permission the user holds ("app_label.codename"), directly or through a
    group (ModelBackend.get_all_permissions for an active user who is not a superuser)."""
    fields = ("content_type__app_label", "codename")
    own = Permission.objects.filter(user=user).values_list(*fields).order_by()
    through_groups = Permission.objects.filter(group__user=user).values_list(*fields).order_by()
    return {f"{app}.{codename}" for app, codename in own.union(through_groups)}


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token KEY` (DRF's), with the user's permissions read at once."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if user.is_active and not user.is_superuser and not hasattr(user, "_perm_cache"):
            user._perm_cache = permission_names(user)
        return user, token
