"""Re-import is idempotent and export -> import is a round trip."""

import datetime as dt
import io

import pytest
from django.db import transaction

from materials.models import Item, StockMove
from reports.workbook import spec, upsert
from reports.workbook.exporter import export_workbook, write_template
from reports.workbook.importer import import_workbook
from tests.reports.workbooks import base_sheets, data_snapshot, read_xlsx, table_counts, xlsx


def exported() -> bytes:
    buffer = io.BytesIO()
    export_workbook(path_or_buffer=buffer)
    return buffer.getvalue()


def audit_times() -> list:
    return sorted(Item.objects.values_list("code", "updated_at", "updated_by"))


@pytest.mark.django_db
def test_importing_the_same_workbook_again_changes_nothing(imported):
    counts, data, times = table_counts(), data_snapshot(), audit_times()
    report = import_workbook(source=xlsx(base_sheets()))
    assert report.changed == 0
    assert all(c.unchanged for c in report.counts.values())
    assert table_counts() == counts  # the ledger included: no new stock move
    assert data_snapshot() == data
    assert audit_times() == times


@pytest.mark.django_db
def test_export_then_import_on_the_same_database_changes_nothing(imported):
    counts, data, moves = table_counts(), data_snapshot(), StockMove.objects.count()
    report = import_workbook(source=io.BytesIO(exported()))
    assert report.changed == 0, report.as_dict()
    assert table_counts() == counts and StockMove.objects.count() == moves
    assert data_snapshot() == data


@pytest.mark.django_db
def test_export_imported_into_an_empty_database_gives_the_same_factory(seller):
    empty = transaction.savepoint()
    import_workbook(source=xlsx(base_sheets()))
    first_file, first_data = exported(), data_snapshot()
    transaction.savepoint_rollback(empty)
    assert Item.objects.count() == 0

    import_workbook(source=io.BytesIO(first_file))
    assert data_snapshot() == first_data
    assert read_xlsx(exported()) == read_xlsx(first_file)


@pytest.mark.django_db
def test_the_orm_upsert_writes_what_the_postgresql_statement_writes(seller, monkeypatch):
    start = transaction.savepoint()
    import_workbook(source=xlsx(base_sheets()))
    with_sql = data_snapshot()
    transaction.savepoint_rollback(start)

    monkeypatch.setattr(upsert, "_pg_upsert", upsert._orm_upsert)
    import_workbook(source=xlsx(base_sheets()))
    assert data_snapshot() == with_sql
    assert import_workbook(source=xlsx(base_sheets())).changed == 0


@pytest.mark.django_db
def test_the_export_writes_plain_numbers_real_dates_and_yes_no(imported):
    sheets = read_xlsx(exported())
    assert list(sheets) == [s.name for s in spec.SHEETS]
    for sheet in spec.SHEETS:
        assert list(sheets[sheet.name][0]) == sheet.headers
    items = {row[0]: row for row in sheets["Items"][1:]}
    assert items["R"][3:6] == ("kg", 3, 4.5)
    assert items["F"][4:] == (0, 100, 150, 2, 10, 0, 0)
    assert isinstance(items["F"][5], int)
    assert sheets["BOM"][1:] == [("F", "S", 2, "CUT"), ("S", "R", 0.4, "BEND")]
    assert sheets["Warehouses"][1:] == [("MAIN", "Main warehouse"), ("WH2", "Second warehouse")]
    assert sheets["Customers"][1] == (
        "C1",
        "Acme Pipes",
        "138 0000 0001;021-5555 6666",
        "Energy",
        "East",
        "seller",
        "yes",
        0,
        30,
    )
    assert sheets["Customers"][2][-3] == "no"
    line = sheets["SalesOrders"][1]
    assert line[:5] == ("SO1", 1, "C1", dt.datetime(2026, 3, 1), dt.datetime(2026, 3, 10))
    assert sheets["Stock"][1:] == [("F", "WH2", 10, 100), ("R", "MAIN", 20.5, 4.2)]
    assert sheets["WorkOrders"][2] == ("WO2", "S", 100, dt.datetime(2026, 3, 7), 0, None)


@pytest.mark.django_db
def test_the_template_has_the_headers_and_a_readme(db):
    buffer = io.BytesIO()
    write_template(path_or_buffer=buffer)
    sheets = read_xlsx(buffer.getvalue())
    assert list(sheets) == [spec.README] + [s.name for s in spec.SHEETS]
    for sheet in spec.SHEETS:
        assert sheets[sheet.name] == [tuple(sheet.headers)]
    readme = [row for row in sheets[spec.README] if row[1] == "defect_rate"]
    assert readme and "0 <= r < 1" in readme[0][3]
