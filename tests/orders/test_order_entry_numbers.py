"""One order number format, SO-YYYY-NNNNNN (orders.numbers), for orders entered on the
pages or the API and after orders imported from the factory workbook; numbers in other
formats stay valid."""

import datetime as dt
from decimal import Decimal

import pytest

from erp.models import DocumentSequence
from orders.models import SalesOrder
from orders.numbers import (
    catch_up_order_numbers,
    format_order_no,
    next_order_no,
    parse_order_no,
)
from orders.services.orders import OrderLineInput, order_create
from reports.workbook.importer import import_workbook
from tests.factories import SalesOrderFactory, UserFactory
from tests.orders.order_entry_support import build_entry
from tests.reports.workbooks import SALESPERSON, base_sheets, set_cell, xlsx

D = Decimal
pytestmark = pytest.mark.django_db


def test_format_and_parse():
    assert format_order_no(2026, 42) == "SO-2026-000042"
    assert parse_order_no("SO-2026-000042") == (2026, 42)
    assert parse_order_no("SO-2026-1234567") == (2026, 1234567)
    for other in ("SO2603-000123", "2026/0012", "SO-26-000001", "so-2026-000001", ""):
        assert parse_order_no(other) is None


def _enter(entry, on: dt.date, order_no: str = "") -> SalesOrder:
    return order_create(
        user=entry["sales"],
        customer=entry["acme"],
        order_date=on,
        order_no=order_no,
        lines=[OrderLineInput(item="F100", quantity=D(1), due_date=on + dt.timedelta(days=9))],
    )


def test_a_new_order_takes_the_next_number_of_its_order_dates_year(make_user):
    entry = build_entry(make_user)
    first = _enter(entry, dt.date(2026, 3, 2))
    second = _enter(entry, dt.date(2026, 3, 3))
    earlier_year = _enter(entry, dt.date(2025, 12, 30))
    assert (first.order_no, second.order_no) == ("SO-2026-000001", "SO-2026-000002")
    assert earlier_year.order_no == "SO-2025-000001"
    kept = _enter(entry, dt.date(2026, 3, 4), order_no="2026/0012")  # a number given is kept
    assert kept.order_no == "2026/0012"


def test_a_number_already_taken_is_skipped(db):
    SalesOrderFactory(order_no="SO-2026-000001")
    assert next_order_no(on=dt.date(2026, 5, 1)) == "SO-2026-000002"


def test_catch_up_moves_each_years_sequence_past_the_highest_number(db):
    DocumentSequence.objects.create(prefix="SO", year=2026, last=500)
    catch_up_order_numbers(
        ["SO-2026-000120", "SO-2025-000900", "SO-2025-000007", "2026/0012", "SO2603-000999"]
    )
    last = dict(DocumentSequence.objects.filter(prefix="SO").values_list("year", "last"))
    assert last == {2026: 500, 2025: 900}  # never moved back
    assert next_order_no(on=dt.date(2025, 6, 1)) == "SO-2025-000901"


def test_after_a_workbook_import_new_orders_continue_after_the_imported_ones(make_user):
    UserFactory(username=SALESPERSON, roles=["sales"])
    sheets = base_sheets()
    set_cell(sheets, "SalesOrders", 2, "order_no", "SO-2026-000120")
    set_cell(sheets, "SalesOrders", 3, "order_no", "SO-2026-000120")
    set_cell(sheets, "Shipments", 2, "order_no", "SO-2026-000120")
    set_cell(sheets, "WorkOrders", 2, "order_no", "SO-2026-000120")
    import_workbook(source=xlsx(sheets))
    assert SalesOrder.objects.filter(order_no__in=["SO-2026-000120", "SO2"]).count() == 2

    entry = build_entry(make_user)
    new = _enter(entry, dt.date(2026, 4, 1))

    assert new.order_no == "SO-2026-000121"
