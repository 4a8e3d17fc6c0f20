"""The practice profile's sections that this app owns: list size history, workforce, access,
funding received, and open actions and risks (registered in ``DashboardsConfig.ready``).

Each ``context`` returns a dict with a ``table`` (and a ``chart`` where one helps), which
the shared ``dashboards/_profile_section.html`` draws and the CSV download reads; it
returns None when the user may not see the section. The profile page has already checked
that the user may read the practice.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from commissioning.funding.models import PracticePayment, Scheme, SchemeAmount
from commissioning.funding.selectors import decided_as_at
from commissioning.models import Action, Risk, RiskGrade
from commissioning.visibility import actions_for, risks_for
from metrics.definitions import metric as metric_definition
from metrics.visibility import metric_values_for
from portal import chart_summary
from portal.display import long_date, uk_date
from portal.exports import yes_no
from portal.periods import FinancialYear
from portal.profile import register_section
from practices.models import ClusterMembership
from practices.visibility import roles_of

from . import benchmarking, charts
from .tables import Column, Kind, Table, metric_column

LIST_SIZE_EXTRACTS = 24
WORKFORCE_QUARTERS = 4
ACCESS_PERIODS = 6
TEMPLATE = "dashboards/_profile_section.html"


def _chart(key: str, title: str, figure, description: str, summary: str = "") -> charts.Chart:
    return charts.Chart(
        key=key, title=title, figure_json=figure.to_json(), description=description, table_key=key, summary=summary
    )


def list_size_context(practice, user, on: dt.date | None = None) -> dict:
    on = on or timezone.localdate()
    sizes = list(
        practice.list_sizes.totals().filter(extract_date__lte=on).order_by("-extract_date")[:LIST_SIZE_EXTRACTS]
    )
    table = Table(
        key="list_size",
        caption=f"Registered patients of {practice.name} on each extract date up to {long_date(on)}, newest first",
        columns=[Column("Extract date", Kind.DATE), Column("Registered patients", Kind.PATIENTS), Column("Source")],
        empty="No list sizes recorded.",
    )
    for size in sizes:
        table.rows.append([size.extract_date, size.patients, size.source or "Not recorded"])
    chart = None
    if len(sizes) > 1:
        oldest_first = list(reversed(sizes))
        figure = charts.line_chart(
            [size.extract_date.isoformat() for size in oldest_first],
            [size.patients for size in oldest_first],
            name="Registered patients",
            title="Registered patients (list size)",
            as_at=f"Latest extract {uk_date(sizes[0].extract_date)}",
            unit="Patients",
        )
        chart = _chart(
            "list_size",
            "List size history",
            figure,
            "Line chart of registered patients on each extract date; the table gives the same numbers.",
            chart_summary.series(
                [uk_date(size.extract_date) for size in oldest_first],
                [size.patients for size in oldest_first],
                format=lambda value: f"{float(value):,.0f}",
                preposition="on",
            ),
        )
    return {"table": table, "chart": chart}


PROFILE_WORKFORCE = [
    ("gp_fte_per_1000", "GP FTE per 1,000 patients"),
    ("nurse_fte_per_1000", "Nurse FTE per 1,000 patients"),
    ("dpc_fte_per_1000", "Direct patient care FTE per 1,000 patients"),
    ("admin_fte_per_1000", "Admin FTE per 1,000 patients"),
    ("patients_per_gp_fte", "Patients per GP FTE"),
    ("gp_aged_55_plus", "GPs aged 55 and over (%)"),
    ("vacancy_rate", "Vacancy rate (%)"),
]
PROFILE_ACCESS = [
    ("extended_access_full", "Fully compliant with extended access (%)"),
    ("extended_access_minutes_per_1000", "Extended access minutes a week per 1,000 patients"),
    ("appointments_per_1000", "Appointments a week per 1,000 patients"),
    ("dna_rate", "Appointments not attended (%)"),
    ("online_registration", "Patients registered for online services (%)"),
]


def _metric_history(practice, user, metrics: list[tuple[str, str]], periods: int, *, key, caption, empty, on):
    """The practice's stored metric values of periods begun by ``on``, one row per period (newest first),
    one column per metric. One query.

    Read through ``metric_values_for``, the rule the API and the extended access pages use too."""
    codes = [code for code, _label in metrics]
    rows = (
        metric_values_for(user)
        .for_practice(practice)
        .metric(codes)
        .filter(period__lte=on or timezone.localdate())
        .order_by("-period", "frequency")
    )
    table = Table(
        key=key,
        caption=caption,
        columns=[Column("Period"), *[metric_column(label, code) for code, label in metrics]],
        empty=empty,
    )
    by_period: dict = {}
    for value in rows:
        by_period.setdefault((value.period, value.frequency), {"label": value.period_label})[value.metric] = value.value
    for (_period, _frequency), values in list(by_period.items())[:periods]:
        table.rows.append([values["label"], *[values.get(code) for code in codes]])
    return table


def workforce_context(practice, user, on: dt.date | None = None) -> dict:
    table = _metric_history(
        practice, user, PROFILE_WORKFORCE, WORKFORCE_QUARTERS, key="workforce", on=on,
        caption=f"{practice.name}'s workforce by quarter, from its accepted workforce returns (metric values)",
        empty="No workforce figures yet: no workforce return of this practice accepted, or not yet computed.",
    )  # fmt: skip
    return {"table": table, "chart": None}


def access_context(practice, user, on: dt.date | None = None) -> dict:
    table = _metric_history(
        practice, user, PROFILE_ACCESS, ACCESS_PERIODS, key="access", on=on,
        caption=f"{practice.name}'s access by period, from its accepted access returns (metric values)",
        empty="No access figures yet: no access return of this practice accepted, or not yet computed.",
    )  # fmt: skip
    return {"table": table, "chart": None}


def benchmarking_context(practice, user, on: dt.date | None = None) -> dict:
    """The practice's latest workforce and access values against its CCG's practices, all
    practices, and the practices of its deprivation decile (see ``dashboards.benchmarking``)."""
    on = on or timezone.localdate()
    deprivation = practice.deprivation()
    codes = [code for code, _label in PROFILE_WORKFORCE + PROFILE_ACCESS]
    own = benchmarking.own_values(practice, user, codes, on)
    groups = benchmarking.comparison_groups(practice, deprivation)
    table = Table(
        key="benchmarking",
        caption=(
            f"{practice.name}'s latest value of each metric up to {long_date(on)} against the median of other"
            " practices' values for the same period; percentile 0 is the lowest value of the group, 100 the highest"
        ),
        columns=[
            Column("Metric"),
            Column("Compared with"),
            Column("Period"),
            Column("This practice"),
            Column("Practices compared", Kind.COUNT),
            Column("Median of the group"),
            Column("Percentile of this practice in the group", Kind.DECIMAL, missing=""),
            Column("Note"),
        ],
        empty="No benchmarked figures yet: no workforce or access return of this practice accepted.",
    )
    order = {code: n for n, code in enumerate(codes)}
    for position in sorted(
        benchmarking.positions(practice, own, groups), key=lambda p: order.get(p.metric, len(order))
    ):
        definition = metric_definition(position.metric)
        table.rows.append([
            definition.name, position.group.label, position.period_label, definition.format(position.value),
            position.practices_compared, definition.format(position.median) if position.median is not None else "",
            position.percentile, position.note,
        ])  # fmt: skip
    if deprivation is None:
        note = "No deprivation score is recorded for this practice, so it has no deprivation decile to compare with."
    else:
        note = (
            f"Deprivation decile: {deprivation.index} score {deprivation.score:.1f} ({deprivation.period}), decile"
            f" {deprivation.decile} of 10 among the {deprivation.practices_ranked:,} practices of England"
            f" (1 is the most deprived). Source: {deprivation.source}."
        )
    return {"table": table, "chart": None, "note": note}


def funding_context(practice, user, on: dt.date | None = None) -> dict:
    on = on or timezone.localdate()
    payments = list(
        PracticePayment.objects.filter(
            practice=practice, financial_year__lte=FinancialYear.containing(on).start_year
        ).order_by("-financial_year")[:5]
    )
    table = Table(
        key="funding",
        caption=f"NHS payments to {practice.name} by financial year, as NHS Digital published them",
        columns=[
            Column("Financial year"),
            Column("Total NHS payments", Kind.POUNDS),
            Column("Registered patients", Kind.PATIENTS),
            Column("Payments per registered patient", Kind.POUNDS),
        ],
        empty="No NHS payments recorded for this practice.",
    )
    for payment in payments:
        table.rows.append(
            [
                payment.year_label,
                payment.total_payments,
                int(payment.registered_patients),
                payment.per_registered_patient,
            ]
        )
    schemes = Table(
        key="schemes",
        caption=f"GP Forward View schemes naming {practice.name} approved by {long_date(on)}, amount by financial year",
        columns=[Column("Scheme"), Column("Stream"), Column("Financial year"), Column("Amount approved", Kind.POUNDS)],
        empty="No approved scheme names this practice.",
    )
    amounts = (
        SchemeAmount.objects.filter(scheme__practices=practice, scheme__status__in=Scheme.APPROVED)
        .filter(decided_as_at(on, "scheme__"))
        .select_related("scheme__stream")
        .order_by("-financial_year", "scheme__title")
    )
    for amount in amounts:
        schemes.rows.append(
            [amount.scheme.title, amount.scheme.stream.label, str(FinancialYear(amount.financial_year)), amount.amount]
        )
        schemes.links.append(amount.scheme.get_absolute_url())
    return {"table": table, "chart": None, "extra_tables": [schemes]}


def actions_context(practice, user, on: dt.date | None = None) -> dict:
    """Actions open on ``on`` (today if not given), with their statuses and overdue then."""
    on = on or timezone.localdate()
    cluster_ids = ClusterMembership.objects.current(on).filter(practice=practice).values("cluster_id")
    actions = list(
        actions_for(user)
        .filter(pk__in=Action.objects.visible_to_practice([practice.pk], cluster_ids).values("pk"))
        .open(on)
        .select_related("plan", "chapter")
        .order_by("due_on", "local_code")
    )
    table = Table(
        key="actions",
        caption=f"Plan actions that name {practice.name} or its cluster, open as at {long_date(on)}",
        columns=[
            Column("Action"),
            Column("Plan"),
            Column("Chapter"),
            Column("Due date", Kind.DATE),
            Column("Status"),
            Column("Overdue"),
            Column("RAG rating"),
        ],
        empty="No open action names this practice or its cluster.",
    )
    for action in actions:
        table.rows.append([
            str(action), action.plan.title, action.chapter.name, action.due_date, action.get_status_display(),
            yes_no(action.overdue), action.get_rag_display(),
        ])  # fmt: skip
        table.links.append(action.get_absolute_url())
    extra = []
    roles = roles_of(user)
    if roles.is_admin or practice.ccg_id in roles.ccg_ids:
        risks = Table(
            key="risks",
            caption="Open risks that threaten these actions, highest score first",
            columns=[Column("Risk"), Column("Owner"), Column("Score", Kind.COUNT), Column("Grade")],
            empty="No open risk threatens these actions.",
        )
        found = (
            risks_for(user)
            .filter(actions__in=[a.pk for a in actions], status=Risk.Status.OPEN)
            .distinct()
            .highest_first()
        )
        for risk in found:
            risks.rows.append([str(risk), risk.owner, risk.score, RiskGrade(risk.grade).label])
            risks.links.append(reverse("commissioning:risk_detail", args=[risk.pk]))
        extra.append(risks)
    return {"table": table, "chart": None, "extra_tables": extra}


def register() -> None:
    dated = {"template": TEMPLATE, "as_at": True}
    register_section("list_size", title="List size history", order=10, context=list_size_context, **dated)
    register_section("workforce", title="Workforce", order=20, context=workforce_context, **dated)
    register_section("access", title="Access", order=30, context=access_context, **dated)
    register_section(
        "benchmarking", title="Compared with other practices", order=35, context=benchmarking_context, **dated
    )
    register_section("funding", title="Funding received", order=60, context=funding_context, **dated)
    register_section("actions", title="Open actions and risks", order=70, context=actions_context, **dated)
