"""API throttles (erp/api/throttling.py): beyond its rate a client gets 429 with
Retry-After, never a 500; and a cache that does not answer lets requests through."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.test import APIClient

from erp.api import throttling
from erp.roles import Role

URL = "/api/v1/items/"


@pytest.fixture
def low_rates(monkeypatch):
    rates = {"anon": "2/minute", "user": "3/minute"}
    for throttle in (throttling.AnonRateThrottle, throttling.UserRateThrottle):
        monkeypatch.setattr(throttle, "THROTTLE_RATES", rates)
        monkeypatch.setattr(throttle, "cache", LocMemCache("throttle-test", {}))


def test_a_user_beyond_the_rate_gets_429_with_retry_after(api_client_for, low_rates):
    client = api_client_for(Role.WAREHOUSE.value)
    assert [client.get(URL).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(URL)
    assert refused.status_code == 429
    assert "throttled" in refused.json()["detail"]
    assert 0 < int(refused["Retry-After"]) <= 60


def test_anonymous_requests_are_throttled_per_address(db, low_rates):
    client = APIClient()
    assert [client.get("/api/docs/").status_code for _ in range(2)] == [200, 200]
    assert client.get("/api/docs/").status_code == 429


class _DeadCache:
    def get(self, *args, **kwargs):
        raise ConnectionError("Redis is down")

    set = get


def test_a_cache_that_does_not_answer_lets_requests_through(api_client_for, monkeypatch):
    monkeypatch.setattr(throttling.UserRateThrottle, "cache", _DeadCache())
    client = api_client_for(Role.WAREHOUSE.value)
    assert client.get(URL).status_code == 200


def test_the_production_rates_come_from_the_environment():
    env = {**os.environ, "ERP_API_USER_RATE": "7/second", "ERP_API_ANON_RATE": "5/hour"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import erp.settings as s; print(s.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'])",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert printed.strip() == "{'anon': '5/hour', 'user': '7/second'}"
