import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from materials.models import Item
from reports.workbook.exporter import XLSX_CONTENT_TYPE
from tests.reports.workbooks import base_sheets, read_xlsx, set_cell, xlsx

PAGE = "reports:workbook"


def logged_in(client, make_user, role):
    client.force_login(make_user(role))
    return client


def upload(sheets):
    return {"file": SimpleUploadedFile("factory.xlsx", xlsx(sheets).getvalue(), XLSX_CONTENT_TYPE)}


@pytest.mark.django_db
def test_the_administrator_sees_the_upload_form_and_the_downloads(client, make_user):
    page = logged_in(client, make_user, "admin").get(reverse(PAGE))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="workbook-upload"' in html
    assert (
        reverse("reports:workbook-export") in html and reverse("reports:workbook-template") in html
    )


@pytest.mark.django_db
def test_a_manager_may_download_but_not_import(client, make_user):
    client = logged_in(client, make_user, "manager")
    page = client.get(reverse(PAGE))
    assert page.status_code == 200 and 'data-testid="workbook-upload"' not in page.content.decode()
    assert client.post(reverse(PAGE), upload(base_sheets())).status_code == 403
    export = client.get(reverse("reports:workbook-export"))
    assert export.status_code == 200 and export["Content-Type"] == XLSX_CONTENT_TYPE
    assert "attachment" in export["Content-Disposition"]
    template = client.get(reverse("reports:workbook-template"))
    assert "README" in read_xlsx(template.content)


@pytest.mark.django_db
@pytest.mark.parametrize("name", [PAGE, "reports:workbook-export", "reports:workbook-template"])
def test_other_roles_get_403(client, make_user, name):
    assert logged_in(client, make_user, "sales").get(reverse(name)).status_code == 403


@pytest.mark.django_db
def test_an_upload_shows_the_counts(client, make_user, seller):
    page = logged_in(client, make_user, "admin").post(reverse(PAGE), upload(base_sheets()))
    html = page.content.decode()
    assert 'data-testid="workbook-counts"' in html and "<td>SalesOrders</td>" in html
    assert Item.objects.count() == 3


@pytest.mark.django_db
def test_a_bad_upload_shows_the_error_table_and_writes_nothing(client, make_user, seller):
    sheets = base_sheets()
    set_cell(sheets, "Items", 4, "decimals", 9)
    page = logged_in(client, make_user, "admin").post(reverse(PAGE), upload(sheets))
    html = page.content.decode()
    assert 'data-testid="workbook-errors"' in html
    assert "<td>Items</td>" in html and "<td>decimals</td>" in html and "9 is more than 6" in html
    assert Item.objects.count() == 0


@pytest.mark.django_db
def test_a_file_that_is_not_a_workbook_is_a_form_error(client, make_user):
    upload = {"file": SimpleUploadedFile("notes.txt", b"hello", "text/plain")}
    page = logged_in(client, make_user, "admin").post(reverse(PAGE), upload)
    assert page.status_code == 200 and "invalid-feedback" in page.content.decode()
