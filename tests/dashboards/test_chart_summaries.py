"""The words printed beside each dashboard chart say what its figures show, from the same table."""

from dashboards.sections import ccg_dashboard

from .test_selectors import PERIOD


def test_each_ccg_dashboard_chart_has_its_summary(
    today, luton, luton_plan, plan_actions, trajectories, workforce_collection, funding
):
    dashboard = ccg_dashboard(luton, PERIOD)
    summaries = {section.key: section.chart.summary for section in dashboard.sections if section.chart}

    assert summaries["plan"] == "3 actions: 1 In progress; 1 Overdue; 1 Achieved. Most Overdue: Workforce (1)."
    assert summaries["trajectories"] == (
        "Highest: PC01 Extended access coverage, 110%. Lowest: PC02 GP FTE in post, 80%. "
        "1 of 2 trajectories is below the plan of 100%; PC02 GP FTE in post is furthest below, by 20%."
    )
    assert summaries["returns"] == (
        "3 returns: 1 Accepted; 1 Submitted, awaiting review; 1 Missing (overdue). "
        "Most Missing (overdue): Workforce census, 2018/19 Q3 (1)."
    )
    assert summaries["funding"] == (
        "In all: £100,000.00 Allocated, £40,000.00 Committed, £10,000.00 Spent. "
        "£60,000.00 of the allocations is left to commit."
    )
