"""CONTRACT.md section 5 on small exact cases: revenue = quantity x the order line's
unit_price, cost = quantity x the shipment's unit_cost, the period by ship_date, rankings by
profit, then revenue, then code; the product table's ratios (null where the divisor is 0)."""

import datetime as dt
from decimal import Decimal

import pytest

from reports.profit.amounts import money_text, quantity_text, ratio
from reports.profit.rows import customer_profit_rows, product_profit_rows
from reports.profit.selectors import customer_profit, monthly_profit, product_profit
from tests.crm.profit_data import customer, item, ship

pytestmark = pytest.mark.django_db
Y2025 = {"start": dt.date(2025, 1, 1), "end": dt.date(2025, 12, 31)}


def by_code(rows):
    return {row["customer"] if "customer" in row else row["item"]: row for row in rows}


def test_revenue_cost_and_profit_of_a_customer_are_exact():
    item("KG", decimals=3, uom="kg")
    ship("C1", "KG", "1.5", price="10.10", cost="3.33", on="2025-03-01")
    ship("C1", "KG", "0.333", price="3", cost="0.1", on="2025-04-01")
    (row,) = customer_profit_rows(**Y2025)
    # 1.5 x 10.10 + 0.333 x 3 = 15.15 + 0.999; 1.5 x 3.33 + 0.333 x 0.1 = 4.995 + 0.0333
    assert row == {
        "customer": "C1",
        "revenue": "16.149",
        "cost": "5.0283",
        "profit": "11.1207",
        "rank": 1,
    }


def test_price_comes_from_the_order_line_and_cost_from_each_shipment():
    first = ship("C1", "A", "2", price="7", cost="5", on="2025-01-10")
    # A second shipment of the same line at another cost.
    first.pk = None
    first.number, first.unit_cost, first.quantity = "TS-2", Decimal("6"), Decimal("3")
    first.save()
    (row,) = customer_profit(**Y2025)
    assert (row.revenue, row.cost, row.profit) == (Decimal("35"), Decimal("28"), Decimal("7"))


def test_the_period_is_by_ship_date_with_inclusive_bounds():
    ship("C1", "A", "1", price="10", cost="0", on="2024-12-31")
    ship("C1", "A", "1", price="20", cost="0", on="2025-01-01")
    ship("C1", "A", "1", price="40", cost="0", on="2025-12-31")
    ship("C1", "A", "1", price="80", cost="0", on="2026-01-01")
    assert customer_profit(**Y2025)[0].revenue == 60
    assert customer_profit(start=dt.date(2024, 12, 31), end=dt.date(2025, 1, 1))[0].revenue == 30
    assert customer_profit(start=dt.date(2025, 12, 31))[0].revenue == 120
    assert customer_profit(end=dt.date(2024, 12, 31))[0].revenue == 10
    assert customer_profit()[0].revenue == 150
    assert customer_profit(start=dt.date(2027, 1, 1)) == []


def test_ranking_orders_by_profit_then_revenue_then_code():
    ship("B", "X", "1", price="100", cost="50", on="2025-02-01")  # profit 50, revenue 100
    ship("A", "X", "1", price="100", cost="50", on="2025-02-01")  # tie with B: code decides
    ship("C", "X", "1", price="200", cost="150", on="2025-02-01")  # profit 50, more revenue
    ship("D", "X", "1", price="1000", cost="900", on="2025-02-01")  # profit 100
    ship("E", "X", "1", price="10", cost="30", on="2025-02-01")  # loss 20
    ship("F", "X", "1", price="5", cost="5", on="2025-02-01")  # zero profit
    rows = customer_profit_rows(**Y2025)
    assert [(r["customer"], r["rank"]) for r in rows] == [
        ("D", 1),
        ("C", 2),
        ("A", 3),
        ("B", 4),
        ("F", 5),
        ("E", 6),
    ]
    assert by_code(rows)["E"]["profit"] == "-20"


def test_customers_without_shipments_in_the_period_are_not_ranked():
    customer("NOSHIP")
    ship("OLD", "X", "1", price="10", cost="1", on="2023-05-05")
    ship("NOW", "X", "1", price="10", cost="1", on="2025-05-05")
    assert [r["customer"] for r in customer_profit_rows(**Y2025)] == ["NOW"]


def test_product_table_with_quantities_in_the_items_unit():
    item("STEEL", decimals=3, uom="kg")
    ship("C1", "STEEL", "2", price="12", cost="9", on="2025-02-01")
    ship("C2", "STEEL", "0.5", price="14", cost="9", on="2025-03-01")
    ship("C1", "BOLT", "100", price="0.25", cost="0.1", on="2025-03-01")
    rows = by_code(product_profit_rows(**Y2025))
    assert rows["STEEL"] == {
        "item": "STEEL",
        "quantity": "2.500",
        "revenue": "31",
        "cost": "22.5",
        "profit": "8.5",
        "profit_cost_ratio": "0.377778",  # 8.5 / 22.5 = 0.37777...
        "profit_sales_ratio": "0.274194",  # 8.5 / 31 = 0.274193548...
    }
    assert rows["BOLT"]["quantity"] == "100"
    assert rows["BOLT"]["profit_cost_ratio"] == "1.500000"
    assert rows["BOLT"]["profit_sales_ratio"] == "0.600000"
    (steel,) = [p for p in product_profit(**Y2025) if p.code == "STEEL"]
    assert steel.average_price == Decimal("12.4") and steel.average_cost == Decimal("9")


def test_zero_cost_and_zero_revenue_give_null_ratios():
    ship("C1", "FREE-COST", "2", price="5", cost="0", on="2025-02-01")
    ship("C1", "GIFT", "3", price="0", cost="4", on="2025-02-01")
    ship("C1", "NOTHING", "1", price="0", cost="0", on="2025-02-01")
    rows = by_code(product_profit_rows(**Y2025))
    assert rows["FREE-COST"]["profit_cost_ratio"] is None
    assert rows["FREE-COST"]["profit_sales_ratio"] == "1.000000"
    assert rows["GIFT"]["profit_sales_ratio"] is None
    assert rows["GIFT"]["profit_cost_ratio"] == "-1.000000"
    assert rows["GIFT"]["profit"] == "-12"
    assert rows["NOTHING"]["profit_cost_ratio"] is None
    assert rows["NOTHING"]["profit_sales_ratio"] is None


def test_ratios_round_half_up_once_at_six_places():
    assert ratio(Decimal("1"), Decimal("2000000")) == Decimal("0.000001")  # 0.0000005
    assert ratio(Decimal("-1"), Decimal("2000000")) == Decimal("-0.000001")
    assert ratio(Decimal("2"), Decimal("3")) == Decimal("0.666667")
    assert ratio(Decimal("1"), Decimal("0")) is None


def test_money_and_quantity_texts_are_exact():
    assert money_text(Decimal("1234.500000000000")) == "1234.5"
    assert money_text(Decimal("0E-12")) == "0"
    assert money_text(Decimal("-0.000001000000")) == "-0.000001"
    assert money_text(Decimal("1E+3")) == "1000"
    assert quantity_text(Decimal("50.000000000000"), 3) == "50.000"
    assert quantity_text(Decimal("1.234567"), 2) == "1.234567"  # never rounded away


def test_monthly_profit():
    ship("C1", "A", "1", price="10", cost="4", on="2025-01-31")
    ship("C1", "A", "1", price="10", cost="5", on="2025-01-01")
    ship("C2", "A", "1", price="3", cost="5", on="2025-03-15")
    months = monthly_profit(**Y2025)
    assert [(m.month, m.profit) for m in months] == [
        (dt.date(2025, 1, 1), Decimal("11")),
        (dt.date(2025, 3, 1), Decimal("-2")),
    ]


def test_aggregation_is_set_based(django_assert_num_queries):
    for n in range(30):
        ship(f"C{n:02d}", f"I{n % 7}", "1", price="10", cost=str(n % 12), on="2025-06-01")
    with django_assert_num_queries(1):
        assert len(customer_profit(**Y2025)) == 30
    with django_assert_num_queries(1):
        assert len(product_profit(**Y2025)) == 7
