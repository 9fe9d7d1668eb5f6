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
    """Raising requisitions from MRP is purchasing's (and the administrator's) right; the
    warehouse raises its own purchase requests for stock below safety stock instead."""
    return user.has_perms(
        ["materials.add_purchaserequisition", "materials.change_purchaserequisition"]
    )
