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
            Entry(_("Customer orders"), "orders:order-list", (S, W, PR, M)),
            Entry(_("Order change notices"), "orders:change-list", (S, PR, M)),
        ),
    ),
    Section(
        _("Warehouse"),
        (
            Entry(_("Warehouse slips"), "materials:slip-list", (W,)),
            Entry(_("Stock"), "materials:stock-list", (W, P, S, PR, M)),
            Entry(_("Purchase requisitions"), "materials:requisition-list", (P, W)),
            Entry(_("Purchase orders"), "materials:purchase-order-list", (P, W, M)),
            Entry(_("MRP shortfalls"), "materials:shortfall-list", (P, M)),
        ),
    ),
    Section(
        _("Production"),
        (
            Entry(_("Production plan"), "production:plan-list", (S, PR, M)),
            Entry(_("Daily production report"), "production:daily-report", (PR, Q)),
            Entry(_("Contact slips"), "production:contact-slip-list", (S, PR, M)),
            Entry(_("Machine load"), "production:machine-load", (PR, S, M)),
            Entry(_("Key-customer portfolio"), "production:portfolio", (S, PR, M)),
        ),
    ),
    Section(
        _("Customers"),
        (
            Entry(_("Customer lookup"), "crm:customer-search", (S, M)),
            Entry(_("Follow-ups"), "crm:followup-list", (S, M)),
            Entry(_("Complaints"), "crm:complaint-list", (S, Q, M)),
        ),
    ),
    Section(
        _("Master data"),
        (
            Entry(_("Items and BOMs"), "materials:item-list", (S, W, P, PR, Q, M)),
            Entry(_("Defect-control table"), "materials:process-list", (PR, Q, M, W)),
            Entry(_("Customers"), "crm:customer-list", (S, M)),
        ),
    ),
    Section(
        _("Reports"),
        (
            Entry(_("Profit dashboard"), "reports:dashboard", (M,)),
            Entry(_("Factory workbook"), "reports:workbook", (M,)),
        ),
    ),
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
