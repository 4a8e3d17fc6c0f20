"""The words under a trajectory's and a risk's chart: the trend, and the latest against its quarter's plan."""

import datetime as dt
from decimal import Decimal

from commissioning.models import TrajectoryPoint
from commissioning.views.trajectories import trajectory_summary, with_charts

from .factories import TrajectoryFactory


def _point(trajectory, period, planned, actual=None):
    TrajectoryPoint.objects.create(
        trajectory=trajectory, period=period, planned=planned, actual=actual, actual_source="typed" if actual else ""
    )


def test_the_summary_gives_the_trend_and_the_gap_to_the_latest_plan(db):
    coverage = TrajectoryFactory(measure="Extended access coverage", unit="percent")
    _point(coverage, dt.date(2018, 7, 1), Decimal("50"), Decimal("40"))
    _point(coverage, dt.date(2018, 10, 1), Decimal("60"), Decimal("66"))
    _point(coverage, dt.date(2019, 1, 1), Decimal("80"))

    assert trajectory_summary(coverage) == (
        "Actual: Up from 40% in 2018/19 Q2 to 66% in 2018/19 Q3, by 26 percentage points. "
        "The latest is 6 percentage points better than the 2018/19 Q3 plan of 60%."
    )


def test_where_lower_is_better_a_figure_above_plan_is_short_of_it(db):
    waits = TrajectoryFactory(measure="Days to a routine appointment", unit="count", higher_is_better=False)
    _point(waits, dt.date(2018, 10, 1), Decimal("10"), Decimal("12.5"))

    assert trajectory_summary(waits) == (
        "Actual: 12.5 in 2018/19 Q3, the only figure so far. The latest is 2.5 short of the 2018/19 Q3 plan of 10."
    )


def test_with_no_actual_yet_the_summary_says_what_is_planned_and_the_chart_gets_it(db):
    gps = TrajectoryFactory(measure="GP FTE in post", unit="fte")
    _point(gps, dt.date(2019, 1, 1), Decimal("12"))

    [charted] = with_charts([gps])
    assert charted.chart_summary == "No actual values yet; 12 planned by 2018/19 Q4."


def test_a_risks_score_history_reads_as_a_trend_by_date():
    from commissioning.views.risks import ScorePoint, score_history_summary

    def at(day):
        return dt.datetime(2018, 6, day, 12, tzinfo=dt.UTC)

    points = [ScorePoint(at(1), "alice", 4, 4), ScorePoint(at(8), "alice", 5, 4), ScorePoint(at(20), "alice", 2, 3)]
    assert score_history_summary(points) == (
        "Score: Down from 16 on 1 Jun 2018 to 6 on 20 Jun 2018, by 10. "
        "Highest: 20 on 8 Jun 2018. Lowest: 6 on 20 Jun 2018."
    )
