"""A small factory for the production-plan tests, and the role permissions the plan,
daily-report and contact-slip pages need (the table proposed for erp/roles.py; granted here
to the role groups so the tests do not depend on it having landed)."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import Group, Permission

from materials.models import ItemKind
from production.planning.calendar import iso_week_label, monday_of
from tests.clock import today
from tests.factories import (
    CustomerFactory,
    ItemFactory,
    ProcessFactory,
    RoutingFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
    WorkCenterFactory,
)

D = Decimal
VIEW = ("view",)
EVERYONE_VIEWS = ("productionplan", "planline", "downtime", "dailyreport", "dailydefect")
# role -> model -> actions (custom permissions by codename), as proposed for erp/roles.py.
PLAN_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "sales": {
        "productionplan": ("view", "add", "change"),
        "planline": ("view", "add", "change", "delete"),
        "contactslip": ("view", "change"),
        "portfolio": ("view", "change"),
    },
    "production": {
        "productionplan": ("view", "approve_productionplan"),
        "downtime": ("view", "add", "change", "delete"),
        "dailyreport": ("view", "add", "change"),
        "dailydefect": ("view", "add", "change", "delete"),
        "contactslip": ("view", "add"),
        "portfolio": ("view", "add", "change", "plan_portfolio"),
    },
    "quality": {"contactslip": VIEW},
    "manager": {"contactslip": VIEW, "portfolio": ("view", "add", "change", "agree_portfolio")},
    "warehouse": {},
    "purchasing": {"contactslip": VIEW},
}


def grant_plan_permissions() -> None:
    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label="production")}
    for role, models in PLAN_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        wanted = {f"view_{model}" for model in EVERYONE_VIEWS}
        for model, actions in models.items():
            wanted |= {a if "_" in a else f"{a}_{model}" for a in actions}
        group.permissions.add(*[perms[c] for c in sorted(wanted) if c in perms])


WEEKS_BACK = 2


def monday() -> dt.date:
    """The Monday two weeks before this week's, from the factory's today when called: the
    plans' first week lies in the past, so its days may be reported, whatever day the suite
    runs (see tests/clock.py)."""
    return monday_of(today()) - dt.timedelta(weeks=WEEKS_BACK)


def day(n: int) -> dt.date:
    """The n-th day after monday() (0 = that Monday, 5 = its Saturday)."""
    return monday() + dt.timedelta(days=n)


def iso(n: int) -> str:
    """day(n) as the API and the forms write it (YYYY-MM-DD)."""
    return day(n).isoformat()


def week(n: int) -> str:
    """The ISO week label (e.g. 2026-W10) of day(n)."""
    return iso_week_label(day(n))


@dataclass
class Floor:
    machines: dict = field(default_factory=dict)
    processes: dict = field(default_factory=dict)
    items: dict = field(default_factory=dict)


def build_floor(*, hours: str = "8", days_per_week: int = 5) -> Floor:
    """Two machines (CUT, WELD) working `hours` a day Monday to Friday; item A: 10 min
    setup + 6 min/pc on CUT; item B: CUT (6 min/pc) then WELD (12 min/pc)."""
    floor = Floor()
    for code in ("CUT", "WELD"):
        floor.machines[code] = WorkCenterFactory(
            code=code, hours_per_day=D(hours), days_per_week=days_per_week
        )
        floor.processes[code] = ProcessFactory(
            code=f"P-{code}", work_center=floor.machines[code], defect_rate=D("0.02")
        )
    a = ItemFactory(code="A", kind=ItemKind.FINISHED, standard_cost=D("3"))
    b = ItemFactory(code="B", kind=ItemKind.FINISHED, standard_cost=D("4"))
    RoutingFactory(
        item=a,
        seq=10,
        process=floor.processes["CUT"],
        work_center=floor.machines["CUT"],
        minutes_per_unit=D(6),
        setup_minutes=D(0),
    )
    RoutingFactory(
        item=b,
        seq=10,
        process=floor.processes["CUT"],
        work_center=floor.machines["CUT"],
        minutes_per_unit=D(6),
    )
    RoutingFactory(
        item=b,
        seq=20,
        process=floor.processes["WELD"],
        work_center=floor.machines["WELD"],
        minutes_per_unit=D(12),
    )
    floor.items = {"A": a, "B": b}
    return floor


def order_line(
    order_no: str,
    item,
    quantity,
    *,
    due: dt.date,
    ordered: dt.date | None = None,
    price: str = "10",
    key: bool = False,
    customer: str | None = None,
    material_status: str = "covered",
    salesperson=None,
):
    """A confirmed order with one line, taken on `ordered` (default: four weeks before
    monday())."""
    code = customer or ("KEY" if key else "C-" + order_no)
    cust = CustomerFactory(code=code, key_account=key, salesperson=salesperson)
    order = SalesOrderFactory(
        order_no=order_no,
        customer=cust,
        order_date=ordered or day(-28),
        status="confirmed",
        material_status=material_status,
    )
    return SalesOrderLineFactory(
        order=order, line=1, item=item, quantity=D(quantity), unit_price=D(price), due_date=due
    )
