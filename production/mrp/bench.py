"""`python manage.py bench pages`: time the heavy read paths against the current database,
through the whole Django stack (middleware, view, template or serializer) with the test
client: the MRP pages and API on the latest run, and the customer 360 page of the customer
with the most open orders. Build a factory first: `python manage.py bench mrp --scale mid
--keep`. Nothing is kept: the bench user and its session are rolled back."""

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count


class _Rollback(Exception):
    pass


class _Counter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def add_pages_arguments(parser) -> None:
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per page")


def run_pages_bench(command: BaseCommand, options: dict) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from production.models import PlannedOrder
    from production.mrp.selectors import latest_run

    run = latest_run()
    if run is None:
        raise CommandError("No MRP results: run `python manage.py bench mrp --keep` first.")
    command.stdout.write(
        f"MRP run of {run.as_of}: {run.counts.get('planned_orders', '?')} planned orders "
        f"({connection.vendor})"
    )
    try:
        with transaction.atomic():
            user = get_user_model().objects.create(username="bench-pages")
            user.groups.add(*Group.objects.filter(name__in=["manager", "purchasing"]))
            client = Client(HTTP_HOST="localhost")
            client.force_login(user)
            for label, url in _urls(run, PlannedOrder):
                command.stdout.write(_time(client, label, url, options["repeat"]))
            raise _Rollback
    except _Rollback:
        pass


def _urls(run, planned_order_model) -> list[tuple[str, str]]:
    from django.urls import reverse

    from orders.models import SalesOrder

    purchases = run.counts.get("purchase", 0)
    productions = run.counts.get("production", 0)
    urls = [
        ("MRP shortfalls, page 1", reverse("production:shortfall-list")),
        ("MRP shortfalls, middle page", _middle(reverse("production:shortfall-list"), purchases)),
        ("planned production, page 1", reverse("production:mrp-production")),
        ("planned production, middle", _middle(reverse("production:mrp-production"), productions)),
    ]
    first = (
        planned_order_model.objects.filter(run=run, kind="purchase")
        .order_by("release_date", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    if first:
        urls.append(
            ("planned purchase: orders", reverse("production:mrp-planned-order", args=[first]))
        )
    biggest = (
        SalesOrder.objects.filter(
            status__in=["draft", "confirmed", "in_production", "partly_shipped"]
        )
        .values("customer__code")
        .annotate(orders=Count("pk"))
        .order_by("-orders")
        .first()
    )
    if biggest:
        code = biggest["customer__code"]
        urls.append(
            (
                f"customer 360 ({biggest['orders']} open orders)",
                reverse("crm:customer-360", args=[code]),
            )
        )
    urls += [
        ("GET /api/v1/mrp/planned-orders/", "/api/v1/mrp/planned-orders/"),
        ("  ?kind=purchase", "/api/v1/mrp/planned-orders/?kind=purchase"),
        ("  ?late=true", "/api/v1/mrp/planned-orders/?late=true"),
    ]
    return urls


def _middle(url: str, rows: int, per_page: int = 100) -> str:
    return f"{url}?page={max(1, rows // per_page // 2)}"


def _time(client, label: str, url: str, repeat: int) -> str:
    client.get(url)  # warm: session, roles, templates
    seconds, queries, size, status = [], 0, 0, 0
    for _ in range(max(1, repeat)):
        counter = _Counter()
        with connection.execute_wrapper(counter):
            began = time.perf_counter()
            response = client.get(url)
            seconds.append(time.perf_counter() - began)
        queries, size, status = counter.count, len(response.content), response.status_code
    return (
        f"{label:<42} {statistics.median(seconds) * 1000:6.0f} ms median, "
        f"{max(seconds) * 1000:6.0f} ms max, {queries} queries, {size / 1024:.0f} KB"
        + ("" if status == 200 else f" (HTTP {status})")
    )
