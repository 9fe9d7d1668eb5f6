import pytest

from reports.workbook.importer import import_workbook
from tests.factories import UserFactory
from tests.reports.workbooks import SALESPERSON, base_sheets, xlsx


@pytest.fixture
def seller(db):
    return UserFactory(username=SALESPERSON, roles=["sales"])


@pytest.fixture
def imported(seller):
    """The base factory, imported."""
    return import_workbook(source=xlsx(base_sheets()))
