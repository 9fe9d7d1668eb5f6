"""Benchmark of the plan proposal (issue 5: 2,000 order lines over 40 machines and 8 weeks
in under 5 s). A subcommand of `python manage.py bench` (reports/management/commands/bench.py
registers it as "plan"); it builds a synthetic factory in a transaction, times
plan_propose end to end through the service and rolls everything back."""

import datetime as dt
import random
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.utils import timezone


class Rollback(Exception):
    pass


def add_plan_arguments(parser) -> None:
    parser.add_argument("--lines", type=int, default=2000, help="customer order lines")
    parser.add_argument("--machines", type=int, default=40)
    parser.add_argument("--weeks", type=int, default=8, help="the plan's period")
    parser.add_argument("--items", type=int, default=300, help="finished items with routings")
    parser.add_argument("--seed", type=int, default=5)


def build_factory(*, lines: int, machines: int, items: int, start: dt.date, weeks: int, seed: int):
    """Machines (16 h/day, 6 days), items with 1-4 routing steps, customers (1 in 10 key),
    confirmed orders due over the period (1 in 10 not yet checked for material)."""
    from customers.models import Customer
    from materials.models import Item, Process, Routing, WorkCenter
    from orders.models import SalesOrder, SalesOrderLine

    rng = random.Random(seed)
    tag = f"BP{rng.randrange(10**6):06d}"
    centers = WorkCenter.objects.bulk_create(
        WorkCenter(code=f"{tag}-M{n:02d}", hours_per_day=Decimal(16), days_per_week=6)
        for n in range(machines)
    )
    processes = Process.objects.bulk_create(
        Process(code=f"{tag}-P{n:02d}", work_center=centers[n]) for n in range(machines)
    )
    products = Item.objects.bulk_create(
        Item(
            code=f"{tag}-F{n:04d}",
            name=f"Product {n}",
            kind="finished",
            standard_cost=Decimal(rng.randrange(5, 50)),
        )
        for n in range(items)
    )
    routings = []
    for item in products:
        for seq, m in enumerate(rng.sample(range(machines), rng.randint(1, 4)), start=1):
            routings.append(
                Routing(
                    item=item,
                    seq=seq * 10,
                    process=processes[m],
                    work_center=centers[m],
                    minutes_per_unit=Decimal(rng.randrange(1, 30)) / 10,
                    setup_minutes=Decimal(rng.choice((0, 15, 30, 60))),
                )
            )
    Routing.objects.bulk_create(routings)
    customers = Customer.objects.bulk_create(
        Customer(code=f"{tag}-C{n:03d}", name=f"Customer {n}", key_account=n % 10 == 0)
        for n in range(200)
    )
    orders = SalesOrder.objects.bulk_create(
        SalesOrder(
            order_no=f"{tag}-SO{n:05d}",
            customer=rng.choice(customers),
            order_date=start - dt.timedelta(days=10),
            status="confirmed",
            material_status="unknown" if n % 10 == 0 else "covered",
        )
        for n in range(lines)
    )
    days = weeks * 7
    SalesOrderLine.objects.bulk_create(
        SalesOrderLine(
            order=order,
            line=1,
            item=rng.choice(products),
            quantity=Decimal(rng.randrange(10, 400)),
            unit_price=Decimal(rng.randrange(10, 120)),
            due_date=start + dt.timedelta(days=rng.randrange(days)),
        )
        for order in orders
    )


def run_plan_bench(command, options: dict) -> None:
    from production.services.proposal import plan_propose

    start = timezone.localdate() + dt.timedelta(days=1)
    end = start + dt.timedelta(days=7 * options["weeks"] - 1)
    try:
        with transaction.atomic():
            began = time.monotonic()
            build_factory(
                lines=options["lines"],
                machines=options["machines"],
                items=options["items"],
                start=start,
                weeks=options["weeks"],
                seed=options["seed"],
            )
            user = get_user_model().objects.create(username=f"bench-{time.time_ns()}")
            user.user_permissions.add(
                Permission.objects.get(
                    content_type__app_label="production", codename="add_productionplan"
                )
            )
            user = get_user_model().objects.get(pk=user.pk)
            command.stdout.write(f"factory built in {time.monotonic() - began:.1f} s")
            queries = []
            with connection.execute_wrapper(
                lambda run, sql, *args: queries.append(1) or run(sql, *args)
            ):
                began = time.monotonic()
                plan = plan_propose(user=user, start=start, end=end)
                seconds = time.monotonic() - began
            scheduled = plan.lines.filter(start_date__isnull=False).count()
            unscheduled = plan.lines.filter(start_date__isnull=True).count()
            command.stdout.write(
                f"plan proposal: {seconds:.2f} s, {len(queries)} queries; "
                f"{options['lines']} order lines, {options['machines']} machines, "
                f"{options['weeks']} weeks: {scheduled} steps scheduled, "
                f"{unscheduled} lines not scheduled (rolled back)"
            )
            raise Rollback
    except Rollback:
        pass


def add_portfolio_arguments(parser) -> None:
    parser.add_argument("--lines", type=int, default=1000, help="candidate order lines")
    parser.add_argument("--machines", type=int, default=40)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--seed", type=int, default=5)


def run_portfolio_bench(command, options: dict) -> None:
    """The key-customer portfolio for --lines candidates (issue 5: 1,000 in under 10 s)."""
    from production.models import Portfolio
    from production.services.portfolio import portfolio_build

    today = timezone.localdate()
    month = (today.replace(day=1) + dt.timedelta(days=400)).replace(day=1)  # an empty month
    try:
        with transaction.atomic():
            build_factory(
                lines=options["lines"],
                machines=options["machines"],
                items=options["items"],
                start=month,
                weeks=4,
                seed=options["seed"],
            )
            user = get_user_model().objects.create(username=f"bench-{time.time_ns()}")
            user.user_permissions.add(
                Permission.objects.get(
                    content_type__app_label="production", codename="add_portfolio"
                )
            )
            user = get_user_model().objects.get(pk=user.pk)
            Portfolio.objects.filter(month=month).update(status=Portfolio.Status.CANCELLED)
            began = time.monotonic()
            portfolio = portfolio_build(user=user, month=month)
            seconds = time.monotonic() - began
            inside = portfolio.lines.filter(included=True).count()
            command.stdout.write(
                f"portfolio: {seconds:.2f} s for {portfolio.lines.count()} candidates on "
                f"{options['machines']} machines, {inside} in, solved by {portfolio.solver} "
                f"in {portfolio.solve_seconds} s (rolled back)"
            )
            raise Rollback
    except Rollback:
        pass
