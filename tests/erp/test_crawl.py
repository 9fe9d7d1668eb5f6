"""Every role opens every page it can reach on the demo factory, and none is a 500.

The crawl (tests/erp/crawl.py) starts from each role's menu and follows same-site links
two deep, a couple of URLs per URL pattern. It runs here on PostgreSQL (the suite's
database) and, in a subprocess, on a fresh SQLite file: the embedded database of
./scripts/serve.sh, where PostgreSQL-only SQL once broke pages."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from erp.roles import Role
from reports.demo.services import DEMO_USERS, load_demo_factory
from tests.erp.crawl import crawl_demo_roles, report

ROOT = Path(__file__).resolve().parents[2]


def assert_clean(crawls) -> None:
    assert {crawl.role for crawl in crawls} == set(Role.values)
    summary = report(crawls)
    assert not any(crawl.failures for crawl in crawls), summary
    for crawl in crawls:
        # Not a vacuous pass: the menu and a good part of what it links to were opened.
        assert len(crawl.visits) >= 15, summary
        assert any(visit.depth == 2 for visit in crawl.visits), summary
        assert all(v.status == 200 for v in crawl.visits if v.depth == 0), summary


@pytest.mark.django_db
def test_every_role_opens_every_page_it_reaches_on_postgresql():
    load_demo_factory(scale="small")
    assert len(DEMO_USERS) == len(Role.values)
    assert_clean(crawl_demo_roles())


SQLITE_RUN = """
import sys
from tests.erp.crawl import main

code = main(["--migrate", "--load-demo"])
# Raising a requisition from an order's material page reads the latest suppliers: that
# query used PostgreSQL's DISTINCT ON.
from materials.models import PurchaseOrderLine
from materials.selectors_purchasing import latest_suppliers

bought = set(PurchaseOrderLine.objects.values_list("item_id", flat=True))
found = latest_suppliers(item_ids=bought)
print(f"latest suppliers of {len(bought)} bought items: {len(found)} found")
sys.exit(code or (0 if bought and found else 1))
"""


def test_every_role_opens_every_page_it_reaches_on_sqlite(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "ERP_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="erp.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'crawl.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "-c", SQLITE_RUN],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = result.stdout + result.stderr[-5000:]
    assert result.returncode == 0, output
    for role in Role.values:
        assert f"{role}: " in result.stdout and " 0 failing" in result.stdout, output
