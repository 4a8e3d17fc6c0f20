"""portal.chart_summary: the sentence beside each chart, from the figures it draws."""

from decimal import Decimal

from portal import chart_summary


def pounds(value):
    return f"£{float(value):,.2f}"


def test_bars_name_the_highest_and_the_lowest():
    summary = chart_summary.bars(["Luton North", "Luton South", "Luton East"], [Decimal("0.62"), Decimal("0.48"), None])
    assert summary == "Highest: Luton North, 0.62. Lowest: Luton South, 0.48."


def test_bars_count_those_below_the_target_and_the_furthest_gap():
    summary = chart_summary.bars(
        ["North", "South", "East"], [80, 45, 60], target=75, target_name="standard", noun="clusters"
    )
    assert summary == (
        "Highest: North, 80. Lowest: South, 45. "
        "2 of 3 clusters are below the standard of 75; South is furthest below, by 30."
    )


def test_bars_say_when_every_one_meets_the_target():
    summary = chart_summary.bars(["North", "South"], [80, 90], target=75, target_name="standard", noun="clusters")
    assert summary == "Highest: South, 90. Lowest: North, 80. All 2 clusters meet the standard of 75."


def test_one_bar_is_named_with_its_figure_and_its_gap():
    assert chart_summary.bars(["North"], [60], target=75, target_name="standard") == (
        "North: 60. It is below the standard of 75, by 15."
    )


def test_equal_bars_and_no_bars():
    assert chart_summary.bars(["A", "B"], [3, 3], noun="practices") == "All 2 practices are 3."
    assert chart_summary.bars(["A"], [None]) == "No figures yet."


def test_a_series_gives_its_trend_its_extremes_and_the_latest_against_the_target():
    summary = chart_summary.series(
        ["2017/18 Q1", "2017/18 Q2", "2017/18 Q3"], [40, 55, 50], target=60, target_name="2017/18 Q3 plan"
    )
    assert summary == (
        "Up from 40 in 2017/18 Q1 to 50 in 2017/18 Q3, by 10. "
        "Highest: 55 in 2017/18 Q2. Lowest: 40 in 2017/18 Q1. "
        "The latest is 10 short of the 2017/18 Q3 plan of 60."
    )


def test_a_falling_series_where_lower_is_better_is_ahead_of_its_target():
    summary = chart_summary.series(["Apr", "May"], [12, 8], target=10, higher_is_better=False)
    assert summary == ("Down from 12 in Apr to 8 in May, by 4. The latest is 2 better than the target of 10.")


def test_a_flat_series_and_a_single_figure():
    assert chart_summary.series(["Apr", "May"], [5, 5]) == "The same in May as in Apr: 5."
    assert chart_summary.series(["Apr"], [9500]) == "9,500 in Apr, the only figure so far."


def test_parts_total_each_status_and_name_the_worst_for_the_one_watched():
    summary = chart_summary.parts(
        ["Access", "Workforce", "Estates"],
        [("Not started", [1, 0, 2]), ("Overdue", [0, 3, 1]), ("Achieved", [4, 1, 0])],
        noun="actions",
        watch="Overdue",
    )
    assert summary == "12 actions: 3 Not started; 4 Overdue; 5 Achieved. Most Overdue: Workforce (3)."


def test_parts_with_none_watched_and_with_nothing_at_all():
    columns = [("Accepted", [4]), ("Missing (overdue)", [0])]
    summary = chart_summary.parts(["A"], columns, noun="returns", watch="Missing (overdue)")
    assert summary == "4 returns: 4 Accepted. None Missing (overdue)."
    assert chart_summary.parts(["A"], [("Accepted", [0])], noun="returns") == "No returns yet."


def test_totals_sum_each_series_in_the_tables_format():
    summary = chart_summary.totals(
        [("Allocated", [Decimal("100000"), Decimal("50000")]), ("Spent", [Decimal("20000.50"), None])], format=pounds
    )
    assert summary == "In all: £150,000.00 Allocated, £20,000.50 Spent."


def test_a_difference_of_percentages_is_written_in_points():
    summary = chart_summary.series(
        ["Q2", "Q3"], [40, 66], format=lambda v: f"{v:g}%", difference=lambda v: f"{v:g} percentage points",
        target=60, target_name="Q3 plan",
    )  # fmt: skip
    assert summary == (
        "Up from 40% in Q2 to 66% in Q3, by 26 percentage points. "
        "The latest is 6 percentage points better than the Q3 plan of 60%."
    )
