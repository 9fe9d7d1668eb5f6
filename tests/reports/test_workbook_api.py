import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from materials.models import Item
from reports.workbook.exporter import XLSX_CONTENT_TYPE
from tests.reports.workbooks import base_sheets, read_xlsx, set_cell, xlsx

URL = "/api/v1/imports/"
EXPORT_URL = "/api/v1/exports/workbook/"


def upload(sheets):
    return {"file": SimpleUploadedFile("factory.xlsx", xlsx(sheets).getvalue(), XLSX_CONTENT_TYPE)}


@pytest.mark.django_db
def test_an_administrator_imports_and_gets_the_counts(api_client_for, seller):
    response = api_client_for("admin").post(URL, upload(base_sheets()), format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["sheets"]["Items"] == {"created": 3, "updated": 0, "unchanged": 0}
    assert Item.objects.count() == 3


@pytest.mark.django_db
def test_a_bad_workbook_answers_400_with_every_error(api_client_for, seller):
    sheets = base_sheets()
    set_cell(sheets, "BOM", 2, "component", "NOPE")
    set_cell(sheets, "Processes", 2, "defect_rate", 1.5)
    response = api_client_for("admin").post(URL, upload(sheets), format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert "nothing was imported" in body["detail"]
    assert [(e["sheet"], e["row"], e["column"]) for e in body["errors"]] == [
        ("Processes", 2, "defect_rate"),
        ("BOM", 2, "component"),
    ]
    assert "Unknown item 'NOPE'" in body["errors"][1]["message"]
    assert Item.objects.count() == 0


@pytest.mark.django_db
def test_no_file_answers_400(api_client_for):
    response = api_client_for("admin").post(URL, {}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["manager", "sales", "warehouse"])
def test_other_roles_may_not_import(api_client_for, role):
    response = api_client_for(role).post(URL, upload(base_sheets()), format="multipart")
    assert response.status_code == 403


@pytest.mark.django_db
def test_anonymous_may_not_import(client):
    assert client.post(URL).status_code in (401, 403)


@pytest.mark.django_db
@pytest.mark.parametrize("accept", [None, XLSX_CONTENT_TYPE])
def test_a_manager_exports_the_workbook(api_client_for, imported, accept):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = api_client_for("manager").get(EXPORT_URL, **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert len(read_xlsx(response.content)["SalesOrders"]) == 4


@pytest.mark.django_db
def test_other_roles_may_not_export(api_client_for):
    assert api_client_for("sales").get(EXPORT_URL).status_code == 403
