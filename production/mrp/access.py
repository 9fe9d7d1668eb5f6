"""Who may see MRP results, run MRP, and turn shortfalls into requisitions."""

from erp.roles import Role, has_role

# The material controller is the purchasing role; the warehouse and production read too.
VIEW_ROLES = (Role.PURCHASING, Role.MANAGER, Role.WAREHOUSE, Role.PRODUCTION)
RUN_ROLES = (Role.PURCHASING, Role.MANAGER)


def may_view(user) -> bool:
    return has_role(user, *VIEW_ROLES)


def may_run(user) -> bool:
    return has_role(user, *RUN_ROLES)


def may_requisition(user) -> bool:
    """Raising a purchase requisition is purchasing's (and the administrator's) right."""
    return user.has_perm("materials.add_purchaserequisition")
