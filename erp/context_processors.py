from erp.navigation import menu_for, role_title
from erp.roles import Role, can_see_costs, user_roles


def roles(request):
    user = getattr(request, "user", None)
    held = user_roles(user) if user is not None else frozenset()
    return {
        "user_roles": held,
        "role_labels": [role_title(r) for r in Role.values if r in held],
        "can_see_costs": bool(user is not None and can_see_costs(user)),
        "nav_menu": menu_for(user) if user is not None and user.is_authenticated else [],
    }
