"""Load the demo factory: one user per role, then the factory through the workbook import."""

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from erp.models import Profile
from erp.roles import Role, sync_roles
from reports.demo.generator import build_demo_workbook
from reports.demo.receivables import bill_recent_shipments

DEMO_MARKER_CUSTOMER = "C0001"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    full_name: str


DEMO_USERS = [
    DemoLogin("sales", "sales123", Role.SALES.value, "Wang Fang 王芳"),
    DemoLogin("warehouse", "warehouse123", Role.WAREHOUSE.value, "Zhao Lei 赵磊"),
    DemoLogin("purchasing", "purchasing123", Role.PURCHASING.value, "Liu Yang 刘洋"),
    DemoLogin("production", "production123", Role.PRODUCTION.value, "Chen Jie 陈杰"),
    DemoLogin("quality", "quality123", Role.QUALITY.value, "Yang Min 杨敏"),
    DemoLogin("manager", "manager123", Role.MANAGER.value, "Huang Tao 黄涛"),
    DemoLogin("admin", "admin123", Role.ADMIN.value, "Admin 系统管理员"),
]


@transaction.atomic
def create_demo_users() -> list[DemoLogin]:
    """One user per role with a known password (change them before real use)."""
    sync_roles()
    user_model = get_user_model()
    for login in DEMO_USERS:
        user, _created = user_model.objects.get_or_create(username=login.username)
        user.set_password(login.password)
        user.first_name = login.full_name
        user.is_staff = login.role == Role.ADMIN.value
        user.is_superuser = login.role == Role.ADMIN.value
        user.save()
        user.groups.set([Group.objects.get(name=login.role)])
        Profile.objects.get_or_create(user=user)
    return DEMO_USERS


def demo_loaded() -> bool:
    from customers.models import Customer

    return Customer.objects.filter(code=DEMO_MARKER_CUSTOMER).exists()


def load_demo_factory(
    *,
    scale: str = "small",
    today: dt.date | None = None,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
):
    """Create the demo users and import the demo factory; returns the import report, or
    None when the demo factory is already there (and `force` is not set). `progress` hears
    what is being done (the mid and large factories take minutes)."""
    from reports.workbook.importer import import_workbook

    say = progress or (lambda _message: None)
    create_demo_users()
    if demo_loaded() and not force:
        return None
    started = time.monotonic()
    say(f"Building the {scale} demo factory ...")
    sheets = build_demo_workbook(scale=scale, today=today or timezone.localdate())
    counts = ", ".join(f"{len(frame):,} {name}" for name, frame in sheets.items())
    say(f"Importing {counts} ({time.monotonic() - started:.0f} s) ...")
    report = import_workbook(source=sheets, user=None)
    say(f"Invoicing the recent shipments ({time.monotonic() - started:.0f} s) ...")
    invoices, payments = bill_recent_shipments(today=today or timezone.localdate())
    say(f"  {invoices:,} invoices, {payments:,} payments.")
    prepare_demo_views(progress=say, started=started)
    return report


def prepare_demo_views(
    *, progress: Callable[[str], None] | None = None, started: float | None = None
) -> None:
    """What the nightly jobs would have computed by the morning: material availability of
    the open orders and the MRP shortfalls, so every page has something to show at once."""
    from erp.models import Notification
    from orders.availability.store import refresh_material_availability
    from production.mrp.services import run_mrp
    from reports.profit.profit_snapshots import compute_profit_snapshots
    from reports.profit.rankings import compute_rankings

    say = progress or (lambda _message: None)
    started = started or time.monotonic()
    if connection.vendor == "postgresql":  # fresh statistics, or the first pages plan badly
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    say(
        f"Computing the material availability of the open orders ({time.monotonic() - started:.0f} s) ..."
    )
    done = refresh_material_availability(tell_salespeople=False)
    say(f"  {done.lines:,} open lines, {done.rows:,} rows in {done.seconds} s.")
    say(f"Running MRP ({time.monotonic() - started:.0f} s) ...")
    run_mrp(trigger="demo")
    # Managers see the profit ranking, tiers and the dashboard's trend at once, not after
    # the first night.
    say(f"Computing the profit rankings ({time.monotonic() - started:.0f} s) ...")
    compute_rankings(trigger="demo")
    compute_profit_snapshots(trigger="demo")
    # The first material check of a loaded factory is news to nobody.
    Notification.objects.filter(read_at__isnull=True).update(read_at=timezone.now())
