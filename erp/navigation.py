"""The menu each role sees. An entry whose page does not exist yet is left out, so later
capabilities appear in the menu as they land."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from erp.roles import Role, has_role

S, W, P, PR, Q, M = (
    Role.SALES.value,
    Role.WAREHOUSE.value,
    Role.PURCHASING.value,
    Role.PRODUCTION.value,
    Role.QUALITY.value,
    Role.MANAGER.value,
)


# What a person of each role is called on screen (the factory's own words: 仓管, 生产课...).
# A context keeps these apart from the same English words used for places and menus
# ("Warehouse" the role is 仓管, "Warehouse" the place is 仓库).
def role_title(role: str) -> str:
    return Role(role).label


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    label: str
    entries: tuple[Entry, ...]


MENU = (
    Section(
        _("Orders"),
        (
            Entry(_("Customer orders"), "orders:order-list", (S, W, P, PR, M)),
            Entry(_("Orders short of material"), "orders:material-list", (S, W, P, M)),
            Entry(_("Order change notices"), "orders:change-list", (S, PR, M)),
            Entry(_("Credit approvals"), "orders:credit-approval-list", (M,)),
            Entry(_("Margin floor"), "orders:margin-floor", (M,)),
        ),
    ),
    Section(
        _("Receivables"),
        (
            Entry(_("Invoices"), "orders:invoice-list", (S, M)),
            Entry(_("Credit notes"), "orders:credit-note-list", (S, M)),
            Entry(_("Payments"), "orders:payment-list", (S, M)),
            Entry(_("Receivables aging"), "orders:receivables-aging", (S, M)),
        ),
    ),
    Section(
        _("Warehouse"),
        (
            Entry(_("Warehouse slips"), "orders:slip-list", (W,)),
            Entry(_("Return requests"), "orders:return-request-list", (W, PR)),
            Entry(_("Ship (delivery note)"), "orders:shipment-create", (W,)),
            Entry(_("Finished-goods receipt"), "production:fg-receipt-create", (W,)),
            Entry(_("Goods receipts"), "materials:receipt-list", (W, P, M)),
            Entry(_("Stock counts"), "materials:adjustment-list", (W, M)),
            Entry(_("Stock"), "materials:stock-list", (W, P, S, PR, M)),
            Entry(_("Purchase requisitions"), "materials:requisition-list", (P, W)),
            Entry(_("Purchase orders"), "materials:purchase-order-list", (P, W, M)),
            Entry(_("Inspections"), "materials:inspection-list", (Q, W, P, M)),
            Entry(_("MRP shortfalls"), "production:shortfall-list", (P, PR, M)),
        ),
    ),
    Section(
        _("Production"),
        (
            Entry(_("Production plan"), "production:plan-list", (S, PR, M)),
            Entry(_("Work orders"), "production:work-order-list", (PR, W, M)),
            Entry(_("Planned production"), "production:mrp-production", (PR, P, M)),
            Entry(_("Daily production report"), "production:daily-report", (PR, Q)),
            Entry(_("Nonconformance reports"), "production:ncr-list", (Q, PR, M)),
            Entry(_("In-process checks"), "production:check-list", (Q, PR, M)),
            Entry(_("Defect rates by month"), "production:defect-rates", (Q, PR, M)),
            Entry(_("Contact slips"), "production:contact-slip-list", (S, PR, M)),
            Entry(_("Machine load"), "production:machine-load", (PR, S, M)),
            Entry(_("Key-customer portfolio"), "production:portfolio", (S, PR, M)),
        ),
    ),
    Section(
        _("Customers"),
        (
            Entry(_("Customer lookup"), "crm:customer-search", (S, M)),
            Entry(_("Quotations"), "crm:quotation-list", (S, M)),
            Entry(_("Follow-ups"), "crm:followup-list", (S, M)),
            Entry(_("Complaints"), "crm:complaint-list", (S, Q, M)),
            Entry(_("Birthdays"), "customers:birthday-list", (S, M)),
            Entry(_("Customer satisfaction"), "crm:satisfaction", (S, M)),
            Entry(_("Contact analysis"), "crm:contact-analysis", (S, M)),
        ),
    ),
    Section(
        _("Master data"),
        (
            Entry(_("Items and BOMs"), "materials:item-list", (S, W, P, PR, Q, M)),
            Entry(_("Defect-control table"), "materials:process-list", (PR, Q, M, W)),
            Entry(_("Customers"), "crm:customer-list", (S, M)),
            Entry(_("Suppliers"), "materials:supplier-list", (P, W, Q, PR, M)),
            Entry(_("Suppliers' incoming quality"), "materials:supplier-quality", (Q, P, M)),
        ),
    ),
    Section(
        _("Reports"),
        (
            Entry(_("Profit dashboard"), "reports:dashboard", (M,)),
            Entry(_("Customer profit ranking"), "reports:customer-profit", (M,)),
            Entry(_("Product profit table"), "reports:product-profit", (M,)),
            Entry(_("Customer tiers"), "reports:tiers", (M,)),
            Entry(_("Sales commissions"), "reports:commissions", (S, M)),
            Entry(_("On-time delivery"), "reports:on-time-delivery", (M,)),
            Entry(_("Stock value and turns"), "reports:inventory-turns", (M,)),
            Entry(_("Purchase lead time"), "reports:purchase-lead-time", (M,)),
            Entry(_("Factory workbook"), "reports:workbook", (M,)),
        ),
    ),
)


# The administrator's card on the home page: the admin site first (staff only), then the
# master data and the workbook.
ADMIN_LINKS = (
    Entry(_("Administration"), "admin:index", ()),
    Entry(_("Users and roles"), "admin:auth_user_changelist", ()),
    Entry(_("Items and BOMs"), "materials:item-list", ()),
    Entry(_("Factory workbook"), "reports:workbook", ()),
)


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def menu_for(user) -> list[dict]:
    sections = []
    for section in MENU:
        entries = []
        for entry in section.entries:
            if not has_role(user, *entry.roles):
                continue
            url = _url(entry.url_name)
            if url:
                entries.append({"label": entry.label, "url": url})
        if entries:
            sections.append({"label": section.label, "entries": entries})
    return sections


def links_for_role(user, role: str) -> list[dict]:
    """The pages where `role` does its daily work, for its card on the home page."""
    if role == Role.ADMIN.value:
        entries = [e for e in ADMIN_LINKS if user.is_staff or not e.url_name.startswith("admin:")]
    else:
        entries = [e for section in MENU for e in section.entries if role in e.roles]
    links = []
    for entry in entries:
        url = _url(entry.url_name)
        if url:
            links.append({"label": entry.label, "url": url})
    return links
