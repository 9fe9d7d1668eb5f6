"""`python manage.py bench aging`: the receivables aging at factory size. Writes (in a
transaction that is always rolled back: allocations are append-only) `--customers` customers with `--invoices` invoices over the
last two years, payments allocated to about three invoices in four (some partly, a few
reversed), then times the aging as of today (the command's and the API's query), the DSO,
one salesperson's overdue list and one customer's statement. Target: aging under 2 s."""

import datetime as dt
import random
import statistics
import time
import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from customers.models import Customer
from orders.receivables import aging as ag
from orders.receivables.models import Allocation, Invoice, Payment, PaymentReversal
from orders.receivables.statement import statement

BATCH = 5000
ZERO = Decimal(0)
TARGET_SECONDS = 2.0


class Rollback(Exception):
    pass


def add_aging_arguments(parser) -> None:
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each read")


def _timed(func, repeat: int) -> tuple[float, float]:
    """First (cold) and median of the following runs, in seconds."""
    times = []
    for _ in range(max(repeat, 2)):
        began = time.perf_counter()
        func()
        times.append(time.perf_counter() - began)
    return times[0], statistics.median(times[1:])


def _generate(command, *, invoices: int, customers: int, today: dt.date) -> tuple[str, list]:
    """Bulk rows (batches of 5,000; primary keys come back from the insert)."""
    rng = random.Random(12)
    prefix = f"AB{uuid.uuid4().hex[:5].upper()}"
    users = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"{prefix.lower()}-sales-{n}") for n in range(10)]
    )
    salespeople = [user.pk for user in users]
    people = [
        Customer(
            code=f"{prefix}-{n:05d}",
            name=f"Bench customer {n}",
            salesperson_id=salespeople[n % len(salespeople)],
            payment_terms_days=rng.choice((30, 30, 60, 90)),
        )
        for n in range(customers)
    ]
    Customer.objects.bulk_create(people, batch_size=BATCH)
    rate, cent = settings.VAT_RATE, Decimal("0.01")
    rows, plans = [], []
    for n in range(invoices):
        customer = people[n % len(people)]
        issued = today - dt.timedelta(days=rng.randint(0, 730))
        net = Decimal(rng.randint(10_000, 5_000_000)) / 100
        gross = net + (net * rate).quantize(cent)
        cancelled = n % 200 == 0
        roll = rng.random()
        paid = allocated = ZERO
        if not cancelled and roll >= 0.25:  # a quarter unpaid
            paid = gross if roll < 0.65 else (gross * rng.randint(10, 90) / 100).quantize(cent)
            paid_on = min(issued + dt.timedelta(days=rng.randint(5, 120)), today)
            bounced = rng.random() < 0.01 and paid_on < today
            plans.append((n, customer, paid_on, paid, bounced))
            allocated = ZERO if bounced else paid
        rows.append(
            Invoice(
                invoice_no=f"{prefix}-INV-{n:07d}",
                customer=customer,
                invoice_date=issued,
                due_date=issued + dt.timedelta(days=customer.payment_terms_days),
                vat_rate=rate,
                net_amount=net,
                tax_amount=gross - net,
                gross_amount=gross,
                allocated_amount=allocated,
                status="cancelled" if cancelled else "open",
            )
        )
    Invoice.objects.bulk_create(rows, batch_size=BATCH)
    payments = [
        Payment(
            payment_no=f"{prefix}-PAY-{n:07d}",
            customer=customer,
            date=paid_on,
            amount=paid,
            allocated_amount=ZERO if bounced else paid,
            status="reversed" if bounced else "posted",
        )
        for n, customer, paid_on, paid, bounced in plans
    ]
    Payment.objects.bulk_create(payments, batch_size=BATCH)
    bounced = [(plan, pay) for plan, pay in zip(plans, payments, strict=True) if plan[4]]
    reversals = [
        PaymentReversal(
            reversal_no=f"{prefix}-REV-{plan[0]:07d}",
            payment=pay,
            date=min(plan[2] + dt.timedelta(days=3), today),
            reason="bench",
        )
        for plan, pay in bounced
    ]
    PaymentReversal.objects.bulk_create(reversals, batch_size=BATCH)
    allocations = [
        Allocation(invoice=rows[n], payment=pay, date=paid_on, amount=paid)
        for (n, _c, paid_on, paid, _b), pay in zip(plans, payments, strict=True)
    ] + [
        Allocation(invoice=rows[plan[0]], payment=pay, reversal=rev, date=rev.date, amount=-plan[3])
        for (plan, pay), rev in zip(bounced, reversals, strict=True)
    ]
    Allocation.objects.bulk_create(allocations, batch_size=BATCH)
    command.stdout.write(
        f"{prefix}: {customers:,} customers, {invoices:,} invoices "
        f"({sum(1 for r in rows if r.status == 'cancelled'):,} cancelled), "
        f"{len(payments):,} payments, {len(allocations):,} allocation rows "
        f"({len(reversals):,} reversals)"
    )
    return prefix, people


def run_aging_bench(command: BaseCommand, options: dict) -> None:
    if options["invoices"] < 1 or options["customers"] < 1:
        raise CommandError("--invoices and --customers must be at least 1.")
    today = timezone.localdate()
    try:
        with transaction.atomic():
            began = time.perf_counter()
            prefix, people = _generate(
                command, invoices=options["invoices"], customers=options["customers"], today=today
            )
            command.stdout.write(f"generated in {time.perf_counter() - began:.1f} s")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    for model in (Invoice, Allocation, Payment, Customer):
                        cursor.execute(f"ANALYZE {model._meta.db_table}")
            rows = []

            def run():
                rows[:] = ag.aging(as_of=today)

            cold, warm = _timed(run, options["repeat"])
            verdict = "OK" if warm < TARGET_SECONDS else "SLOWER THAN TARGET"
            command.stdout.write(
                f"aging as of {today}: {len(rows):,} customers with an open amount, "
                f"total {ag.aging_totals(rows)['total']:,}; first {cold:.3f} s, "
                f"median {warm:.3f} s (target < {TARGET_SECONDS:.0f} s: {verdict}) "
                f"({connection.vendor})"
            )
            cold, warm = _timed(lambda: ag.dso(as_of=today), options["repeat"])
            command.stdout.write(f"DSO: first {cold:.3f} s, median {warm:.3f} s")
            salesperson = Customer.objects.filter(code__startswith=prefix).values_list(
                "salesperson_id", flat=True
            )[0]
            if salesperson:
                cold, warm = _timed(
                    lambda: ag.open_invoices(
                        as_of=today, salesperson_id=salesperson, overdue_only=True, limit=50
                    ),
                    options["repeat"],
                )
                command.stdout.write(
                    f"one salesperson's overdue list: first {cold:.3f} s, median {warm:.3f} s"
                )
            customer = people[0]
            start = today - dt.timedelta(days=365)
            cold, warm = _timed(
                lambda: statement(customer, start=start, end=today), options["repeat"]
            )
            command.stdout.write(
                f"one customer's statement (a year): first {cold:.3f} s, median {warm:.3f} s"
            )
            raise Rollback  # allocations are append-only: never kept
    except Rollback:
        command.stdout.write("rolled back")
