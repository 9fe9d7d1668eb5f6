"""`python manage.py bench material`: CONTRACT.md section 3b at factory size. Times the
refresh of every open order's stored availability (and the process's peak memory) and the
reads a salesperson and the material controller open: one order's material API and page,
its requirements, the list of orders short of material."""

import random
import resource
import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from orders.availability.store import refresh_material_availability
from orders.models import SalesOrder
from orders.states import OPEN_STATES


def add_material_arguments(parser) -> None:
    parser.add_argument("--orders", type=int, default=20, help="orders whose reads are timed")
    parser.add_argument(
        "--load",
        choices=["small", "mid", "large"],
        help="load the demo factory of this scale first (when no demo factory is loaded)",
    )


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(client: Client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise CommandError(f"{url} answered {response.status_code}")
    return elapsed


def run_material_bench(command: BaseCommand, options: dict) -> None:
    if options.get("load"):
        from reports.demo.services import load_demo_factory

        load_demo_factory(scale=options["load"], progress=command.stdout.write)
    open_orders = list(
        SalesOrder.objects.filter(status__in=OPEN_STATES).values_list("order_no", flat=True)
    )
    if not open_orders:
        raise CommandError("No open orders: load a demo factory first (--load mid).")
    before = _peak_mb()
    state = refresh_material_availability(tell_salespeople=False, force=True)
    command.stdout.write(
        f"refresh: {state.lines:,} open lines, {state.rows:,} rows in {state.seconds} s; "
        f"peak memory {max(before, _peak_mb()):.0f} MB (target: under 60 s and 1 GB)"
    )
    user = get_user_model().objects.filter(is_superuser=True).first() or get_user_model()(
        username="bench", is_superuser=True
    )
    if user.pk is None:
        user.save()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(user)
    chosen = random.Random(7).sample(open_orders, min(options["orders"], len(open_orders)))
    reads = {
        "material API": "/api/v1/orders/{}/material/",
        "material page": "/orders/material/{}/",
        "requirements API": "/api/v1/orders/{}/requirements/",
    }
    for name, url in reads.items():
        _timed(client, url.format(chosen[0]))  # warm up
        times = [_timed(client, url.format(order_no)) for order_no in chosen]
        command.stdout.write(
            f"{name}: median {statistics.median(times):.0f} ms, max {max(times):.0f} ms "
            f"over {len(times)} orders (target: under 300 ms)"
        )
    for name, url in {
        "short-of-material list": "/orders/material/",
        "order list": "/orders/",
    }.items():
        _timed(client, url)
        times = [_timed(client, url) for _ in range(5)]
        command.stdout.write(
            f"{name}: median {statistics.median(times):.0f} ms (target: under 1 s)"
        )
