from decimal import Decimal

import pytest

from portal.money import per_head, pounds, signed_pounds, to_decimal, to_pence


@pytest.mark.parametrize(
    ("value", "pence"),
    [("0.005", "0.01"), ("0.004", "0.00"), ("2.675", "2.68"), ("-0.005", "-0.01"), ("516249", "516249.00")],
)
def test_to_pence_rounds_half_a_penny_up(value, pence):
    assert to_pence(Decimal(value)) == Decimal(pence)


def test_money_is_never_a_float():
    with pytest.raises(TypeError):
        to_decimal(0.1)


@pytest.mark.parametrize(
    ("text", "amount"), [("£1,234.50", "1234.50"), ("-63154.38", "-63154.38"), ("(12.00)", "-12.00")]
)
def test_amounts_read_as_published(text, amount):
    assert to_decimal(text) == Decimal(amount)


def test_an_amount_that_is_not_money_is_refused():
    with pytest.raises(ValueError, match="not an amount"):
        to_decimal("twelve pounds")


def test_pounds_are_written_with_separators_and_pence():
    assert pounds(Decimal("516249")) == "£516,249.00"
    assert pounds(Decimal("-249")) == "-£249.00"
    assert pounds(Decimal("2100000.49"), pence=False) == "£2,100,000"
    assert pounds(None) == "Not known"
    assert signed_pounds(Decimal("249")) == "+£249.00"
    assert signed_pounds(Decimal("-249")) == "-£249.00"


def test_per_head_rounds_to_the_penny_and_refuses_no_patients():
    assert per_head(Decimal("1323474.40"), Decimal("4095.25")) == Decimal("323.17")
    assert per_head(Decimal("10"), Decimal("3")) == Decimal("3.33")
    assert per_head(Decimal("10"), 0) is None
