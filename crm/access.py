"""Who may use the customer-relationship pages: the roles that serve customers. A page view
decorated with `roles_required(...)` answers 403 to anyone else (administrators always pass)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from erp.roles import Role, has_role

SALES, MANAGER, QUALITY = Role.SALES.value, Role.MANAGER.value, Role.QUALITY.value
# Everyone who serves the customer reads its 360 page and its history.
SERVES_CUSTOMERS = (SALES, MANAGER, QUALITY)
LOGS_CONTACTS = (SALES, MANAGER)
FOLLOWS_UP = (SALES, MANAGER)
HANDLES_COMPLAINTS = (SALES, QUALITY, MANAGER)


def roles_required(*roles: str):
    def decorate(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
