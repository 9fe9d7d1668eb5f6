from rest_framework.permissions import DjangoModelPermissions

from erp.roles import has_role


class ModelPermissions(DjangoModelPermissions):
    """Django model permissions, reading included: a role sees only what its table grants."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }


def role_permission(*roles: str):
    """A DRF permission class admitting users who hold one of `roles` (admins always)."""
    from rest_framework.permissions import BasePermission

    class HasRole(BasePermission):
        message = "Your role may not do this."

        def has_permission(self, request, view) -> bool:
            return bool(
                request.user and request.user.is_authenticated and has_role(request.user, *roles)
            )

    HasRole.__name__ = f"HasRole_{'_'.join(roles) or 'admin'}"
    return HasRole
