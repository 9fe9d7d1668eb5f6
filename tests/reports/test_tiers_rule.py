"""Default customer tiers (CONTRACT.md section 5): from the last full calendar year before
the as-of date; VIP while the profit share of the customers ranked above is < 70 %,
IMPORTANT while < 90 %, else NORMAL; loss-making and shipment-less customers; thresholds a
manager changes; overrides with reason and who."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from erp.errors import DomainError
from reports.models import TierChange, TierOverride, TierSettings
from reports.profit import services
from reports.profit.tiers import TierRule, customer_tiers, tier_of
from tests.crm.profit_data import customer, earn, ship

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 3, 1)  # -> calendar year 2025


def tiers(as_of=AS_OF, **kwargs):
    return {row.code: row for row in customer_tiers(as_of=as_of, **kwargs)}


def test_shares_of_the_customers_above_decide_vip_important_normal():
    for code, profit in [("A", "50"), ("B", "15"), ("C", "10"), ("D", "10"), ("E", "15")]:
        earn(code, profit)
    # Ranking: A 50, B 15 (revenue 115 ties E; code), E 15, C 10, D 10 -> total 100.
    # Shares above: A 0, B .50, E .65, C .80, D .90
    rows = tiers()
    assert {c: rows[c].tier for c in "ABCDE"} == {
        "A": "VIP",
        "B": "VIP",
        "E": "VIP",
        "C": "IMPORTANT",
        "D": "NORMAL",
    }
    assert rows["E"].share_above == Decimal("0.65")
    assert not any(r.loss_making or r.overridden for r in rows.values())


def test_exactly_seventy_percent_above_is_not_vip_and_exactly_ninety_is_normal():
    earn("A", "70")
    earn("B", "20")
    earn("C", "10")
    rows = tiers()
    assert [rows[c].tier for c in "ABC"] == ["VIP", "IMPORTANT", "NORMAL"]
    assert rows["B"].share_above == Decimal("0.7")


def test_single_profitable_customer_is_vip():
    earn("ONLY", "0.01")
    assert tiers()["ONLY"].tier == "VIP"


def test_loss_making_and_zero_profit_customers_are_normal_and_flagged():
    earn("GOOD", "100")
    earn("ZERO", "0")
    earn("LOSS", "-40")
    rows = tiers()
    assert (rows["ZERO"].tier, rows["ZERO"].loss_making) == ("NORMAL", True)
    assert (rows["LOSS"].tier, rows["LOSS"].loss_making) == ("NORMAL", True)
    # Losses do not shrink the profitable customers' total.
    assert (rows["GOOD"].tier, rows["GOOD"].loss_making) == ("VIP", False)


def test_customers_without_a_shipment_in_the_year_are_potential():
    customer("NEVER")
    earn("LAST-YEAR", "10", on="2024-12-31")
    earn("THIS-YEAR", "10", on="2026-01-02")
    earn("IN-YEAR", "10", on="2025-12-31")
    rows = tiers()
    assert set(rows) == {"NEVER", "LAST-YEAR", "THIS-YEAR", "IN-YEAR"}  # every customer
    assert {c: rows[c].tier for c in rows} == {
        "NEVER": "POTENTIAL",
        "LAST-YEAR": "POTENTIAL",
        "THIS-YEAR": "POTENTIAL",
        "IN-YEAR": "VIP",
    }
    assert not rows["NEVER"].loss_making


def test_the_year_is_the_last_full_calendar_year_before_the_date():
    earn("A", "10", on="2024-06-01")
    earn("B", "10", on="2025-06-01")
    assert tiers(as_of=dt.date(2025, 12, 31))["A"].tier == "VIP"
    assert tiers(as_of=dt.date(2025, 12, 31))["B"].tier == "POTENTIAL"
    assert tiers(as_of=dt.date(2026, 1, 1))["B"].tier == "VIP"
    assert tiers(as_of=dt.date(2026, 1, 1))["A"].tier == "POTENTIAL"


def test_order_volume_alone_never_decides():
    # BIG ships a lot at a thin margin, SMALL little at a fat one.
    ship("BIG", "X", "1000", price="10", cost="9.99", on="2025-04-01")  # profit 10
    ship("SMALL", "X", "1", price="100", cost="10", on="2025-04-01")  # profit 90
    rows = tiers()
    assert (rows["SMALL"].tier, rows["BIG"].tier) == ("VIP", "NORMAL")


def test_thresholds_are_the_managers_settings(make_user):
    for code, profit in [("A", "40"), ("B", "30"), ("C", "20"), ("D", "10")]:
        earn(code, profit)
    assert [tiers()[c].tier for c in "ABCD"] == ["VIP", "VIP", "IMPORTANT", "NORMAL"]
    manager = make_user("manager")
    services.tier_settings_update(user=manager, vip_share="0.40", important_share="0.95")
    assert [tiers()[c].tier for c in "ABCD"] == ["VIP", "IMPORTANT", "IMPORTANT", "IMPORTANT"]
    saved = TierSettings.objects.get()
    assert saved.updated_by == manager and saved.vip_share == Decimal("0.40")
    rule = TierRule(vip_share=Decimal("1"), important_share=Decimal("1"))
    assert [tiers(rule=rule)[c].tier for c in "ABCD"] == ["VIP"] * 4


@pytest.mark.parametrize(
    ("vip", "important", "field"),
    [
        ("0", "0.9", "vip_share"),
        ("0.8", "0.7", "vip_share"),
        ("0.7", "1.2", "important_share"),
        ("abc", "0.9", "vip_share"),
        ("0.70001", "0.9", "vip_share"),
    ],
)
def test_bad_thresholds_are_refused(make_user, vip, important, field):
    with pytest.raises(DomainError) as refused:
        services.tier_settings_update(
            user=make_user("manager"), vip_share=vip, important_share=important
        )
    assert refused.value.field == field
    assert not TierSettings.objects.exists()


@time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC))  # tier_of() reads today
def test_an_override_keeps_its_reason_and_who_set_it_and_is_logged(make_user):
    earn("A", "100")
    loser = customer("Z")
    earn("Z", "-5")
    manager = make_user("manager", first_name="Li", last_name="Wei")
    services.tier_override_set(
        customer=loser, user=manager, tier="IMPORTANT", reason="Strategic account in Wuxi"
    )
    row = tiers()["Z"]
    assert (row.tier, row.rule_tier, row.overridden, row.loss_making) == (
        "IMPORTANT",
        "NORMAL",
        True,
        True,
    )
    assert row.override_reason == "Strategic account in Wuxi"
    assert row.override_by == "Li Wei"
    assert "Strategic account" in row.why(TierRule(Decimal("0.7"), Decimal("0.9")))
    assert TierOverride.objects.get().created_by == manager
    change = TierChange.objects.get()
    assert (change.old_tier, change.new_tier, change.source, change.changed_by) == (
        "NORMAL",
        "IMPORTANT",
        "override",
        manager,
    )

    services.tier_override_remove(customer=loser, user=manager, reason="Wuxi plant closed")
    assert tier_of(customer=loser, as_of=AS_OF).tier == "NORMAL"
    assert not tier_of(customer=loser).overridden
    last = TierChange.objects.first()
    assert (last.old_tier, last.new_tier, last.source) == (
        "IMPORTANT",
        "NORMAL",
        "override_removed",
    )


def test_an_override_needs_a_reason_and_a_known_tier(make_user):
    c = customer("C")
    manager = make_user("manager")
    with pytest.raises(DomainError, match="reason"):
        services.tier_override_set(customer=c, user=manager, tier="VIP", reason="  ")
    with pytest.raises(DomainError, match="Unknown tier"):
        services.tier_override_set(customer=c, user=manager, tier="GOLD", reason="x")
    with pytest.raises(DomainError, match="not overridden"):
        services.tier_override_remove(customer=c, user=manager)
    assert not TierOverride.objects.exists() and not TierChange.objects.exists()


def test_why_explains_the_rule():
    earn("A", "70")
    earn("B", "30")
    customer("P")
    rule = TierRule(Decimal("0.7"), Decimal("0.9"))
    rows = tiers(rule=rule)
    assert "70.0%" in rows["B"].why(rule) and "Ranked 2" in rows["B"].why(rule)
    assert "No shipment in 2025" in rows["P"].why(rule)


def test_tiers_take_a_fixed_number_of_queries(django_assert_num_queries):
    for n in range(25):
        earn(f"C{n:02d}", str(n - 5))
        customer(f"P{n:02d}")
    services.tier_override_set(customer=customer("P00"), user=None, tier="VIP", reason="new")
    with django_assert_num_queries(4):
        assert len(customer_tiers(as_of=AS_OF)) == 50
