"""The format library of every screen: Decimal in, the exact text out, in English and
Chinese (erp/templatetags/erp_format.py, erp/numbers.py)."""

from decimal import Decimal as D

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

from erp.numbers import grouped, money_display, quantity_display, ratio_display
from erp.templatetags.erp_format import money, pct, percent, person, plain, price, qty
from tests.factories import UserFactory


def render(text: str, **context) -> str:
    return Template("{% load erp_format %}" + text).render(Context(context))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", "0"),
        ("999", "999"),
        ("1000", "1,000"),
        ("-1234567.891", "-1,234,567.891"),
        ("123456.5", "123,456.5"),
        ("-100", "-100"),
    ],
)
def test_grouped_puts_thousands_separators_in_the_whole_part_only(text, expected):
    assert grouped(text) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (D("1500.000000"), None, "1,500"),
        (D("1234.500"), None, "1,234.5"),
        (D("1234.5"), 3, "1,234.500"),  # a kg item shows its unit's 3 decimals
        (D("1500.000"), 0, "1,500"),  # pieces: no decimals
        (D("42.8405"), 3, "42.8405"),  # never rounded
        (D("0"), 2, "0.00"),
        (D("-2500.25"), 0, "-2,500.25"),
        (D("1E+3"), None, "1,000"),  # never an exponent
    ],
)
def test_qty_groups_and_trims_down_to_the_unit(value, decimals, expected):
    assert quantity_display(value, decimals) == expected
    assert qty(value, decimals) == expected


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("en", D("1234.5"), "CNY 1,234.50"),
        ("en", D("0"), "CNY 0.00"),
        ("en", D("-1234567.005"), "CNY -1,234,567.01"),  # half up
        ("en", D("-0.001"), "CNY 0.00"),  # no negative zero
        ("zh-hans", D("1234.5"), "¥1,234.50"),
        ("zh-hans", D("-1234.5"), "-¥1,234.50"),
        ("zh-hans", D("999.994"), "¥999.99"),
        ("zh-hans", D("999.995"), "¥1,000.00"),
    ],
)
def test_money_has_two_decimals_grouping_and_the_currency_of_the_reader(language, value, expected):
    assert money_display(value, currency="CNY", language=language) == expected
    with translation.override(language):
        assert money(value) == expected
        assert render("{{ v|money }}", v=value) == expected


@override_settings(CURRENCY="USD")
def test_money_follows_the_currency_setting():
    with translation.override("en"):
        assert money(D("12")) == "USD 12.00"
    with translation.override("zh-hans"):
        assert money(D("12")) == "$12.00"


def test_a_document_in_another_currency_shows_its_own():
    with translation.override("zh-hans"):
        assert render("{{ v|money:c }}", v=D("1234"), c="usd") == "$1,234.00"
    with translation.override("en"):
        assert money(D("1234"), "EUR") == "EUR 1,234.00"
        assert money(D("1234"), "") == "CNY 1,234.00"


def test_unit_prices_keep_their_fraction_of_a_cent():
    with translation.override("en"):
        assert price(D("0.012500")) == "CNY 0.0125"
        assert price(D("1234")) == "CNY 1,234.00"
        assert price(D("-0.5")) == "CNY -0.50"
    with translation.override("zh-hans"):
        assert price(D("0.0125")) == "¥0.0125"
        assert render("{{ v|price:c }}", v=D("2.5"), c="USD") == "$2.50"


def test_a_currency_without_a_sign_shows_its_code_in_both_languages():
    assert money_display(D("5"), currency="XYZ", language="zh-hans") == "XYZ 5.00"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("0.1234"), "12.3%"),
        (D("0.12345"), "12.3%"),
        (D("0.1235"), "12.4%"),  # half up
        (D("1"), "100.0%"),
        (D("-0.5"), "-50.0%"),
        (D("-0.0001"), "0.0%"),
        (D("12.5"), "1,250.0%"),
        (D("0"), "0.0%"),
    ],
)
def test_pct_shows_a_ratio_as_a_percentage_with_one_decimal(value, expected):
    assert ratio_display(value) == expected
    for language in ("en", "zh-hans"):
        with translation.override(language):
            assert pct(value) == expected
    assert render("{{ v|pct }}", v=value) == expected


def test_pct_takes_other_decimals_and_percent_stays_exact():
    assert pct(D("0.12345"), 2) == "12.35%"
    assert percent(D("0.0025")) == "0.25%"


@pytest.mark.parametrize("empty", [None, ""])
def test_empty_values_print_nothing(empty):
    for f in (qty, plain, money, pct, percent):
        assert f(empty) == ""


def test_text_that_is_not_a_number_is_shown_as_it_is():
    assert qty("n/a") == "n/a" and money("n/a") == "n/a" and pct("n/a") == "n/a"
    assert qty(D("NaN")) == "NaN"


def test_plain_is_for_form_fields_ungrouped_and_exact():
    assert plain(D("1500.000")) == "1500"
    assert plain(D("1234.50")) == "1234.5"
    assert render('<input value="{{ v|plain }}">', v=D("12345.600")) == '<input value="12345.6">'


def test_floats_and_ints_are_read_as_decimals_of_their_text():
    assert qty(1234) == "1,234"
    assert money(0.1) in ("CNY 0.10", "¥0.10")


@pytest.mark.django_db
def test_person_is_the_full_name_and_the_username_only_without_a_name():
    named = UserFactory(username="li.lei", first_name="Lei", last_name="Li")
    nameless = UserFactory(username="wang", first_name="", last_name="")
    assert person(named) == "Lei Li"
    assert person(nameless) == "wang"
    assert person(None) == "—"
    assert render("{{ u|person }}", u=named) == "Lei Li"
    assert render('{{ u|person:"nobody" }}', u=None) == "nobody"


def test_codes_read_by_their_registered_names():
    from django.utils.translation import gettext_lazy as _

    from erp.labels import register_labels

    register_labels("test-kind", [("due_date", _("due-date change"))])
    with translation.override("zh-hans"):
        assert render('{{ c|label:"test-kind" }}', c="due_date") == "交期变更"
    with translation.override("en"):
        assert render('{{ c|label:"test-kind" }}', c="due_date") == "due-date change"
    assert render('{{ c|label:"test-kind" }}', c="other") == "other"
    assert render('{{ c|label:"nothing-registered" }}', c="VIP") == "VIP"
    assert render('{{ c|label:"test-kind" }}', c=None) == ""
