"""The factory's roles, as Django groups with their permissions.

One table says what each role may do; `sync_roles` writes it to the database after every
migrate and from `python manage.py sync_roles`.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import TextChoices
from django.utils.translation import pgettext_lazy


class Role(TextChoices):
    SALES = "sales", pgettext_lazy("role", "Sales follow-up")
    WAREHOUSE = "warehouse", pgettext_lazy("role", "Warehouse")
    PURCHASING = "purchasing", pgettext_lazy("role", "Purchasing")
    PRODUCTION = "production", pgettext_lazy("role", "Production")
    QUALITY = "quality", pgettext_lazy("role", "Quality")
    MANAGER = "manager", pgettext_lazy("role", "Manager")
    ADMIN = "admin", pgettext_lazy("role", "Administrator")


VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ALL = (VIEW, ADD, CHANGE, DELETE)
EDIT = (VIEW, ADD, CHANGE)

MASTER_VIEW = {
    "materials": {
        "item": (VIEW,),
        "bomline": (VIEW,),
        "process": (VIEW,),
        "workcenter": (VIEW,),
        "routing": (VIEW,),
        "warehouse": (VIEW,),
        "location": (VIEW,),
        "supplier": (VIEW,),
        "stockbalance": (VIEW,),
        "stockmove": (VIEW,),
    },
    # Customers' contacts and phone numbers are confidential: CUSTOMER_PEOPLE_VIEW below.
    "customers": {"customer": (VIEW,)},
    "orders": {"salesorder": (VIEW,), "salesorderline": (VIEW,), "shipment": (VIEW,)},
}
# A customer's people and numbers, for the roles that deal with the customer (sales has
# them through its own edit rights); customers.access.sees_customer_contacts says the same.
CUSTOMER_PEOPLE_VIEW = {"customers": {"contact": (VIEW,), "customerphone": (VIEW,)}}
# Invoices and credit notes (销售发票 / 红字发票): accounting work. The manager (or an admin
# acting as accountant) issues them; sales follow-up reads them (selling prices, no
# margins); the warehouse, purchasing, production and quality have no access.
INVOICE_VIEW = {
    "orders": {
        "invoice": (VIEW,),
        "invoiceline": (VIEW,),
        "creditnote": (VIEW,),
        "creditnoteline": (VIEW,),
    }
}
INVOICE_ISSUE = {"orders": {"invoice": (VIEW, ADD, CHANGE), "creditnote": (VIEW, ADD)}}
# Documents every role may read: what happened to an order and to the stock.
DOCUMENT_VIEW = {
    "orders": {
        "orderchange": (VIEW,),
        "materialslip": (VIEW,),
        "materialslipline": (VIEW,),
        "ordermaterial": (VIEW,),
        "workordermaterial": (VIEW,),
    },
    "materials": {
        "purchaserequisition": (VIEW,),
        "requisitionline": (VIEW,),
        "purchaseorder": (VIEW,),
        "purchaseorderline": (VIEW,),
        "goodsreceipt": (VIEW,),
        "stockadjustment": (VIEW,),
        "inspectionlot": (VIEW,),
        "inspectiondecision": (VIEW,),
        "supplierreturn": (VIEW,),
        "defectratechange": (VIEW,),
    },
    "production": {
        "nonconformance": (VIEW,),
        "inprocesscheck": (VIEW,),
        "workorder": (VIEW,),
        "finishedgoodsreceipt": (VIEW,),
        "mrprun": (VIEW,),
        "plannedorder": (VIEW,),
        "productionplan": (VIEW,),
        "planline": (VIEW,),
        "downtime": (VIEW,),
        "dailyreport": (VIEW,),
        "dailydefect": (VIEW,),
        "contactslip": (VIEW,),
        "portfolio": (VIEW,),
        "portfolioline": (VIEW,),
        "portfoliostep": (VIEW,),
    },
}


def merge(*tables: dict) -> dict[str, dict[str, tuple[str, ...]]]:
    """Union of permission tables: app -> model -> actions."""
    merged: dict[str, dict[str, set[str]]] = {}
    for table in tables:
        for app, models in table.items():
            for model, actions in models.items():
                merged.setdefault(app, {}).setdefault(model, set()).update(actions)
    return {a: {m: tuple(sorted(acts)) for m, acts in ms.items()} for a, ms in merged.items()}


# role -> app -> model -> actions. Roles see master data; each edits only its own work.
ROLE_PERMISSIONS: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    Role.SALES: merge(
        MASTER_VIEW,
        DOCUMENT_VIEW,
        INVOICE_VIEW,
        {
            "customers": {"customer": EDIT, "contact": ALL, "customerphone": ALL},
            "orders": {"salesorder": EDIT, "salesorderline": ALL, "orderchange": EDIT},
            "production": {
                "productionplan": EDIT,
                "planline": ALL,
                "contactslip": (VIEW, CHANGE),
                "portfolio": (VIEW, CHANGE),
            },
        },
    ),
    Role.WAREHOUSE: merge(
        MASTER_VIEW,
        DOCUMENT_VIEW,
        {
            "materials": {
                "stockmove": (VIEW, ADD),
                "purchaseorderline": (VIEW, CHANGE),
                "goodsreceipt": EDIT,
                "stockadjustment": (VIEW, ADD),
                # 仓库: 物料的请购 - the warehouse raises purchase requests.
                "purchaserequisition": (VIEW, ADD),
                "requisitionline": (VIEW, ADD),
                # Rejected goods leave the warehouse back to the supplier (退货单).
                "supplierreturn": (VIEW, ADD),
            },
            "orders": {
                "shipment": EDIT,
                "materialslip": (VIEW, ADD),
                "materialslipline": (VIEW, ADD),
                "returnrequest": (VIEW,),
            },
            "production": {"finishedgoodsreceipt": (VIEW, ADD)},
        },
    ),
    Role.PURCHASING: merge(
        MASTER_VIEW,
        DOCUMENT_VIEW,
        {
            "materials": {
                "supplier": EDIT,
                "purchaseorder": EDIT,
                "purchaseorderline": ALL,
                "purchaserequisition": EDIT,
                "requisitionline": ALL,
                "supplierreturn": (VIEW, ADD),
            },
        },
    ),
    Role.PRODUCTION: merge(
        MASTER_VIEW,
        DOCUMENT_VIEW,
        {
            "materials": {"workcenter": EDIT, "routing": ALL},
            # 退料申请: the shop floor asks; the warehouse confirms with a return slip.
            "orders": {"returnrequest": (VIEW, ADD)},
            "production": {
                "workorder": EDIT,
                "productionplan": (VIEW, "approve_productionplan"),
                "downtime": ALL,
                "dailyreport": EDIT,
                "dailydefect": ALL,
                "contactslip": (VIEW, ADD),
                "portfolio": (VIEW, ADD, CHANGE, "plan_portfolio"),
            },
        },
    ),
    Role.QUALITY: merge(
        MASTER_VIEW,
        DOCUMENT_VIEW,
        CUSTOMER_PEOPLE_VIEW,
        # 品管课: the defect-control table and inspection decisions (执行检验).
        {
            "materials": {"process": EDIT, "inspectiondecision": (VIEW, ADD)},
            "production": {"nonconformance": EDIT, "inprocesscheck": (VIEW, ADD)},
        },
    ),
    Role.MANAGER: merge(
        MASTER_VIEW,
        DOCUMENT_VIEW,
        CUSTOMER_PEOPLE_VIEW,
        INVOICE_VIEW,
        INVOICE_ISSUE,
        {
            "materials": {"stockadjustment": ("approve_stockadjustment",)},
            "production": {
                "portfolio": (VIEW, ADD, CHANGE, "agree_portfolio"),
                # The manager takes part in deciding what happens to nonconforming goods.
                "nonconformance": (VIEW, CHANGE),
            },
            "erp": {"profile": ("view_profit", "export_workbook")},
        },
    ),
}
# Credit approvals (订单审核, CONTRACT 8): managers decide; sales reads those of its own orders.
for _role, _actions in ((Role.SALES, (VIEW,)), (Role.MANAGER, (VIEW, CHANGE))):
    ROLE_PERMISSIONS[_role] = merge(
        ROLE_PERMISSIONS[_role], {"orders": {"creditapproval": _actions}}
    )
# Payments (收款) and allocations (核销, CONTRACT 8): managers (accountant work) record,
# allocate and reverse; sales reads its own customers' (orders.receivables.payment_selectors).
for _role, _actions in ((Role.SALES, (VIEW,)), (Role.MANAGER, (VIEW, ADD))):
    ROLE_PERMISSIONS[_role] = merge(
        ROLE_PERMISSIONS[_role],
        {"orders": {m: _actions for m in ("payment", "allocation", "paymentreversal")}},
    )
# Admin: every permission of the project's apps, plus the custom ones.
PROJECT_APPS = ("erp", "customers", "crm", "materials", "orders", "production", "reports")


def permissions_for(role: str) -> list[Permission]:
    perms = Permission.objects.select_related("content_type")
    if role == Role.ADMIN:
        return list(perms.filter(content_type__app_label__in=(*PROJECT_APPS, "authtoken")))
    wanted: set[tuple[str, str]] = set()
    for app, models in ROLE_PERMISSIONS[role].items():
        for model, actions in models.items():
            for action in actions:
                codename = action if "_" in action else f"{action}_{model}"
                wanted.add((app, codename))
    return [p for p in perms if (p.content_type.app_label, p.codename) in wanted]


def sync_roles() -> dict[str, int]:
    """Create the role groups and set their permissions exactly as the table says."""
    counts = {}
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        perms = permissions_for(role.value)
        group.permissions.set(perms)
        counts[role.value] = len(perms)
    return counts


def sync_roles_after_migrate(sender, **kwargs) -> None:
    from django.conf import settings

    if sender.name == settings.INSTALLED_APPS[-1]:
        sync_roles()


def user_roles(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_erp_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            names.add(Role.ADMIN.value)
        cached = frozenset(names & set(Role.values))
        user._erp_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    """True when the user holds one of `roles`; administrators hold every role."""
    held = user_roles(user)
    return Role.ADMIN.value in held or bool(held & set(roles))


def can_see_costs(user) -> bool:
    """Profit and cost figures are for managers and administrators."""
    return has_role(user, Role.MANAGER.value)
