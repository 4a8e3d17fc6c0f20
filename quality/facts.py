"""Gather what the scoring rules need about many practices at once, from stored rows only.

A fixed number of queries however many practices: the latest CQC report, special measures
and warning notices in force, the latest accepted workforce return (the metrics engine's
values of it, and its lines for vacancies and GPs), contract events, overdue returns and the
latest accepted access return (the engine's value of online registration). The engine's
values are those of its last recompute; a finished recompute scores the register again
(``metrics.tasks``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count

from portal.periods import quarter_label

from .models import ContractEvent, CQCEnforcement, CQCInspection
from .scoring import PracticeFacts

MISSING_RETURNS_LOOKBACK_DAYS = 365
#: Workforce roles counted as the practice's own GPs for the single-handed rule.
OWN_GP_ROLES = ("gp_partner", "gp_salaried", "gp_retainer")


def whole_months_between(earlier: dt.date, later: dt.date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - 1 if later.day < earlier.day else months


def _latest_practice_values(practice_ids: list[int], codes: list[str], on: dt.date) -> dict[int, dict]:
    """{practice id: {metric: MetricValue}}: each practice's latest value of each metric in a
    period starting on or before ``on``."""
    from metrics.models import MetricValue

    values: dict[int, dict] = defaultdict(dict)
    rows = (
        MetricValue.objects.for_practices(practice_ids).metric(codes).filter(period__lte=on).latest_per_organisation()
    )
    for row in rows:
        values[row.org_id][row.metric] = row
    return values


def _workforce(practice_ids: list[int], on: dt.date) -> dict[int, dict]:
    """From the metrics engine's practice values of the latest accepted workforce return, and
    that return's own lines (its vacancies and GPs)."""
    from workforce.models import WorkforceLine

    latest = _latest_practice_values(practice_ids, ["patients_per_gp_fte", "gp_aged_55_plus"], on)
    # The engine writes both values of every return it can use: the first gives the return and its period.
    returns = {pid: found["patients_per_gp_fte"] for pid, found in latest.items() if "patients_per_gp_fte" in found}
    lines = defaultdict(list)
    for line in WorkforceLine.objects.filter(revision_id__in=[per_gp.source_revision for per_gp in returns.values()]):
        lines[line.revision_id].append(line)
    figures = {}
    for practice_id, per_gp in returns.items():
        aged = latest[practice_id].get("gp_aged_55_plus")
        own = lines[per_gp.source_revision]
        vacancies = [line.vacancy_months for line in own if line.vacant_posts]
        figures[practice_id] = {
            "patients_per_gp_fte": per_gp.value,
            "share_gps_aged_55_plus": aged.value / 100 if aged and aged.value is not None else None,
            "longest_vacancy_months": max(vacancies) if vacancies else 0,
            "gp_headcount": sum(line.headcount for line in own if line.role in OWN_GP_ROLES),
            "workforce_period": quarter_label(per_gp.period),
        }
    return figures


def _online_uptake(practice_ids: list[int], on: dt.date) -> dict[int, float]:
    latest = _latest_practice_values(practice_ids, ["online_registration"], on)
    return {
        practice_id: found["online_registration"].value
        for practice_id, found in latest.items()
        if found["online_registration"].value is not None
    }


def _missing_returns(practice_ids: list[int], on: dt.date) -> dict[int, int]:
    """Each practice's returns due in the year before ``on`` and missing on it (``ReturnQuerySet.missing``)."""
    from returns.models import Return

    since = on - dt.timedelta(days=MISSING_RETURNS_LOOKBACK_DAYS)
    rows = (
        Return.objects.missing(on)
        .filter(practice_id__in=practice_ids, collection__due_date__gte=since)
        .values("practice_id")
        .annotate(n=Count("pk"))
    )
    return {row["practice_id"]: row["n"] for row in rows}


def practice_facts(practice_ids: Iterable[int], on: dt.date) -> dict[int, PracticeFacts]:
    """The facts of each practice on day ``on``, keyed by practice id."""
    ids = list(practice_ids)
    values: dict[int, dict] = {pid: {} for pid in ids}

    for inspection in CQCInspection.objects.filter(practice_id__in=ids, publication_date__lte=on).order_by(
        "practice_id", "-publication_date"
    ):
        found = values[inspection.practice_id]
        if "cqc_overall" not in found:
            found.update(cqc_overall=inspection.overall, cqc_published=inspection.publication_date)
    for practice_id, kind in (
        CQCEnforcement.objects.filter(practice_id__in=ids).in_force_on(on).values_list("practice_id", "kind")
    ):
        values[practice_id][kind] = True

    for practice_id, figures in _workforce(ids, on).items():
        values[practice_id].update(figures)

    for event in ContractEvent.objects.filter(practice_id__in=ids, received_date__lte=on).only(
        "practice_id", "kind", "received_date", "decision", "decision_date", "review_date"
    ):
        found = values[event.practice_id]
        if event.is_open_list_closure(on):
            found["open_list_closure"] = True
        if event.kind == ContractEvent.Kind.BREACH_NOTICE:
            months = whole_months_between(event.received_date, on)
            found["months_since_breach_notice"] = min(months, found.get("months_since_breach_notice", months))

    for practice_id, n in _missing_returns(ids, on).items():
        values[practice_id]["missing_returns"] = n
    for practice_id, percent in _online_uptake(ids, on).items():
        values[practice_id]["online_registration_percent"] = percent
    return {pid: PracticeFacts(**found) for pid, found in values.items()}
