import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from materials.models import Item
from tests.factories import UserFactory
from tests.reports.workbooks import base_sheets, read_xlsx, set_cell, table_counts, xlsx


def write(tmp_path, sheets, name="factory.xlsx"):
    path = tmp_path / name
    path.write_bytes(xlsx(sheets).getvalue())
    return path


@pytest.mark.django_db
def test_import_prints_the_counts_and_stamps_the_user(seller, tmp_path):
    boss = UserFactory(username="boss")
    out = io.StringIO()
    call_command(
        "import_workbook", str(write(tmp_path, base_sheets())), "--user", "boss", stdout=out
    )
    text = out.getvalue()
    assert "created" in text and "Imported factory.xlsx" in text
    assert any(line.split()[:2] == ["Items", "3"] for line in text.splitlines())
    assert Item.objects.get(code="F").created_by == boss


@pytest.mark.django_db
def test_import_errors_go_to_stderr_one_a_line_and_the_command_fails(seller, tmp_path):
    sheets = base_sheets()
    set_cell(sheets, "Items", 3, "kind", "metal")
    set_cell(sheets, "SalesOrders", 2, "quantity", -1)
    err = io.StringIO()
    before = table_counts()
    with pytest.raises(CommandError, match="2 errors; nothing was imported"):
        call_command("import_workbook", str(write(tmp_path, sheets)), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("Items, row 3, kind: 'metal' is not one of")
    assert lines[1].startswith("SalesOrders, row 2, quantity: -1 is negative")
    assert table_counts() == before


@pytest.mark.django_db
def test_import_refuses_a_missing_file_or_user(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_workbook", str(tmp_path / "nope.xlsx"))
    with pytest.raises(CommandError, match="No user"):
        call_command("import_workbook", str(write(tmp_path, base_sheets())), "--user", "ghost")


@pytest.mark.django_db
def test_export_and_template_commands_write_workbooks(imported, tmp_path):
    call_command("export_workbook", str(tmp_path / "out.xlsx"), stdout=io.StringIO())
    call_command("workbook_template", str(tmp_path / "empty.xlsx"), stdout=io.StringIO())
    exported = read_xlsx((tmp_path / "out.xlsx").read_bytes())
    assert len(exported["Items"]) == 4
    assert "README" in read_xlsx((tmp_path / "empty.xlsx").read_bytes())
