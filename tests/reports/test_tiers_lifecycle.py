"""Lifecycle classes (价值、潜力、迁移、冰点) from the trend of a customer's contribution: the
first matching rule decides; the rule is shown with the manager's migrating threshold."""

from decimal import Decimal as D

import pytest

from reports.profit.lifecycle import Trend, lifecycle_class, lifecycle_rules

DROP = D("0.30")


def classify(profit, previous, *, shipped=True, before=True, tier="VIP", drop=DROP):
    trend = Trend(D(profit), D(previous), shipped, before, tier)
    return lifecycle_class(trend, migrating_drop=drop)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"profit": "0", "previous": "50", "shipped": False}, "frozen"),
        ({"profit": "0", "previous": "0", "shipped": False, "before": False}, "potential"),
        ({"profit": "70", "previous": "100"}, "migrating"),  # fell by exactly 30 %
        ({"profit": "70.01", "previous": "100"}, "value"),  # fell by less
        ({"profit": "-10", "previous": "100", "tier": "NORMAL"}, "migrating"),
        ({"profit": "100", "previous": "100", "tier": "IMPORTANT"}, "value"),
        ({"profit": "100", "previous": "100", "tier": "NORMAL"}, "potential"),
        ({"profit": "5", "previous": "0", "before": False, "tier": "VIP"}, "value"),
        ({"profit": "-5", "previous": "-20", "tier": "NORMAL"}, "potential"),
        ({"profit": "40", "previous": "100", "drop": D("0.7")}, "value"),
    ],
)
def test_first_matching_rule_decides(kwargs, expected):
    assert classify(**kwargs) == expected


def test_rule_text_shows_the_threshold():
    rules = lifecycle_rules(D("0.25"))
    assert [label for label, _ in rules] == ["frozen", "migrating", "value", "potential"]
    assert "25%" in str(rules[1][1])
