"""A BOM line may not make an item its own component, however deep the loop."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from materials.errors import BomCycle
from materials.models import BomLine
from materials.services.bom import bom_line_create
from tests.factories import BomLineFactory, ItemFactory


@pytest.mark.django_db
def test_closing_a_loop_is_refused_naming_the_cycle(admin_api, factory_data):
    # F1 <- S1 <- R1 exists; R1 <- F1 would close F1 -> S1 -> R1 -> F1.
    body = {"parent": "R1", "component": "F1", "quantity": "1"}
    response = admin_api.post("/api/v1/bom-lines/", body, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "BOM cycle: R1 -> F1 -> S1 -> R1"
    assert response.json()["component"] == ["BOM cycle: R1 -> F1 -> S1 -> R1"]
    assert not BomLine.objects.filter(parent__code="R1").exists()


@pytest.mark.django_db
def test_changing_a_line_into_a_loop_is_refused(admin_api, factory_data):
    line = BomLine.objects.get(parent__code="S1", component__code="R1")
    response = admin_api.patch(f"/api/v1/bom-lines/{line.pk}/", {"component": "F1"}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "BOM cycle: S1 -> F1 -> S1"
    line.refresh_from_db()
    assert line.component.code == "R1"


@pytest.mark.django_db
def test_moving_a_line_is_not_mistaken_for_a_loop(admin_api, factory_data):
    """Replacing S1 <- R1 by R1 <- S1 is fine: the old edge no longer exists."""
    line = BomLine.objects.get(parent__code="S1", component__code="R1")
    response = admin_api.patch(
        f"/api/v1/bom-lines/{line.pk}/", {"parent": "R1", "component": "S1"}, format="json"
    )
    assert response.status_code == 200, response.json()


@pytest.mark.django_db
def test_a_deep_loop_is_found():
    items = [ItemFactory(code=f"L{i}") for i in range(30)]
    for parent, component in zip(items, items[1:], strict=False):
        BomLineFactory(parent=parent, component=component)
    with pytest.raises(BomCycle) as refused:
        bom_line_create(user=None, parent=items[-1], component=items[0], quantity=Decimal("1"))
    assert refused.value.message.startswith("BOM cycle: L29 -> L0 -> L1 -> ")
    assert refused.value.message.endswith("L28 -> L29")


@pytest.mark.django_db(transaction=True)
def test_two_opposite_lines_at_the_same_instant_cannot_both_pass():
    """A real race on PostgreSQL: without the BOM lock both checks see no cycle."""
    a, b = ItemFactory(code="A"), ItemFactory(code="B")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def engineer(parent, component) -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                bom_line_create(
                    user=None, parent=parent, component=component, quantity=Decimal("1")
                )
            result = "ok"
        except BomCycle:
            result = "refused"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [
        threading.Thread(target=engineer, args=(a, b)),
        threading.Thread(target=engineer, args=(b, a)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert BomLine.objects.count() == 1
