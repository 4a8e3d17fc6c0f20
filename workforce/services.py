"""Workforce figures computed from accepted returns only."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from returns.models import Revision

from .models import AGED_55_PLUS, ROLE_GROUP, StaffGroup, WorkforceLine, WorkforceSummary

SUMMED = ["headcount", "fte", "vacant_posts", "vacant_fte", "joiners", "leavers", "planned_retirements"]


@transaction.atomic
def workforce_summarise(*, revision: Revision) -> list[WorkforceSummary]:
    """Store one ``WorkforceSummary`` per staff group of an accepted revision (replacing the
    practice's rows for that quarter); a revision not accepted stores nothing."""
    if revision.status != Revision.Status.ACCEPTED:
        return []
    ret = revision.ret
    totals = {group: dict.fromkeys(SUMMED, 0) | {"aged_55_plus": 0} for group in StaffGroup.values}
    for line in WorkforceLine.objects.filter(revision=revision):
        group = totals[ROLE_GROUP[line.role]]
        for name in SUMMED:
            group[name] += getattr(line, name)
        group["aged_55_plus"] += sum(getattr(line, name) for name in AGED_55_PLUS)
    list_size = revision.list_size
    period = ret.collection.period_start
    WorkforceSummary.objects.filter(practice_id=ret.practice_id, period_start=period).exclude(
        revision=revision
    ).delete()
    rows = []
    for group, figures in totals.items():
        fte = Decimal(figures["fte"])
        row, _ = WorkforceSummary.objects.update_or_create(
            practice_id=ret.practice_id,
            period_start=period,
            staff_group=group,
            defaults={
                **figures,
                "revision": revision,
                "fte": fte,
                "vacant_fte": Decimal(figures["vacant_fte"]),
                "list_size": list_size,
                "fte_per_1000": float(fte * 1000 / list_size) if list_size else None,
                "share_aged_55_plus": figures["aged_55_plus"] / figures["headcount"] if figures["headcount"] else None,
            },
        )
        rows.append(row)
    return rows
