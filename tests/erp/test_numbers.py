from decimal import Decimal as D

from erp.numbers import plain, quantity_text


def test_plain_drops_trailing_zeros_and_never_uses_an_exponent():
    assert plain(D("2.500000")) == "2.5"
    assert plain(D("100.000000")) == "100"
    assert plain(D("1E+2")) == "100"
    assert plain(D("0.000")) == "0" and plain(D("-0.000")) == "0"
    assert plain(D("-3.10")) == "-3.1"


def test_quantity_text_shows_the_unit_and_never_rounds():
    assert quantity_text(D("42.84"), 3) == "42.840"
    assert quantity_text(D("50.000000"), 3) == "50.000"
    assert quantity_text(D("102.000000"), 0) == "102"
    assert quantity_text(D("42.8405"), 3) == "42.8405"
    assert quantity_text(D("0"), 2) == "0.00"
