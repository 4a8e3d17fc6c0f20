"""Writes about schemes that move them through their decision, or touch many rows at once.

A scheme runs draft -> submitted -> approved / approved with conditions / rejected; a
submitted scheme can be sent back to draft. Approval runs the portal's checks first: if any
fail, approval needs an override reason, and the failed checks are kept on the scheme with
the reason, who recorded the decision and when.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from portal.display import long_date
from portal.periods import quarter_start

from .checks import CheckResult, failed_checks, scheme_checks
from .models import SCHEME_WORKFLOW, Scheme, SchemeSpend, SchemeStatusError


class SchemeChecksFailed(Exception):
    """Some checks fail and no override reason was given."""

    def __init__(self, failures: list[CheckResult]):
        self.failures = failures
        names = "; ".join(f.title for f in failures)
        super().__init__(f"These checks fail: {names}. Give an override reason to approve it all the same.")


def _locked(scheme: Scheme) -> Scheme:
    return Scheme.objects.select_for_update(of=("self",)).select_related("stream", "ccg", "cluster").get(pk=scheme.pk)


def _save(scheme: Scheme, user) -> Scheme:
    scheme._history_user = user
    scheme.save()
    return scheme


@transaction.atomic
def scheme_submit(*, scheme: Scheme, user) -> Scheme:
    scheme = _locked(scheme)
    SCHEME_WORKFLOW.check(scheme.status, Scheme.Status.SUBMITTED)
    if not scheme.amounts.exists():
        raise SchemeStatusError("Say how much the scheme asks for in each year before submitting it.")
    SCHEME_WORKFLOW.move(scheme, Scheme.Status.SUBMITTED, by=user)
    scheme.submitted_at = timezone.now()
    scheme.submitted_by = user
    return _save(scheme, user)


@transaction.atomic
def scheme_return(*, scheme: Scheme, user) -> Scheme:
    """Send a submitted scheme back to draft so the bid can be changed."""
    scheme = _locked(scheme)
    SCHEME_WORKFLOW.move(scheme, Scheme.Status.DRAFT, by=user)
    return _save(scheme, user)


def _record_decision(
    scheme: Scheme, to: str, *, user, committee: str, decided_on: dt.date, minute_reference: str
) -> None:
    """Check that the decision may be taken and record who took it where; the move itself is
    made once the step's own checks pass."""
    SCHEME_WORKFLOW.check(scheme.status, to)
    if not committee.strip():
        raise SchemeStatusError("Name the committee that decided.")
    if decided_on is None:
        raise SchemeStatusError("Give the date of the decision.")
    scheme.committee = committee.strip()
    scheme.decided_on = decided_on
    scheme.minute_reference = minute_reference.strip()
    scheme.decision_recorded_at = timezone.now()
    scheme.decision_recorded_by = user


def _decision_note(scheme: Scheme) -> str:
    minute = f", minute {scheme.minute_reference}" if scheme.minute_reference else ""
    return f"{scheme.committee} on {long_date(scheme.decided_on)}{minute}"


@transaction.atomic
def scheme_approve(
    *,
    scheme: Scheme,
    user,
    committee: str,
    decided_on: dt.date,
    minute_reference: str = "",
    conditions: str = "",
    override_reason: str = "",
) -> Scheme:
    """Approve a submitted scheme (with conditions when ``conditions`` is given).

    Raises ``SchemeChecksFailed`` when checks fail and ``override_reason`` is blank. With a
    reason, the failed checks are stored with it: the record says what was overridden, why,
    by whom and when.
    """
    scheme = _locked(scheme)
    to = Scheme.Status.APPROVED_WITH_CONDITIONS if conditions.strip() else Scheme.Status.APPROVED
    _record_decision(
        scheme, to, user=user, committee=committee, decided_on=decided_on, minute_reference=minute_reference
    )
    failures = failed_checks(scheme_checks(scheme))
    if failures and not override_reason.strip():
        raise SchemeChecksFailed(failures)
    SCHEME_WORKFLOW.move(scheme, to, by=user, note=_decision_note(scheme))
    scheme.conditions = conditions.strip()
    scheme.override_reason = override_reason.strip() if failures else ""
    scheme.overridden_checks = [f.as_dict() for f in failures]
    scheme.decision_reason = ""
    return _save(scheme, user)


@transaction.atomic
def scheme_reject(
    *, scheme: Scheme, user, committee: str, decided_on: dt.date, reason: str, minute_reference: str = ""
) -> Scheme:
    scheme = _locked(scheme)
    _record_decision(
        scheme,
        Scheme.Status.REJECTED,
        user=user,
        committee=committee,
        decided_on=decided_on,
        minute_reference=minute_reference,
    )
    if not reason.strip():
        raise SchemeStatusError("Give the reason for rejecting the scheme.")
    SCHEME_WORKFLOW.move(scheme, Scheme.Status.REJECTED, by=user, note=_decision_note(scheme))
    scheme.decision_reason = reason.strip()
    scheme.conditions = ""
    scheme.override_reason = ""
    scheme.overridden_checks = []
    return _save(scheme, user)


@transaction.atomic
def scheme_spend_save(
    *, scheme: Scheme, values: dict[dt.date, tuple[Decimal | None, Decimal | None]], user
) -> dict[str, int]:
    """Record actual and forecast spend by quarter: ``{quarter: (actual, forecast)}``.

    A quarter with neither figure deletes its row; unchanged rows are not written, so
    saving the same figures again adds no history. Returns counts of what changed.
    """
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    if not scheme.is_approved:
        raise SchemeStatusError("Spend is recorded against approved schemes only.")
    existing = {s.quarter: s for s in SchemeSpend.objects.select_for_update().filter(scheme=scheme)}
    counts = {"created": 0, "updated": 0, "deleted": 0}
    for quarter, (actual, forecast) in values.items():
        if quarter != quarter_start(quarter):
            raise ValueError(f"{quarter} is not the first day of a quarter.")
        row = existing.get(quarter)
        if actual is None and forecast is None:
            if row is not None:
                row._history_user = user
                row.delete()
                counts["deleted"] += 1
            continue
        if row is None:
            row = SchemeSpend(scheme=scheme, quarter=quarter, actual=actual, forecast=forecast)
            counts["created"] += 1
        elif (row.actual, row.forecast) == (actual, forecast):
            continue
        else:
            row.actual, row.forecast = actual, forecast
            counts["updated"] += 1
        row._history_user = user
        row.save()
    return counts
