"""The sections of the CCG and cluster dashboards: each a table, its chart and its definition.

The CCG dashboard page, its CSV downloads and the board report all build their sections
here, so the numbers of a chart, its table, its CSV and the board's papers are one list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from access.validation import MINUTES_STANDARD_PER_1000
from commissioning.models import Plan
from portal import chart_summary
from portal import charts as palette
from portal.display import long_date, uk_date
from practices.models import CCG, Cluster
from returns.visibility import collections_for

from . import charts
from . import selectors as s
from .tables import Table


@dataclass
class Section:
    key: str
    title: str
    table: Table
    chart: charts.Chart | None
    definition: str
    as_at: str
    note: str = ""


def _as_at(when: dt.datetime | dt.date | None, fallback: str) -> str:
    return f"Metrics computed {uk_date(when)}" if when else fallback


def meeting_caption(meeting_date: dt.date) -> str:
    return (
        f"Statuses as at {long_date(meeting_date)}, the meeting date; "
        "returns counted as missing only where due by that date"
    )


def counted_caption(period: s.Period, on: dt.date | None) -> str:
    """Statuses and overdue of a dashboard read as at ``on`` (today if not given) are counted on the
    earlier of it and the quarter's last day; the caption says which."""
    on = on or timezone.localdate()
    counted = period.as_at(on)
    if counted == on:
        return f"Statuses and overdue as at {long_date(counted)}"
    return (
        f"Statuses and overdue as at {long_date(counted)}, the last day of {period.label} "
        f"(the dashboard is as at {long_date(on)})"
    )


PLAN_STATUSES = ("Not started", "In progress", "On hold", "Overdue", "Achieved")
PLAN_COLOURS = (palette.GREY, palette.BLUE, palette.ORANGE, palette.RED, palette.LIGHT_GREEN)
RETURN_STATUSES = (
    "Accepted", "Submitted, awaiting review", "Returned for correction", "Missing (overdue)", "Not yet in, not yet due",
)  # fmt: skip
RETURN_COLOURS = (palette.LIGHT_GREEN, palette.BLUE, palette.ORANGE, palette.RED, palette.GREY)


def plan_section(
    plan: Plan | None, period: s.Period, meeting_date: dt.date | None = None, *, on: dt.date | None = None
) -> Section | None:
    """``meeting_date``: a board paper's, which statuses and overdue are counted on; else they are
    counted on the earlier of ``on`` (the dashboard's as-at date, today if not given) and the quarter's end."""
    if plan is None:
        return None
    table = s.plan_summary_table(plan, period, on=meeting_date or period.as_at(on))
    if meeting_date is not None:
        as_at = meeting_caption(meeting_date)
    else:
        as_at = counted_caption(period, on)
    chart = None
    if table.rows:
        figure = charts.stacked_bars(
            table,
            series=list(zip(PLAN_STATUSES, PLAN_COLOURS, strict=True)),
            title=f"Plan actions by chapter and status, {period.financial_year}",
            as_at=as_at,
            unit="Actions",
        )
        chart = charts.Chart(
            key="plan",
            title="Plan actions by chapter and status",
            figure_json=figure.to_json(),
            description=(
                "Stacked bar chart of the plan's actions in each chapter by status; the table gives the same numbers."
            ),
            table_key="plan",
            summary=chart_summary.parts(
                [row[0] for row in table.rows],
                [(status, table.column(status)) for status in PLAN_STATUSES],
                noun="actions",
                watch="Overdue",
            ),
        )
    return Section("plan", f"Plan summary: {plan.title}", table, chart, s.DEFINITIONS["plan"], as_at)


def trajectories_section(statuses: list[s.TrajectoryStatus], period: s.Period, on: dt.date | None = None) -> Section:
    """``on``: the date the statuses' values were read as recorded by (``s.trajectory_statuses``)."""
    table = s.trajectories_table(statuses, period)
    as_at = f"Actual values as typed or taken from returns, as recorded by {long_date(on or timezone.localdate())}"
    chart = None
    known = [
        (row, status) for row, status in zip(table.rows, statuses, strict=True) if status.percent_of_plan is not None
    ]
    if known:
        figure = charts.coloured_bars(
            [f"{row[1]} {row[0]}" for row, _status in known],
            [status.percent_of_plan for _row, status in known],
            [palette.LIGHT_GREEN if status.point.on_track else palette.RED for _row, status in known],
            title=f"Actual as % of planned, latest quarter up to {period.label}",
            as_at=as_at,
            unit="% of planned",
            reference=(100, "Planned"),
        )
        chart = charts.Chart(
            key="trajectories",
            title="Trajectories: actual as a percentage of planned",
            figure_json=figure.to_json(),
            description=(
                "Bar chart of each trajectory's actual value as a percentage of its planned value, green on track "
                "and red off track, against a line at 100%; the table gives the same numbers."
            ),
            table_key="trajectories",
            summary=chart_summary.bars(
                [f"{row[1]} {row[0]}" for row, _status in known],
                [status.percent_of_plan for _row, status in known],
                format=lambda value: f"{float(value):,.0f}%",
                target=100,
                target_name="plan",
                noun="trajectories",
            ),
        )
    return Section("trajectories", "Trajectories against actuals", table, chart, s.DEFINITIONS["trajectories"], as_at)


def workforce_section(ccg: CCG, period: s.Period, cluster: Cluster | None = None) -> Section:
    table, computed, quarter = s.workforce_by_cluster(ccg, period, cluster)
    as_at = _as_at(computed, "No workforce figures yet")
    chart = None
    if table.rows:
        figure = charts.grouped_bars(
            table,
            series=[(GP_FTE, palette.BLUE)],
            title=f"GP FTE per 1,000 patients by cluster, {s.quarter_label(quarter) if quarter else period.label}",
            as_at=as_at,
            unit="GP FTE per 1,000 patients",
        )
        chart = charts.Chart(
            key="workforce",
            title="GP FTE per 1,000 patients by cluster",
            figure_json=figure.to_json(),
            description=(
                "Bar chart of each cluster's GP FTE per 1,000 patients; "
                "the table gives these and the other staff groups."
            ),
            table_key="workforce",
            summary=chart_summary.bars(
                [row[0] for row in table.rows],
                table.column(GP_FTE),
                format=charts.column_format(table, GP_FTE),
                noun="clusters",
            ),
        )
    return Section("workforce", "Workforce by cluster", table, chart, s.DEFINITIONS["workforce"], as_at)


def access_section(ccg: CCG, period: s.Period, cluster: Cluster | None = None) -> Section:
    table, computed, month = s.access_by_cluster(ccg, period, cluster)
    as_at = _as_at(computed, "No access figures yet")
    shown = s.period_name(month) if month else period.label
    chart = None
    if table.rows:
        figure = charts.grouped_bars(
            table,
            series=[(EA_MINUTES, palette.BLUE)],
            title=f"Extended access minutes a week per 1,000 patients by cluster, {shown}",
            as_at=as_at,
            unit="Minutes a week per 1,000 patients",
            reference=(MINUTES_STANDARD_PER_1000, f"Standard: {MINUTES_STANDARD_PER_1000}"),
            below=palette.ORANGE,
        )
        chart = charts.Chart(
            key="access",
            title="Extended access minutes a week per 1,000 patients by cluster",
            figure_json=figure.to_json(),
            description=(
                f"Bar chart of each cluster's extended access minutes a week per 1,000 patients against the standard "
                f"of {MINUTES_STANDARD_PER_1000}, bars short of it in orange; the table gives the same numbers."
            ),
            table_key="access",
            summary=chart_summary.bars(
                [row[0] for row in table.rows],
                table.column(EA_MINUTES),
                format=charts.column_format(table, EA_MINUTES),
                target=MINUTES_STANDARD_PER_1000,
                target_name="standard",
                noun="clusters",
            ),
        )
    return Section("access", "Access by cluster", table, chart, s.DEFINITIONS["access"], as_at)


def returns_section(
    ccg: CCG, period: s.Period, cluster: Cluster | None = None, user=None, meeting_date: dt.date | None = None,
    *, on: dt.date | None = None,
) -> Section:  # fmt: skip
    """Links go only to collections ``user`` may open (commissioners); a board report has none, and
    counts as missing only returns due by its ``meeting_date`` (a dashboard: by ``on``, today if not given)."""
    openable = collections_for(user) if user is not None else None
    table = s.returns_completeness(ccg, period, cluster, openable=openable, on=meeting_date or on)
    if meeting_date is not None:
        as_at = meeting_caption(meeting_date)
    else:
        as_at = f"Returns as at {long_date(on or timezone.localdate())}: missing only where due by that date"
    chart = None
    if table.rows:
        figure = charts.stacked_bars(
            table,
            series=list(zip(RETURN_STATUSES, RETURN_COLOURS, strict=True)),
            title=f"Returns by status, collections for {period.label}",
            as_at=as_at,
            unit="Practices",
        )
        chart = charts.Chart(
            key="returns",
            title="Returns completeness",
            figure_json=figure.to_json(),
            description="Stacked bar chart of each collection's returns by status; the table gives the same numbers.",
            table_key="returns",
            summary=chart_summary.parts(
                [row[0] for row in table.rows],
                [(status, table.column(status)) for status in RETURN_STATUSES],
                noun="returns",
                watch="Missing (overdue)",
            ),
        )
    note = "For the practices of the chosen cluster only." if cluster else ""
    return Section("returns", "Returns completeness", table, chart, s.DEFINITIONS["returns"], as_at, note)


def funding_section(ccg: CCG, period: s.Period, on: dt.date | None = None) -> Section:
    """``on``: as recorded by that date (``funding_summary``); everything recorded if not given."""
    table, _rows = s.funding_table(ccg, period, on=on)
    shown = long_date(on) if on else uk_date(timezone.localtime())
    as_at = f"Allocations, approved schemes and spend recorded as at {shown}"
    chart = None
    if table.rows:
        figure = charts.grouped_bars(
            table,
            series=[("Allocated", palette.BLUE), ("Committed", palette.ORANGE), ("Spent", palette.LIGHT_GREEN)],
            title=f"Funding allocated, committed and spent by stream, {period.financial_year}",
            as_at=as_at,
            unit="£",
            prefix="£",
        )
        chart = charts.Chart(
            key="funding",
            title="Funding allocated, committed and spent",
            figure_json=figure.to_json(),
            description=(
                "Bar chart of each stream's allocated, committed and spent amounts in pounds; "
                "the table gives the same amounts."
            ),
            table_key="funding",
            summary=funding_summary(table),
        )
    return Section("funding", f"Funding, {period.financial_year}", table, chart, s.DEFINITIONS["funding"], as_at)


GP_FTE = "GP FTE per 1,000 patients"
EA_MINUTES = "Extended access minutes a week per 1,000 patients"
CCG_SECTION_KEYS = ["plan", "trajectories", "workforce", "access", "returns", "funding"]


@dataclass
class CCGDashboard:
    ccg: CCG
    period: s.Period
    cluster: Cluster | None
    plan: Plan | None
    statuses: list[s.TrajectoryStatus]
    sections: list[Section]

    def section(self, key: str) -> Section | None:
        return next((section for section in self.sections if section.key == key), None)


def ccg_dashboard(
    ccg: CCG,
    period: s.Period,
    cluster: Cluster | None = None,
    only: str | None = None,
    user=None,
    meeting_date: dt.date | None = None,
    on: dt.date | None = None,
) -> CCGDashboard:
    """Every section of the CCG dashboard (or ``only`` one, for its CSV download); a board paper
    passes its ``meeting_date``, on which the plan's statuses are counted; the dashboard its as-at
    date ``on`` (``?on=``), on which returns, trajectory actuals and funding are read and, up to the
    quarter's end, statuses and overdue counted."""
    plan = s.plan_for(ccg, period) if only in (None, "plan", "trajectories") else None
    statuses = s.trajectory_statuses(plan, period, on=on) if plan and only in (None, "trajectories") else []
    builders = {
        "plan": lambda: plan_section(plan, period, meeting_date, on=on),
        "trajectories": lambda: trajectories_section(statuses, period, on) if plan else None,
        "workforce": lambda: workforce_section(ccg, period, cluster),
        "access": lambda: access_section(ccg, period, cluster),
        "returns": lambda: returns_section(ccg, period, cluster, user, meeting_date, on=on),
        "funding": lambda: funding_section(ccg, period, on),
    }
    keys = [only] if only else CCG_SECTION_KEYS
    sections = [section for key in keys if key in builders and (section := builders[key]()) is not None]
    return CCGDashboard(ccg=ccg, period=period, cluster=cluster, plan=plan, statuses=statuses, sections=sections)


def cluster_sections(cluster: Cluster, period: s.Period, on: dt.date | None = None) -> list[Section]:
    """``on``: the dashboard's as-at date (today if not given); returns count as missing where due by it."""
    table = s.cluster_practices_table(cluster, period, on=on)
    as_at = f"Figures from accepted returns; returns missing where due by {long_date(on or timezone.localdate())}"
    result = []
    if table.rows:
        fte_figure = charts.grouped_bars(
            table,
            series=[(GP_FTE, palette.BLUE)],
            title=f"GP FTE per 1,000 patients by practice, {period.label}",
            as_at=as_at,
            unit="GP FTE per 1,000 patients",
        )
        access_figure = charts.grouped_bars(
            table,
            series=[(EA_MINUTES, palette.BLUE)],
            title=f"Extended access minutes a week per 1,000 patients by practice, {period.label}",
            as_at=as_at,
            unit="Minutes a week per 1,000 patients",
            reference=(MINUTES_STANDARD_PER_1000, f"Standard: {MINUTES_STANDARD_PER_1000}"),
            below=palette.ORANGE,
        )
        result.append(
            Section(
                "practices", "Practices", table,
                charts.Chart("workforce", "GP FTE per 1,000 patients by practice", fte_figure.to_json(),
                             (
                                 "Bar chart of each practice's GP FTE per 1,000 patients; "
                                 "the practices table gives the same numbers."
                             ),
                             "practices", practice_summary(table, GP_FTE)),
                s.DEFINITIONS["workforce"] + " " + s.DEFINITIONS["access"], as_at,
            )
        )  # fmt: skip
        result.append(
            Section(
                "access", "Extended access by practice", table,
                charts.Chart("access", "Extended access minutes by practice", access_figure.to_json(),
                             (
                                 "Bar chart of each practice's extended access minutes a week per 1,000 patients; "
                                 "the practices table gives the same numbers."
                             ),
                             "practices", practice_summary(table, EA_MINUTES, target=MINUTES_STANDARD_PER_1000)),
                s.DEFINITIONS["access"], as_at,
            )
        )  # fmt: skip
    else:
        result.append(Section("practices", "Practices", table, None, s.DEFINITIONS["workforce"], as_at))
    return result


def practice_summary(table: Table, header: str, target: float | None = None) -> str:
    return chart_summary.bars(
        [row[0] for row in table.rows],
        table.column(header),
        format=charts.column_format(table, header),
        target=target,
        target_name="standard",
        noun="practices",
    )


def funding_summary(table: Table) -> str:
    """The totals, and the allocation left to commit: the gap between the target and the bids approved."""
    pounds = charts.column_format(table, "Allocated")
    summary = chart_summary.totals(
        [(header, table.column(header)) for header in ("Allocated", "Committed", "Spent")], format=pounds
    )
    remaining = [value for value in table.column("Remaining to commit") if value is not None]
    if remaining:
        summary += f" {pounds(sum(remaining))} of the allocations is left to commit."
    return summary
