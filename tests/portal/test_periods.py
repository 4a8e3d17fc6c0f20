import datetime as dt

import pytest

from portal.periods import FinancialYear, quarter_label, quarter_start


@pytest.mark.parametrize(
    ("day", "label"),
    [(dt.date(2018, 3, 31), "2017/18"), (dt.date(2018, 4, 1), "2018/19"), (dt.date(1999, 12, 31), "1999/00")],
)
def test_financial_year_turns_on_the_first_of_april(day, label):
    assert str(FinancialYear.containing(day)) == label


def test_financial_year_knows_its_first_and_last_day():
    year = FinancialYear.parse("2017/18")
    assert (year.start, year.end) == (dt.date(2017, 4, 1), dt.date(2018, 3, 31))
    assert dt.date(2018, 3, 31) in year
    assert dt.date(2018, 4, 1) not in year


def test_financial_year_parse_refuses_years_that_do_not_follow():
    with pytest.raises(ValueError, match="follow"):
        FinancialYear.parse("2017/19")


@pytest.mark.parametrize(
    ("day", "label", "start"),
    [
        (dt.date(2019, 3, 31), "2018/19 Q4", dt.date(2019, 1, 1)),
        (dt.date(2018, 4, 1), "2018/19 Q1", dt.date(2018, 4, 1)),
        (dt.date(2018, 12, 31), "2018/19 Q3", dt.date(2018, 10, 1)),
    ],
)
def test_quarters_are_financial_quarters(day, label, start):
    assert quarter_label(day) == label
    assert quarter_start(day) == start


def test_quarter_of_a_year_gives_its_first_day():
    assert FinancialYear(2018).quarter(4) == dt.date(2019, 1, 1)
