import datetime as dt

import pytest

from portal.periods import (
    FinancialYear,
    Period,
    parse_quarter_label,
    period_end,
    period_label,
    quarter_end,
    quarter_label,
    quarter_start,
)


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


# The one definition of period ends and the Period every page uses (dashboards, progress reports, demo).


@pytest.mark.parametrize(
    ("frequency", "start", "end"),
    [
        ("monthly", dt.date(2018, 2, 1), dt.date(2018, 2, 28)),
        ("monthly", dt.date(2020, 2, 1), dt.date(2020, 2, 29)),
        ("quarterly", dt.date(2018, 10, 1), dt.date(2018, 12, 31)),
        ("quarterly", dt.date(2019, 1, 1), dt.date(2019, 3, 31)),
        ("annual", dt.date(2018, 4, 1), dt.date(2019, 3, 31)),
    ],
)
def test_period_end_is_the_last_day_of_the_month_quarter_or_financial_year(frequency, start, end):
    assert period_end(frequency, start) == end


def test_quarter_end_of_any_day_in_the_quarter():
    assert quarter_end(dt.date(2018, 11, 15)) == dt.date(2018, 12, 31)
    assert quarter_end(dt.date(2019, 3, 31)) == dt.date(2019, 3, 31)


def test_parse_quarter_label_reverses_quarter_label():
    assert parse_quarter_label("2017/18 Q4") == dt.date(2018, 1, 1)
    assert quarter_label(parse_quarter_label("2018/19 Q1")) == "2018/19 Q1"


def test_period_is_a_quarter_unless_told_and_steps_back_one_period():
    quarter = Period.containing(dt.date(2018, 11, 15))
    assert (quarter.start, quarter.end, quarter.label) == (dt.date(2018, 10, 1), dt.date(2018, 12, 31), "2018/19 Q3")
    assert quarter.previous() == Period(dt.date(2018, 7, 1))
    month = Period.containing(dt.date(2018, 3, 15), "monthly")
    assert (month.label, month.previous().label) == ("March 2018", "February 2018")
    year = Period.containing(dt.date(2018, 3, 15), "annual")
    assert (year.start, year.end, year.label) == (dt.date(2017, 4, 1), dt.date(2018, 3, 31), "2017/18")
    assert period_label("annual", dt.date(2017, 4, 1)) == "2017/18"


def test_period_parse_takes_any_day_and_refuses_what_is_not_a_date():
    assert Period.parse("2018-11-15") == Period(dt.date(2018, 10, 1))
    assert Period.parse("not a date") is None
    assert Period.parse(None) is None


def test_period_counts_figures_at_its_end_or_today_while_it_runs():
    quarter = Period(dt.date(2018, 10, 1))
    assert quarter.as_at(dt.date(2018, 11, 15)) == dt.date(2018, 11, 15)
    assert quarter.as_at(dt.date(2019, 2, 1)) == dt.date(2018, 12, 31)


def test_months_are_added_as_the_calendar_has_them_and_counted_both_ends():
    from portal.periods import add_months, months_spanned

    assert add_months(dt.date(2018, 1, 31), 1) == dt.date(2018, 2, 28)
    assert add_months(dt.date(2019, 11, 1), 3) == dt.date(2020, 2, 1)
    assert add_months(dt.date(2018, 4, 1), -1) == dt.date(2018, 3, 1)
    assert months_spanned(dt.date(2018, 10, 1), dt.date(2018, 10, 31)) == 1
    assert months_spanned(dt.date(2018, 10, 1), dt.date(2019, 3, 31)) == 6


def test_a_rate_per_1000_keeps_the_figure_as_written():
    from portal.rates import per_1000

    assert per_1000("4.02", 10_000) == 0.402
    assert per_1000(0, 5_000) == 0.0
    assert per_1000(3, 0) is None and per_1000(None, 5_000) is None
