"""Brute-force protection of the login (django-axes, on here as in production): ten wrong
passwords lock the user out for 15 minutes, whatever the address, even with the right
password next; the page says so in the user's language; an administrator unlocks with
`axes_reset_username`; every failure and lockout is logged; the demo logins still work."""

import logging

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse

from reports.demo.services import DEMO_USERS, create_demo_users
from tests.factories import UserFactory

LOGIN = reverse("login")


@pytest.fixture(autouse=True)
def lockout_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 10


@pytest.fixture
def clerk(db):
    return UserFactory(username="clerk")  # password "pw"


def log_in(client, password, username="clerk", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_ten_failures_lock_the_user_out_even_with_the_right_password(client, clerk, caplog):
    caplog.set_level(logging.INFO, logger="axes")
    for _ in range(9):
        assert log_in(client, "wrong").status_code == 200  # the form says: didn't match
    locked = log_in(client, "wrong")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "blocked for 15 minutes" in locked.content.decode()
    assert locked["Retry-After"] == "900"

    right = log_in(client, "pw")
    assert right.status_code == 429 and not logged_in(client)
    # Per username: another address is locked out too.
    assert log_in(client, "pw", REMOTE_ADDR="10.1.2.3").status_code == 429
    assert not logged_in(client)
    lockouts = [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("axes") and r.levelno == logging.WARNING and "Locking out" in r.msg
    ]
    assert lockouts and "clerk" in lockouts[0] and "127.0.0.1" in lockouts[0]


def test_an_administrator_unlocks_with_axes_reset_username(client, clerk):
    for _ in range(10):
        log_in(client, "wrong")
    assert log_in(client, "pw").status_code == 429
    call_command("axes_reset_username", "clerk")
    assert log_in(client, "pw").status_code == 302 and logged_in(client)


def test_fewer_failures_then_the_right_password_logs_in_and_starts_afresh(client, clerk):
    for _ in range(9):
        log_in(client, "wrong")
    assert log_in(client, "pw").status_code == 302 and logged_in(client)
    assert not AccessAttempt.objects.filter(username="clerk").exists()
    client.logout()
    for _ in range(9):
        log_in(client, "wrong")
    assert log_in(client, "pw").status_code == 302


def test_another_users_failures_do_not_lock_this_user(client, clerk):
    UserFactory(username="other")
    for _ in range(10):
        log_in(client, "wrong", username="other")
    assert log_in(client, "pw").status_code == 302


def test_the_lockout_page_is_translated(client, clerk):
    for _ in range(10):
        log_in(client, "wrong")
    page = log_in(client, "pw", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 429
    assert "登录失败次数过多" in page.content.decode()


def test_the_demo_logins_still_work(client, db):
    create_demo_users()
    for demo in DEMO_USERS:
        client.logout()
        response = log_in(client, demo.password, username=demo.username)
        assert response.status_code == 302 and logged_in(client), demo.username
