"""Run by tests/erp/test_sqlite_embedded.py in a subprocess, with no DATABASE_URL but a
temporary SQLite file (the embedded default's settings): 12 clerks post picks for the last
units of a material at the same instant through the API. Prints one JSON line."""

import json
import os
import sys
import threading
import time
from decimal import Decimal

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.erp.embedded_settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from materials.models import StockBalance, StockMove  # noqa: E402
from materials.services.stock import StockChange, apply_stock_changes  # noqa: E402
from orders.models import MaterialSlip  # noqa: E402
from tests.factories import UserFactory  # noqa: E402
from tests.orders.warehouse_support import build_floor, location  # noqa: E402

CLERKS = 12


def make_user(*roles, username=None, **kwargs):
    return UserFactory(username=username or "_".join(roles), roles=roles, **kwargs)


def main() -> dict:
    call_command("migrate", run_syncdb=True, verbosity=0)
    floor = build_floor(make_user)
    r = floor["r"]
    # 30 kg of R left; each clerk picks 5 kg (the order line may take 42.84): 6 fit.
    apply_stock_changes(changes=[StockChange(r.pk, location().pk, Decimal("-470"))], kind="count")
    connection.close()

    barrier = threading.Barrier(CLERKS)
    answers: list = [None] * CLERKS

    def clerk(n: int) -> None:
        client = APIClient()
        client.force_authenticate(floor["clerk"])
        # Two clerks repeat another's Idempotency-Key: the key path runs on SQLite too.
        key = f"pick-{n % 10}"
        body = {
            "kind": "pick",
            "order_no": "SO1",
            "lines": [{"line": 1, "item": "R", "quantity": "5"}],
            "note": key,
        }
        try:
            barrier.wait()
            response = client.post(
                "/api/v1/slips/", body, format="json", headers={"Idempotency-Key": key}
            )
            answers[n] = [response.status_code, response.content.decode()[:300]]
        except Exception as error:  # what the web server would have answered 500 for
            answers[n] = [500, repr(error)[:300]]
        finally:
            connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=clerk, args=(n,)) for n in range(CLERKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    created = {json.loads(body)["id"] for status, body in answers if status == 201}
    return {
        "options": settings.DATABASES["default"]["OPTIONS"],
        "journal_mode": connection.cursor().execute("PRAGMA journal_mode").fetchone()[0],
        "seconds": round(time.monotonic() - started, 2),
        "answers": answers,
        "slips_answered": len(created),
        "slips": MaterialSlip.objects.count(),
        "stock": str(StockBalance.objects.get(item=r, location__kind="usable").quantity),
        "ledger": str(sum(m.quantity for m in StockMove.objects.filter(item=r))),
        "negative_balances": StockBalance.objects.filter(quantity__lt=0).count(),
    }


if __name__ == "__main__":
    print(json.dumps(main()))
    sys.stdout.flush()
