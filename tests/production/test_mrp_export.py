import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from production.mrp.services import run_mrp


def export(*args, capsys):
    call_command("export_report", "mrp-planned-orders", *args)
    return capsys.readouterr().out


def test_json_export_of_the_latest_run(example, capsys):
    run_mrp(as_of=dt.date(2026, 3, 2))
    rows = json.loads(export("--format", "json", capsys=capsys))
    by_item = {r["item"]: r for r in rows}
    assert by_item["R"] == {
        "item": "R",
        "kind": "purchase",
        "quantity": "50.000",
        "due_date": "2026-03-07",
        "release_date": "2026-03-02",
        "late": False,
        "pegging": ["SO1"],
    }
    assert by_item["F"]["quantity"] == "50" and by_item["S"]["kind"] == "production"


def test_csv_and_xlsx_carry_the_same_rows(example, capsys, tmp_path):
    run_mrp(as_of=dt.date(2026, 3, 2))
    rows = list(csv.DictReader(io.StringIO(export("--format", "csv", capsys=capsys))))
    assert {r["item"]: r["quantity"] for r in rows} == {"F": "50", "S": "102", "R": "50.000"}
    assert rows[0]["late"] in {"true", "false"}
    path = tmp_path / "mrp.xlsx"
    call_command("export_report", "mrp-planned-orders", "--format", "xlsx", "--output", str(path))
    sheet = load_workbook(path).active
    header = [c.value for c in sheet[1]]
    assert header == ["item", "kind", "quantity", "due_date", "release_date", "late", "pegging"]
    assert sheet.max_row == 4


def test_no_run_yet_gives_an_empty_list(db, capsys):
    assert json.loads(export("--format", "json", capsys=capsys)) == []


def test_bad_arguments_exit_non_zero(db):
    with pytest.raises(CommandError, match="Unknown report"):
        call_command("export_report", "nope")
    with pytest.raises(CommandError, match="needs --output"):
        call_command("export_report", "mrp-planned-orders", "--format", "xlsx")
    with pytest.raises(CommandError, match="is not a year"):
        call_command("export_report", "mrp-planned-orders", "--year", "0")
    with pytest.raises(CommandError, match="not a date"):
        call_command("export_report", "mrp-planned-orders", "--as-of", "03/02/2026")
