"""The embedded default database (SQLite, no DATABASE_URL) serialises writers: clerks
posting slips at the same instant get 201s and clear refusals, never a 500 "database is
locked". Runs in a subprocess on a temporary SQLite file, not the suite's PostgreSQL."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import OperationalError

from erp.api.errors import exception_handler

ROOT = Path(settings.BASE_DIR)


def embedded_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(extra)
    return env


def test_without_database_url_sqlite_begins_immediate_waits_and_uses_wal():
    printed = subprocess.run(
        [sys.executable, "-c", "import json, erp.settings as s; print(json.dumps(s.DATABASES))"],
        cwd=ROOT,
        env=embedded_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    database = json.loads(printed)["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"].endswith("var/erp.sqlite3")
    assert database["OPTIONS"] == {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }


def test_postgresql_gets_no_sqlite_options():
    assert "transaction_mode" not in settings.DATABASES["default"].get("OPTIONS", {})


def test_twelve_clerks_picking_the_last_units_at_once_get_201_or_409_never_500(tmp_path):
    database = tmp_path / "erp.sqlite3"
    run = subprocess.run(
        [sys.executable, "-m", "tests.erp.sqlite_race"],
        cwd=ROOT,
        env=embedded_env(
            DATABASE_URL=f"sqlite:///{database}",
            DJANGO_SETTINGS_MODULE="tests.erp.embedded_settings",
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["options"]["transaction_mode"] == "IMMEDIATE"
    assert result["journal_mode"] == "wal"
    statuses = [status for status, _body in result["answers"]]
    assert set(statuses) <= {201, 400, 409}, result["answers"]
    # 30 kg left, 5 kg a pick: six slips, each answered, stock exactly 0 and never below.
    assert result["slips"] == result["slips_answered"] == 6
    assert result["stock"] == result["ledger"] == "0.000000"
    assert result["negative_balances"] == 0
    for status, body in result["answers"]:
        if status == 409:
            assert "Not enough R" in json.loads(body)["detail"]


def test_a_database_still_busy_after_the_wait_is_a_503_not_a_500():
    response = exception_handler(OperationalError("database is locked"), {})
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert "busy" in response.data["detail"]
