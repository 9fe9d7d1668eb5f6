"""Shared fixtures; and the clock option that proves no test depends on the day it runs.

`pytest --clock-offset-days=365` (or ERP_TEST_CLOCK_OFFSET_DAYS=365) moves the whole run's
clock that many days (negative: back) with time-machine; the clock still ticks.
"""

import datetime as dt
import os

import pytest
import time_machine
from rest_framework.test import APIClient

from erp.roles import Role
from tests.factories import UserFactory

_traveller = None


def pytest_addoption(parser):
    parser.addoption(
        "--clock-offset-days",
        type=int,
        default=None,
        help="run the whole suite with the clock moved this many days (e.g. 365 or -365)",
    )


def clock_offset_days(config) -> int:
    value = config.getoption("--clock-offset-days")
    if value is None:
        value = int(os.environ.get("ERP_TEST_CLOCK_OFFSET_DAYS") or 0)
    return value


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    global _traveller
    days = clock_offset_days(config)
    if days:
        target = dt.datetime.now(dt.UTC) + dt.timedelta(days=days)
        _traveller = time_machine.travel(target, tick=True)
        _traveller.start()


def pytest_unconfigure(config):
    global _traveller
    if _traveller is not None:
        _traveller.stop()
        _traveller = None


def pytest_report_header(config):
    days = clock_offset_days(config)
    if days:
        return f"clock moved {days:+d} days: today is {dt.date.today().isoformat()}"
    return None


@pytest.fixture
def make_user(db):
    def make(*roles: str, username: str | None = None, **kwargs):
        name = username or ("_".join(roles) or "norole") + "_user"
        return UserFactory(username=name, roles=roles, **kwargs)

    return make


@pytest.fixture
def admin_user(make_user):
    return make_user(Role.ADMIN.value, username="admin_role", is_staff=True)


@pytest.fixture
def api_client_for(make_user):
    """An authenticated API client for a user holding `roles`."""

    def make(*roles: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(make_user(*roles))
        return client

    return make
