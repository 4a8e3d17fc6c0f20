"""Reads behind the dashboards, the board report and the digest: stored rows in, ``Table`` out.

Each function reads a fixed number of queries for one CCG (or cluster) and one quarter,
whatever the number of practices: aggregates are summed by the database or over rows
already fetched, never one query per practice. Nothing here computes a metric: workforce and
access figures are the metrics engine's stored ``MetricValue`` rows (practice, cluster and
CCG values the engine worked out from numerators and denominators; see
``metrics.definitions`` for what each means).

Definitions shown to users are in ``DEFINITIONS``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from commissioning.funding.selectors import NO_ALLOCATION, funding_summary
from commissioning.models import Action, Plan, Risk, Trajectory, TrajectoryPoint
from commissioning.services import plan_summary
from metrics.definitions import METRICS
from metrics.models import Level, MetricValue, Outlier
from portal.periods import FinancialYear, Period, quarter_label
from practices.models import CCG, Cluster, ClusterMembership, ListSize, Practice
from returns.models import Collection, Return

from .tables import Column, Kind, Table, metric_column

NOT_IN_A_CLUSTER = "Not in a cluster"

DEFINITIONS = {
    "plan": (
        "Actions of the CCG's GP Forward View plan for the financial year, by chapter. The columns add up to the "
        "total: an action past its due date and not achieved counts as overdue (at the end of the quarter, or "
        "today if the quarter has not ended), not under its status."
    ),
    "trajectories": (
        "For each trajectory, its latest quarter up to the end of the period with a planned value: the planned "
        "and actual values, and the actual as a percentage of the planned. On track means at or above plan "
        "(at or below, where lower is better)."
    ),
    "workforce": (
        "The metrics engine's values for the quarter, from accepted workforce returns (staff in post on its last "
        "day). FTE is contracted hours a week divided by 37.5. A cluster's or the CCG's value divides the sum of "
        "its practices' FTE by the sum of their list sizes, over the practices with an accepted return; clusters "
        "are as on the last day of the quarter. Each metric's full definition is on the metric definitions page."
    ),
    "access": (
        "The metrics engine's values for the latest month (or the quarter) in the quarter with accepted access "
        "returns. Rates per 1,000 patients of a cluster or the CCG divide the sums of their practices' figures by "
        "the sum of their list sizes. Fully compliant: extended access on weekday evenings or mornings, Saturdays "
        "and Sundays (alone or with its group)."
    ),
    "returns": (
        "Collections the CCG opened for periods in the quarter. Complete: accepted, or submitted and awaiting "
        "review. Missing: due before the day counted on and not submitted by it (a return due on that day or "
        "later is not yet due)."
    ),
    "funding": (
        "GP Forward View money of the financial year: allocated (notified to the CCG), committed (asked for by "
        "approved schemes), spent (actual spend recorded), remaining (allocated minus committed)."
    ),
}


# Periods (``Period``, a quarter by default, is ``portal.periods.Period``)


def period_options(ccg: CCG, today: dt.date | None = None) -> list[Period]:
    """Quarters of the financial years the CCG has plans or collections in, up to the current one. Two queries."""
    today = today or timezone.localdate()
    years = set()
    for first, last in Plan.objects.filter(ccg=ccg).values_list("first_year", "last_year"):
        years.update(range(first, last + 1))
    for start in Collection.objects.filter(ccg=ccg).values_list("period_start", flat=True).distinct():
        years.add(FinancialYear.containing(start).start_year)
    if not years:
        years.add(FinancialYear.containing(today).start_year)
    current = Period.containing(today)
    quarters = [Period(FinancialYear(y).quarter(n)) for y in sorted(years) for n in range(1, 5)]
    return [q for q in quarters if q <= current] or [current]


def default_period(ccg: CCG, options: list[Period]) -> Period:
    """The latest quarter with figures in: an accepted return or a trajectory's actual value. Two queries."""
    latest = [
        Collection.objects.filter(ccg=ccg, returns__status=Return.Status.ACCEPTED)
        .order_by("-period_start")
        .values_list("period_start", flat=True)
        .first(),
        TrajectoryPoint.objects.filter(trajectory__action__plan__ccg=ccg, actual__isnull=False)
        .order_by("-period")
        .values_list("period", flat=True)
        .first(),
    ]
    days = [d for d in latest if d is not None]
    if days:
        wanted = Period.containing(max(days))
        if wanted in options:
            return wanted
    return options[-1]


# Clusters on a date


def cluster_on(on: dt.date) -> Subquery:
    """The cluster of ``OuterRef('practice_id')`` on ``on``, for annotating rows about practices."""
    current = ClusterMembership.objects.current(on).filter(practice_id=OuterRef("practice_id")).order_by("-start_date")
    return Subquery(current.values("cluster_id")[:1])


def practices_in_cluster(cluster: Cluster, on: dt.date) -> QuerySet[Practice]:
    return Practice.objects.filter(
        pk__in=ClusterMembership.objects.current(on).filter(cluster=cluster).values("practice_id")
    )


# Plan summary


def plan_for(ccg: CCG, period: Period) -> Plan | None:
    """The CCG's plan that covers the period's financial year (the most recent, if two do)."""
    year = period.financial_year.start_year
    return Plan.objects.filter(ccg=ccg, first_year__lte=year, last_year__gte=year).order_by("-first_year").first()


PLAN_COLUMNS = [
    ("not_started", "Not started"),
    ("in_progress", "In progress"),
    ("on_hold", "On hold"),
    ("overdue", "Overdue"),
    ("achieved", "Achieved"),
    ("total", "Total"),
]


def plan_summary_table(plan: Plan, period: Period, today: dt.date | None = None, *, on: dt.date | None = None) -> Table:
    """Actions of the plan by chapter and status (one query, ``commissioning.services.plan_summary``),
    counted ``on`` a day (a board meeting's), or else at the period's end or today."""
    on = on or period.as_at(today)
    summaries, totals = plan_summary(plan=plan, on=on)
    table = Table(
        key="plan",
        caption=f"Actions of {plan.title} by chapter and status, counted on {on.day} {on:%b %Y}",
        columns=[Column("Chapter")]
        + [Column(label, Kind.COUNT, of=f"on {on.day} {on:%b %Y}") for _key, label in PLAN_COLUMNS],
        empty="The plan has no actions yet.",
    )
    for summary in summaries:
        if summary.total:
            table.rows.append([summary.chapter.name] + [getattr(summary, key) for key, _label in PLAN_COLUMNS])
            table.links.append(reverse("commissioning:action_list", args=[plan.pk]) + f"?chapter={summary.chapter.pk}")
    table.total = ["All chapters"] + [getattr(totals, key) for key, _label in PLAN_COLUMNS]
    return table


# Trajectories against actuals


@dataclass
class TrajectoryStatus:
    trajectory: Trajectory
    point: TrajectoryPoint

    @property
    def percent_of_plan(self) -> float | None:
        point = self.point
        if point.planned is None or point.actual is None or point.planned == 0:
            return None
        return float(point.actual / point.planned * 100)

    @property
    def on_track_label(self) -> str:
        return {True: "On track", False: "Off track", None: "Not yet known"}[self.point.on_track]


def trajectory_statuses(plan: Plan, period: Period, *, on: dt.date | None = None) -> list[TrajectoryStatus]:
    """Each trajectory's latest planned point up to the end of the period, with its values as
    recorded by ``on`` (today if not given; ``TrajectoryPointQuerySet.as_at``). One query."""
    points = (
        TrajectoryPoint.objects.filter(trajectory__action__plan=plan, period__lte=period.end)
        .as_at(on)
        .filter(planned_on__isnull=False)
        .select_related("trajectory__action")
        .order_by("trajectory__action__local_code", "trajectory__measure", "trajectory_id", "-period")
    )
    seen, statuses = set(), []
    for point in points:
        if point.trajectory_id in seen:
            continue
        seen.add(point.trajectory_id)
        statuses.append(TrajectoryStatus(trajectory=point.trajectory, point=point))
    return statuses


def trajectories_table(statuses: list[TrajectoryStatus], period: Period) -> Table:
    table = Table(
        key="trajectories",
        caption=f"Trajectories against actuals, latest quarter up to {period.label}",
        columns=[
            Column("Trajectory"),
            Column("Action"),
            Column("Quarter"),
            Column("Unit"),
            Column("Planned", Kind.DECIMAL),
            Column("Actual", Kind.DECIMAL),
            Column("Actual as % of planned", Kind.PERCENT),
            Column("On track"),
        ],
        empty="No trajectory has a planned value for this period.",
    )
    for status in statuses:
        point, trajectory = status.point, status.trajectory
        table.rows.append(
            [
                trajectory.measure,
                trajectory.action.local_code,
                point.period_label,
                trajectory.get_unit_display(),
                point.planned,
                point.actual,
                status.percent_of_plan,
                status.on_track_label,
            ]
        )
        table.links.append(reverse("commissioning:trajectory_detail", args=[trajectory.pk]))
    return table


# Workforce and access by cluster, from the metrics engine's stored values


WORKFORCE_METRICS = [
    ("gp_fte_per_1000", "GP FTE per 1,000 patients"),
    ("nurse_fte_per_1000", "Nurse FTE per 1,000 patients"),
    ("dpc_fte_per_1000", "Direct patient care FTE per 1,000 patients"),
    ("admin_fte_per_1000", "Admin FTE per 1,000 patients"),
    ("vacancy_rate", "Vacancy rate (%)"),
]
ACCESS_METRICS = [
    ("extended_access_full", "Practices fully compliant with extended access (%)"),
    ("extended_access_population_covered", "Patients covered by full extended access (%)"),
    ("extended_access_minutes_per_1000", "Extended access minutes a week per 1,000 patients"),
    ("appointments_per_1000", "Appointments a week per 1,000 patients"),
    ("dna_rate", "Appointments not attended (%)"),
]


def metric_columns(first: str, metrics: list[tuple[str, str]], counted: str, *, of: str = "") -> list[Column]:
    """``of``: the period the figures are of, which the CSV's headings name."""
    return [
        Column(first),
        Column(counted, Kind.COUNT, of=of),
        Column("Patients", Kind.PATIENTS, of=of),
        *[metric_column(label, code) for code, label in metrics],
    ]


def period_name(day: dt.date) -> str:
    """'the period from 1 Oct 2018': access metrics are monthly or quarterly, as the CCG collects."""
    return f"the period from {day.day} {day:%b %Y}"


def metric_period(ccg: CCG, codes: list[str], period: Period, *, look_back_days: int = 0) -> dt.date | None:
    """The latest period up to the quarter's end with values for the CCG: in the quarter, or up to
    ``look_back_days`` before it (the workforce census lags). One query."""
    since = period.start - dt.timedelta(days=look_back_days)
    return MetricValue.objects.for_ccg(ccg).metric(codes).between(since, period.end).latest_period()


def metrics_by_cluster(
    ccg: CCG,
    period: Period,
    metrics: list[tuple[str, str]],
    *,
    key: str,
    caption,
    empty: str,
    counted: str,
    patients_code: str,
    cluster: Cluster | None = None,
    look_back_days: int = 0,
) -> tuple[Table, dt.datetime | None, dt.date | None]:
    """One row per cluster (and the CCG's as the total) of stored metric values. Three queries.

    ``caption(shown)`` words the caption for the period shown; ``patients_code`` is the metric
    whose denominator is the registered patients of the practices counted."""
    codes = [code for code, _label in metrics]
    month = metric_period(ccg, codes, period, look_back_days=look_back_days)
    of = f"{month.day} {month:%b %Y}" if month else ""
    columns = metric_columns("Cluster", metrics, counted, of=f"period from {of}" if of else "")
    table = Table(key=key, caption=caption(month), columns=columns, empty=empty)
    if month is None:
        return table, None, None
    rows = (
        MetricValue.objects.metric([*codes, patients_code]).period(month).in_ccg(ccg, levels=[Level.CLUSTER], own=True)
    )
    if cluster is not None:
        rows = rows.filter(Q(level=Level.CCG) | Q(org_id=cluster.pk))
    names = dict(Cluster.objects.filter(ccg=ccg).values_list("pk", "name"))
    by_org: dict = defaultdict(dict)
    latest = None
    for level, org_id, code, value, denominator, counted_n, computed in rows.values_list(
        "level", "org_id", "metric", "value", "denominator", "practices_counted", "computed_at"
    ):
        by_org[(level, org_id)][code] = (value, denominator, counted_n)
        latest = max(latest, computed) if latest else computed

    def line(name, values):
        counted_n = max(v[2] for v in values.values())
        patients = values.get(patients_code, (None, None, 0))[1]
        return [name, counted_n, int(patients) if patients is not None else None,
                *[values[code][0] if code in values else None for code in codes]]  # fmt: skip

    clusters = sorted(
        ((org_id, values) for (level, org_id), values in by_org.items() if level == Level.CLUSTER),
        key=lambda item: names.get(item[0], ""),
    )
    for org_id, values in clusters:
        table.rows.append(line(names.get(org_id, f"Cluster {org_id}"), values))
        table.links.append(reverse("dashboards:cluster", args=[org_id]) + f"?period={period.value}")
    own = by_org.get((Level.CCG, ccg.pk))
    if own and cluster is None:
        table.total = line(f"{ccg.name}, all practices", own)
    return table, latest, month


#: The workforce census is quarterly and often lags: a quarter without one shows the latest of the year before.
WORKFORCE_LOOK_BACK_DAYS = 366


def workforce_by_cluster(ccg: CCG, period: Period, cluster: Cluster | None = None):
    return metrics_by_cluster(
        ccg, period, WORKFORCE_METRICS, key="workforce", cluster=cluster, patients_code="gp_fte_per_1000",
        look_back_days=WORKFORCE_LOOK_BACK_DAYS,
        caption=lambda shown: (
            f"Workforce by cluster, {period.label} (from accepted workforce returns)"
            if shown is None or shown == period.start
            else f"Workforce by cluster, {quarter_label(shown)}, the latest census up to {period.label}"
        ),
        empty="No workforce figures for this quarter yet: no return accepted, or the metrics not yet computed.",
        counted="Practices with an accepted return",
    )  # fmt: skip


def access_by_cluster(ccg: CCG, period: Period, cluster: Cluster | None = None):
    return metrics_by_cluster(
        ccg, period, ACCESS_METRICS, key="access", cluster=cluster, patients_code="extended_access_population_covered",
        caption=lambda shown: f"Access by cluster, {period_name(shown) if shown else period.label} "
        "(from accepted access returns)",
        empty="No access figures for this quarter yet: no return accepted, or the metrics not yet computed.",
        counted="Practices with an accepted return",
    )  # fmt: skip


# Returns completeness


RETURNS_COLUMNS = [
    Column("Collection"),
    Column("Due date", Kind.DATE),
    Column("Practices asked", Kind.COUNT),
    Column("Accepted", Kind.COUNT),
    Column("Submitted, awaiting review", Kind.COUNT),
    Column("Returned for correction", Kind.COUNT),
    Column("Missing (overdue)", Kind.COUNT),
    Column("Not yet in, not yet due", Kind.COUNT),
    Column("Complete (%)", Kind.PERCENT),
]


def returns_completeness(
    ccg: CCG,
    period: Period,
    cluster: Cluster | None = None,
    *,
    openable: QuerySet[Collection] | None = None,
    on: dt.date | None = None,
) -> Table:
    """For each collection of a period in the quarter: practices asked, accepted, submitted, missing on ``on``
    (today if not given; ``CollectionQuerySet.with_return_counts``). One query, and one more for ``openable``:
    the collections the reader may open, which alone get a link."""
    collections = Collection.objects.filter(ccg=ccg, period_start__gte=period.start, period_start__lte=period.end)
    practices = practices_in_cluster(cluster, period.end).values("pk") if cluster is not None else None
    collections = (
        collections.select_related("ccg")
        .with_return_counts(on, practices=practices)
        .order_by("period_start", "return_type")
    )
    linked = set(openable.filter(ccg=ccg).values_list("pk", flat=True)) if openable is not None else set()
    table = Table(
        key="returns",
        caption=f"Returns asked for periods in {period.label}, and where they stand",
        columns=RETURNS_COLUMNS,
        empty="No collection was opened for a period in this quarter.",
    )
    for collection in collections:
        complete = collection.accepted + collection.submitted
        table.rows.append(
            [
                collection.title,
                collection.due_date,
                collection.asked,
                collection.accepted,
                collection.submitted,
                collection.returned,
                collection.missing,
                collection.not_yet_due,
                complete / collection.asked * 100 if collection.asked else None,
            ]
        )
        table.links.append(collection.get_absolute_url() if collection.pk in linked else None)
    return table


# Funding


FUNDING_COLUMNS = [
    Column("Stream"),
    Column("Allocated", Kind.POUNDS),
    Column("Committed", Kind.POUNDS),
    Column("Spent", Kind.POUNDS),
    Column("Remaining to commit", Kind.POUNDS, missing=NO_ALLOCATION),
]


def funding_table(ccg: CCG, period: Period, *, on: dt.date | None = None) -> tuple[Table, list]:
    """Allocated, committed, spent and remaining by stream in the period's financial year, as
    recorded by ``on`` (``funding_summary``). Four queries."""
    year = period.financial_year
    summary = funding_summary(ccg=ccg, on=on)
    rows = summary.in_year(year.start_year)
    table = Table(
        key="funding",
        caption=f"GP Forward View funding of {ccg.name} by stream, {year}",
        columns=[replace(c, of=str(year)) if c.kind == Kind.POUNDS else c for c in FUNDING_COLUMNS],
        empty=f"No funding is recorded for {year}.",
    )
    for row in rows:
        table.rows.append([row.stream.label, row.allocated, row.committed, row.spent, row.remaining_to_commit])
        table.links.append(None)
    if rows:
        total = summary.total(rows)
        table.total = ["All streams", total.allocated, total.committed, total.spent, total.remaining]
    return table, rows


# The cluster dashboard


CLUSTER_WORKFORCE = [
    ("gp_fte_per_1000", "GP FTE per 1,000 patients"),
    ("nurse_fte_per_1000", "Nurse FTE per 1,000 patients"),
]
CLUSTER_ACCESS = [
    ("extended_access_full", "Fully compliant with extended access (%)"),
    ("extended_access_minutes_per_1000", "Extended access minutes a week per 1,000 patients"),
    ("appointments_per_1000", "Appointments a week per 1,000 patients"),
    ("dna_rate", "Appointments not attended (%)"),
]


def cluster_practices_table(cluster: Cluster, period: Period, *, on: dt.date | None = None) -> Table:
    """Each member practice (on the quarter's last day): list size, stored workforce and access metrics,
    returns missing where due by ``on`` (today if not given). Six queries, whatever the number of practices."""
    missing_on = on or timezone.localdate()
    on = period.end
    practices = list(
        practices_in_cluster(cluster, on)
        .with_list_size(on)
        .order_by("name")
        .values("pk", "name", "ods_code", "list_size")
    )
    ids = [p["pk"] for p in practices]
    workforce_codes = [code for code, _label in CLUSTER_WORKFORCE]
    access_codes = [code for code, _label in CLUSTER_ACCESS]
    month = metric_period(cluster.ccg, access_codes, period)
    quarter = metric_period(cluster.ccg, workforce_codes, period, look_back_days=WORKFORCE_LOOK_BACK_DAYS)
    wanted = Q(pk__in=[])
    if quarter is not None:
        wanted |= Q(metric__in=workforce_codes, period=quarter, frequency="quarterly")
    if month is not None:
        wanted |= Q(metric__in=access_codes, period=month)
    values: dict = defaultdict(dict)
    for practice_id, code, value in (
        MetricValue.objects.practices().filter(org_id__in=ids).filter(wanted).values_list("org_id", "metric", "value")
    ):
        values[practice_id][code] = value
    missing = dict(
        Return.objects.missing(missing_on)
        .filter(
            practice_id__in=ids,
            collection__ccg_id=cluster.ccg_id,
            collection__period_start__gte=period.start,
            collection__period_start__lte=period.end,
        )
        .values("practice_id")
        .annotate(n=Count("pk"))
        .values_list("practice_id", "n")
    )
    table = Table(
        key="practices",
        caption=f"Practices of {cluster.name} on {on.day} {on:%b %Y}, {period.label}"
        + (f" (workforce from the {quarter_label(quarter)} census)" if quarter and quarter != period.start else ""),
        columns=[
            Column("Practice"),
            Column("ODS code"),
            Column("List size", Kind.PATIENTS, of=f"latest extract by {on.day} {on:%b %Y}"),
            *[metric_column(label, code) for code, label in CLUSTER_WORKFORCE + CLUSTER_ACCESS],
            Column("Returns missing", Kind.COUNT),
        ],
        empty="No practice was a member of this cluster at the end of the quarter.",
    )
    for practice in practices:
        own = values.get(practice["pk"], {})
        table.rows.append(
            [
                practice["name"],
                practice["ods_code"],
                practice["list_size"],
                *[own.get(code) for code in workforce_codes + access_codes],
                missing.get(practice["pk"], 0),
            ]
        )
        table.links.append(reverse("dashboards:practice_profile", args=[practice["pk"]]))
    return table


def cluster_actions(cluster: Cluster, period: Period, *, on: dt.date | None = None) -> list[Action]:
    """Actions of the CCG's plan that name the cluster and were open as at ``on`` (else the quarter's
    end or today), with their statuses then and overdue flagged. One query."""
    return list(
        Action.objects.filter(clusters=cluster, plan__ccg_id=cluster.ccg_id)
        .open(on or period.as_at())
        .select_related("plan", "chapter")
        .order_by("due_on", "local_code")
    )


# Exceptions, for the board report


@dataclass
class Exceptions:
    """What a board should look at for a CCG and a quarter."""

    overdue_actions: list[Action]
    red_actions: list[Action]
    high_risks: list[Risk]
    missing_returns: list[Return]
    off_trajectory: list[TrajectoryStatus]
    metrics_behind_plan: list[MetricValue] = field(default_factory=list)
    outliers: list[MetricValue] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(
            len(items)
            for items in (
                self.overdue_actions, self.red_actions, self.high_risks, self.missing_returns, self.off_trajectory,
                self.metrics_behind_plan, self.outliers,
            )
        )  # fmt: skip


def high_risks(plan: Plan, on: dt.date | None = None) -> list[Risk]:
    """The plan's risks open and scoring high or extreme as recorded by the end of ``on`` (today if not
    given; ``RiskQuerySet.as_at`` and ``high``), highest first. One query."""
    return list(Risk.objects.filter(plan=plan).as_at(on).high().highest_first())


def missing_returns(ccg: CCG, period: Period, on: dt.date | None = None) -> list[Return]:
    """Returns of the CCG's collections for periods of the year up to the end of the quarter, missing on ``on``
    (today if not given): due before it and not submitted by it."""
    return list(
        Return.objects.missing(on)
        .filter(
            collection__ccg=ccg,
            collection__period_start__gte=period.financial_year.start,
            collection__period_start__lte=period.end,
        )
        .select_related("practice", "collection")
        .order_by("collection__due_date", "practice__name")
    )


def exceptions_for(
    ccg: CCG, period: Period, plan: Plan | None, statuses: list[TrajectoryStatus], *, on: dt.date | None = None
) -> Exceptions:
    """What the board should look at, counted ``on`` a day (the meeting's), or else at the period's end or today:
    actions overdue or red on it and risks high on it (each as it stood then), and returns missing only where they
    were due by it (without ``on``, due by today)."""
    missing_on, on = on, on or period.as_at()
    if plan is None:
        overdue, red, risks = [], [], []
    else:
        actions = Action.objects.filter(plan=plan).as_at(on).select_related("chapter").order_by("due_on", "local_code")
        overdue = list(actions.overdue(on))
        red = list(actions.red(on))
        risks = high_risks(plan, on)
    return Exceptions(
        overdue_actions=overdue,
        red_actions=red,
        high_risks=risks,
        missing_returns=missing_returns(ccg, period, missing_on),
        off_trajectory=[s for s in statuses if s.point.on_track is False],
        metrics_behind_plan=list(
            MetricValue.objects.for_ccg(ccg)
            .metric(TRAJECTORY_METRICS)
            .between(period.start, period.end)
            .filter(value__lt=0)
            .order_by("metric", "period")
        ),
        outliers=worse_outliers(ccg, period),
    )


TRAJECTORY_METRICS = ["gp_fte_against_trajectory", "clinical_fte_against_trajectory"]


def worse_outliers(ccg: CCG, period: Period) -> list[MetricValue]:
    """Practices of the CCG that are outliers on the worse side of a metric in the quarter. One query."""
    directions = {m.code: m.higher_is_better for m in METRICS if m.higher_is_better is not None}
    worse = Q(pk__in=[])
    for code, higher_is_better in directions.items():
        worse |= Q(metric=code, outlier=Outlier.LOW if higher_is_better else Outlier.HIGH)
    return list(
        MetricValue.objects.in_ccg(ccg)
        .practices()
        .between(period.start, period.end)
        .filter(worse)
        .select_related("practice")
        .order_by("practice__name", "metric", "period")
    )


# The practice profile


def list_size_history(practice: Practice, limit: int = 24) -> list[ListSize]:
    return list(practice.list_sizes.totals().order_by("-extract_date")[:limit])
