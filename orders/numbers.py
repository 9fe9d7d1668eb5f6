"""Customer order numbers: one format for orders entered here and for orders brought in from
the factory workbook.

The format is ``SO-YYYY-NNNNNN``: ``SO``, the year of the order date, and a running number
of six digits per year (``SO-2026-000042``). Orders entered on the pages or the API get the
next number of their year from the document sequence (`erp.models.DocumentSequence`,
prefix ``SO``). The workbook keeps the number the factory gave each order (it is on the
customer's paperwork); after an import the sequence of each year is moved past the highest
imported number in this format, so the next order entered continues after the imported
ones. Older numbers in other formats (e.g. ``SO2603-000123`` or ``2026/0012``) stay valid:
an order number is any text of up to 40 characters, unique; only new numbers follow the
format."""

import re
from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest

from erp.models import DocumentSequence
from erp.services import next_document_number

ORDER_PREFIX = "SO"
ORDER_NO = re.compile(rf"^{ORDER_PREFIX}-(\d{{4}})-(\d{{6,}})$")


def format_order_no(year: int, number: int) -> str:
    """The order number of the year's `number`-th order: SO-2026-000042."""
    return f"{ORDER_PREFIX}-{year:04d}-{number:06d}"


def parse_order_no(order_no: str) -> tuple[int, int] | None:
    """(year, running number) of a number in the format, else None."""
    match = ORDER_NO.match(order_no or "")
    return (int(match[1]), int(match[2])) if match else None


@transaction.atomic
def next_order_no(*, on: date | None = None) -> str:
    """The next free order number of the year of `on` (default today). Skips a number an
    order already holds (one imported before the sequence knew it)."""
    from orders.models import SalesOrder

    while True:
        number = next_document_number(prefix=ORDER_PREFIX, on=on)
        if not SalesOrder.objects.filter(order_no=number).exists():
            return number


@transaction.atomic
def catch_up_order_numbers(order_nos: Iterable[str]) -> None:
    """Move each year's sequence past the highest of `order_nos` in the format (called by
    the workbook import), so the next order entered never meets an imported number."""
    highest: dict[int, int] = {}
    for order_no in order_nos:
        parsed = parse_order_no(order_no)
        if parsed is not None:
            year, number = parsed
            highest[year] = max(highest.get(year, 0), number)
    if not highest:
        return
    DocumentSequence.objects.bulk_create(
        [DocumentSequence(prefix=ORDER_PREFIX, year=year) for year in highest],
        ignore_conflicts=True,
    )
    for year, number in highest.items():
        DocumentSequence.objects.filter(prefix=ORDER_PREFIX, year=year).update(
            last=Greatest(F("last"), number)
        )
