"""Gather what the scoring rules need about many practices at once, from stored rows only.

A fixed number of queries however many practices: the latest CQC report, special measures
and warning notices in force, the latest accepted workforce return (its summary and lines),
contract events, overdue returns and the latest accepted access return's measures.
Workforce figures come from the metrics engine's stored values where there are any
(``metrics`` app), and from the accepted workforce returns otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps
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


def _workforce_from_returns(practice_ids: list[int], on: dt.date) -> dict[int, dict]:
    from workforce.models import StaffGroup, WorkforceLine, WorkforceSummary

    latest: dict[int, WorkforceSummary] = {}
    summaries = WorkforceSummary.objects.filter(
        practice_id__in=practice_ids, staff_group=StaffGroup.GP, period_start__lte=on
    ).order_by("practice_id", "-period_start")
    for summary in summaries:
        latest.setdefault(summary.practice_id, summary)
    lines = defaultdict(list)
    for line in WorkforceLine.objects.filter(revision_id__in=[s.revision_id for s in latest.values()]):
        lines[line.revision_id].append(line)
    figures = {}
    for practice_id, summary in latest.items():
        own = lines[summary.revision_id]
        vacancies = [line.vacancy_months for line in own if line.vacant_posts]
        figures[practice_id] = {
            "patients_per_gp_fte": (summary.list_size / float(summary.fte))
            if summary.list_size and summary.fte
            else None,
            "share_gps_aged_55_plus": summary.share_aged_55_plus,
            "longest_vacancy_months": max(vacancies) if vacancies else 0,
            "gp_headcount": sum(line.headcount for line in own if line.role in OWN_GP_ROLES),
            "workforce_period": quarter_label(summary.period_start),
        }
    return figures


def _workforce_from_metrics(practice_ids: list[int], on: dt.date) -> dict[int, dict]:
    """The metrics engine's stored values, when the ``metrics`` app is installed and has any."""
    if not apps.is_installed("metrics"):
        return {}
    try:
        from metrics.profile import workforce_figures  # type: ignore[import-not-found]
    except ImportError:
        return {}
    return workforce_figures(practice_ids=practice_ids, on=on)


def _online_uptake(practice_ids: list[int], on: dt.date) -> dict[int, float]:
    from access.models import AccessMeasure

    measures = AccessMeasure.objects.filter(practice_id__in=practice_ids).latest_per_practice(
        before=on + dt.timedelta(days=1)
    )
    return {pid: float(value) for pid, value in measures.values_list("practice_id", "online_registration_percent")}


def _missing_returns(practice_ids: list[int], on: dt.date) -> dict[int, int]:
    from returns.models import Return, Timeliness

    since = on - dt.timedelta(days=MISSING_RETURNS_LOOKBACK_DAYS)
    rows = (
        Return.objects.filter(practice_id__in=practice_ids, collection__due_date__gte=since)
        .with_timeliness(on)
        .filter(timeliness=Timeliness.MISSING)
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

    workforce = _workforce_from_returns(ids, on)
    workforce.update(_workforce_from_metrics(ids, on))
    for practice_id, figures in workforce.items():
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
