"""The numbers of each dashboard section on small hand-made data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dashboards import selectors as s
from dashboards.sections import ccg_dashboard

from .helpers import Q3, metric_value

pytestmark = pytest.mark.django_db
PERIOD = s.Period(Q3)


def test_period_is_a_quarter_labelled_by_financial_year():
    period = s.Period.parse("2018-11-15")
    assert period.start == Q3 and period.end == dt.date(2018, 12, 31)
    assert period.label == "2018/19 Q3"
    assert str(period.financial_year) == "2018/19"
    assert s.Period.parse("not a date") is None


def test_period_options_cover_the_plans_years_up_to_today(today, luton, luton_plan):
    options = s.period_options(luton)
    assert options[0] == s.Period(dt.date(2017, 4, 1))
    assert options[-1] == s.Period(dt.date(2019, 1, 1))  # 2018/19 Q4 is today's quarter
    assert len(options) == 8


def test_default_period_is_the_latest_with_an_accepted_return(today, luton, luton_plan, workforce_collection):
    assert s.default_period(luton, s.period_options(luton)) == PERIOD


def test_plan_summary_counts_each_action_once_by_chapter_and_status(today, luton, plan_actions):
    table = s.plan_summary_table(s.plan_for(luton, PERIOD), PERIOD)
    rows = {row[0]: row[1:] for row in table.rows}
    # Not started, in progress, on hold, overdue, achieved, total
    assert rows["Workforce"] == [0, 1, 0, 1, 0, 2]
    assert rows["Care Redesign"] == [0, 0, 0, 0, 1, 1]
    assert table.total == ["All chapters", 0, 1, 0, 1, 1, 3]


def test_overdue_is_counted_at_the_end_of_the_quarter_not_today(today, luton, plan_actions):
    table = s.plan_summary_table(s.plan_for(luton, s.Period(Q3)), s.Period(dt.date(2018, 7, 1)))
    # On 30 September 2018 PC02 (due 30 November) was not yet overdue.
    assert table.total == ["All chapters", 0, 2, 0, 0, 1, 3]


def test_trajectories_show_the_latest_planned_quarter_and_percent_of_plan(today, luton, luton_plan, trajectories):
    statuses = s.trajectory_statuses(luton_plan, PERIOD)
    table = s.trajectories_table(statuses, PERIOD)
    rows = {row[0]: row for row in table.rows}
    coverage = rows["Extended access coverage"]
    assert coverage[2] == "2018/19 Q3"
    assert (coverage[4], coverage[5]) == (Decimal("60.00"), Decimal("66.00"))
    assert coverage[6] == pytest.approx(110.0)
    assert coverage[7] == "On track"
    gps = rows["GP FTE in post"]
    assert gps[2] == "2018/19 Q3"  # the Q4 point is after the period
    assert gps[6] == pytest.approx(80.0) and gps[7] == "Off track"


def test_workforce_by_cluster_reads_the_engines_values(today, luton, luton_cluster, workforce_metrics):
    table, computed, quarter = s.workforce_by_cluster(luton, PERIOD)
    assert quarter == Q3 and computed is not None
    assert table.rows == [["Luton North", 1, 9500, 0.6, None, None, None, 4.0]]
    assert table.total[:4] == ["NHS Luton CCG, all practices", 2, 20000, 0.55]


def test_access_by_cluster_uses_the_latest_month_of_the_quarter(today, luton, luton_cluster):
    metric_value(luton_cluster, "extended_access_minutes_per_1000", dt.date(2018, 10, 1), 25.0, frequency="monthly",
                 denominator=9500, practices_counted=1)  # fmt: skip
    metric_value(luton_cluster, "extended_access_minutes_per_1000", dt.date(2018, 11, 1), 31.5, frequency="monthly",
                 denominator=9500, practices_counted=1)  # fmt: skip
    metric_value(luton, "extended_access_minutes_per_1000", dt.date(2018, 11, 1), 31.5, frequency="monthly",
                 denominator=9500, practices_counted=1)  # fmt: skip
    table, _computed, month = s.access_by_cluster(luton, PERIOD)
    assert month == dt.date(2018, 11, 1)
    assert table.column("Extended access minutes a week per 1,000 patients") == [31.5]


def test_a_chosen_cluster_shows_only_its_own_row(today, luton, luton_cluster, workforce_metrics):
    other = luton_cluster.__class__.objects.create(ccg=luton, name="Luton South")
    metric_value(other, "gp_fte_per_1000", Q3, 0.5, denominator=10500, practices_counted=1)
    table, _computed, _quarter = s.workforce_by_cluster(luton, PERIOD, cluster=other)
    assert [row[0] for row in table.rows] == ["Luton South"]
    assert table.total is None


def test_returns_completeness_counts_accepted_submitted_and_missing(today, luton, workforce_collection):
    table = s.returns_completeness(luton, PERIOD)
    (row,) = table.rows
    assert row[0] == "Workforce census, 2018/19 Q3"
    # asked, accepted, submitted, returned, missing, not yet due
    assert row[2:8] == [3, 1, 1, 0, 1, 0]
    assert row[8] == pytest.approx(200 / 3)


def test_returns_completeness_of_a_cluster_counts_its_practices_only(today, luton, luton_cluster, workforce_collection):
    other = luton_cluster.__class__.objects.create(ccg=luton, name="Luton South")
    table = s.returns_completeness(luton, PERIOD, cluster=other)
    assert table.rows[0][2] == 0


def test_funding_shows_allocated_committed_spent_and_remaining(today, luton, funding):
    table, _rows = s.funding_table(luton, PERIOD)
    assert table.rows == [["Practice transformation", Decimal("100000.00"), Decimal("40000.00"),
                           Decimal("10000.00"), Decimal("60000.00")]]  # fmt: skip
    assert table.total[1:] == [Decimal("100000.00"), Decimal("40000.00"), Decimal("10000.00"), Decimal("60000.00")]


def test_exceptions_list_overdue_red_high_risks_missing_returns_and_off_track(
    today, luton, luton_plan, plan_actions, trajectories, risks, workforce_collection
):
    dashboard = ccg_dashboard(luton, PERIOD)
    exceptions = s.exceptions_for(luton, PERIOD, dashboard.plan, dashboard.statuses)
    assert [a.local_code for a in exceptions.overdue_actions] == ["PC02"]
    assert [a.local_code for a in exceptions.red_actions] == ["PC02"]
    assert [r.reference for r in exceptions.high_risks] == ["R01"]
    assert [r.practice for r in exceptions.missing_returns] == [workforce_collection["practices"][2]]
    assert [t.trajectory.measure for t in exceptions.off_trajectory] == ["GP FTE in post"]


def test_exceptions_include_workforce_behind_the_plans_trajectory_and_worse_outliers(
    today, luton, luton_plan, luton_practice
):
    metric_value(luton, "gp_fte_against_trajectory", Q3, -2.5, numerator=7.5, denominator=10)
    metric_value(luton_practice, "gp_fte_per_1000", Q3, 0.1, outlier="low")
    metric_value(luton_practice, "dna_rate", Q3, 1.0, outlier="low")  # low is good for DNAs
    exceptions = s.exceptions_for(luton, PERIOD, luton_plan, [])
    assert [v.metric for v in exceptions.metrics_behind_plan] == ["gp_fte_against_trajectory"]
    assert [v.metric for v in exceptions.outliers] == ["gp_fte_per_1000"]


def test_cluster_table_lists_member_practices_with_their_metrics(today, luton, luton_cluster, luton_practice,
                                                                  workforce_metrics, workforce_collection):  # fmt: skip
    table = s.cluster_practices_table(luton_cluster, PERIOD)
    rows = {row[1]: row for row in table.rows}
    assert set(rows) == {"E81001", "E80100", "E80101"}
    assert rows["E81001"][2] == 9500
    assert rows["E81001"][3] == 0.6
    assert rows["E80101"][-1] == 1  # its workforce return is missing


def test_cluster_table_counts_a_return_missing_only_once_its_due_date_has_passed(
    today, luton, luton_cluster, workforce_collection
):
    def missing_of_the_never_submitted(on):
        table = s.cluster_practices_table(luton_cluster, PERIOD, on=on)
        return {row[1]: row[-1] for row in table.rows}["E80101"]

    assert missing_of_the_never_submitted(dt.date(2019, 1, 15)) == 0  # due that day: not yet missing
    assert missing_of_the_never_submitted(dt.date(2019, 1, 16)) == 1


def test_returns_completeness_on_a_past_day_counts_a_later_submission_as_not_yet_in(today, luton, workforce_collection):
    (row,) = s.returns_completeness(luton, PERIOD, on=dt.date(2019, 1, 12)).rows
    # asked, accepted, submitted (awaiting review), returned, missing, not yet due: the second return came on 14 January
    assert row[2:8] == [3, 1, 0, 0, 0, 2]


def test_a_quarter_without_a_census_shows_the_latest_census_before_it(today, luton, luton_cluster):
    metric_value(luton_cluster, "gp_fte_per_1000", dt.date(2018, 4, 1), 0.58, denominator=9400, practices_counted=1)
    metric_value(luton, "gp_fte_per_1000", dt.date(2018, 4, 1), 0.58, denominator=9400, practices_counted=1)
    table, _computed, quarter = s.workforce_by_cluster(luton, PERIOD)
    assert quarter == dt.date(2018, 4, 1)
    assert table.caption == "Workforce by cluster, 2018/19 Q1, the latest census up to 2018/19 Q3"
    assert table.rows[0][:4] == ["Luton North", 1, 9400, 0.58]


def test_returns_completeness_links_a_collection_only_for_readers_who_may_open_it(
    today, luton, workforce_collection, alice, carol
):
    from returns.visibility import collections_for

    assert s.returns_completeness(luton, PERIOD, openable=collections_for(alice)).links == [
        workforce_collection["collection"].get_absolute_url()
    ]
    assert s.returns_completeness(luton, PERIOD, openable=collections_for(carol)).links == [None]
    assert s.returns_completeness(luton, PERIOD).links == [None]
