"""CONTRACT.md section 3: requirement with allowances, exact, rounded up once at the end."""

from decimal import Decimal

import pytest

from materials.errors import BomCycle
from materials.requirements import requirements_for, round_up
from tests.factories import BomLineFactory, ItemFactory, ProcessFactory


def test_round_up_is_always_up_and_only_to_the_unit():
    assert round_up(Decimal("42.84"), 3) == Decimal("42.840")
    assert round_up(Decimal("42.8401"), 3) == Decimal("42.841")
    assert round_up(Decimal("103"), 0) == Decimal("103")
    assert round_up(Decimal("102.0000001"), 0) == Decimal("103")


@pytest.fixture
def worked_example(db):
    p1 = ProcessFactory(code="P1", defect_rate=Decimal("0.02"))
    p2 = ProcessFactory(code="P2", defect_rate=Decimal("0.05"))
    f = ItemFactory(code="F", kind="finished")
    s = ItemFactory(code="S", kind="semi")
    r = ItemFactory(code="R", kind="raw", uom="kg", decimals=3)
    BomLineFactory(parent=f, component=s, quantity=Decimal("2"), process=p1)
    BomLineFactory(parent=s, component=r, quantity=Decimal("0.4"), process=p2)
    return f, s, r


def test_requirement_of_every_level_with_allowances(worked_example):
    f, s, r = worked_example
    reqs = requirements_for([("L1", f.pk, Decimal("50"))])["L1"]
    assert reqs == {s.pk: Decimal("102"), r.pk: Decimal("42.840")}


def test_rounding_happens_once_at_the_end_not_per_level(db):
    p = ProcessFactory(code="PX", defect_rate=Decimal("0.03"))
    f = ItemFactory(code="F2", kind="finished")
    s = ItemFactory(code="S2", kind="semi")
    r = ItemFactory(code="R2", decimals=0)
    BomLineFactory(parent=f, component=s, quantity=Decimal("1"), process=p)
    BomLineFactory(parent=s, component=r, quantity=Decimal("1"), process=p)
    reqs = requirements_for([("k", f.pk, Decimal("100"))])["k"]
    # S: 100 x 1.03 = 103 exactly (no float drift to 104); R: 103 x 1.03 = 106.09 -> 107.
    assert reqs == {s.pk: Decimal("103"), r.pk: Decimal("107")}


def test_a_component_on_two_paths_sums_the_paths(db):
    f = ItemFactory(code="F3", kind="finished")
    s = ItemFactory(code="S3", kind="semi")
    r = ItemFactory(code="R3", decimals=3, uom="kg")
    p = ProcessFactory(code="PW", defect_rate=Decimal("0.1"))
    BomLineFactory(parent=f, component=s, quantity=Decimal("2"))
    BomLineFactory(parent=f, component=r, quantity=Decimal("0.5"), process=p)
    BomLineFactory(parent=s, component=r, quantity=Decimal("0.25"))
    reqs = requirements_for([("k", f.pk, Decimal("3"))])["k"]
    # direct: 3 x 0.5 x 1.1 = 1.65; through S: 3 x 2 x 0.25 = 1.5
    assert reqs[r.pk] == Decimal("3.150")


def test_a_bom_cycle_is_reported_not_looped(db):
    a = ItemFactory(code="A", kind="semi")
    b = ItemFactory(code="B", kind="semi")
    BomLineFactory(parent=a, component=b)
    BomLineFactory(parent=b, component=a)
    with pytest.raises(BomCycle, match="A -> B -> A"):
        requirements_for([("k", a.pk, Decimal("1"))])
