"""Demo workforce collections for the demo CCGs that have a commissioner account.

    from workforce.demo import load_demo_returns
    load_demo_returns()  # after the demo organisations are loaded; safe to run again

Luton, Wolverhampton and the two Norfolk CCGs open the workforce census for 2017/18 Q3,
2017/18 Q4 and 2018/19 Q1. The earlier quarters are mostly in and accepted, a few late,
returned for correction or missing; the latest is still being filled in. Staff figures are
invented from each practice's list size (about 0.55 GP FTE per 1,000 patients, as in
England in 2017) with a seeded random spread, so every run gives the same demo. There are no
people's names and no patient data: only counts and FTEs.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from practices.models import CCG, Role, User
from returns.models import Collection, Return, Revision, StatusChange
from returns.registry import return_type
from returns.services import (
    collection_open,
    return_accept,
    return_check,
    return_confirm_warnings,
    return_save,
    return_send_back,
    return_submit,
)

from .models import AGE_BANDS

DEMO_CCGS = ("06P", "06A", "06V", "06Y")


@dataclass(frozen=True)
class QuarterSpec:
    period_start: dt.date
    due_date: dt.date
    #: Shares of practices, in order: accepted, submitted, returned, draft (the rest not started).
    accepted: float
    submitted: float
    returned: float
    draft: float
    #: Share of submissions that came in after the due date.
    late: float


QUARTERS = (
    QuarterSpec(dt.date(2017, 10, 1), dt.date(2018, 1, 15), 0.75, 0.05, 0.05, 0.05, 0.15),
    QuarterSpec(dt.date(2018, 1, 1), dt.date(2018, 4, 16), 0.55, 0.15, 0.05, 0.10, 0.20),
    QuarterSpec(dt.date(2018, 4, 1), dt.date(2018, 7, 16), 0.0, 0.20, 0.0, 0.35, 0.10),
)

#: FTE per 1,000 patients by role (roughly England, 2017), and the usual hours per head.
PER_THOUSAND = {
    "gp_partner": (0.36, 0.85), "gp_salaried": (0.12, 0.6), "gp_locum": (0.04, 0.5), "gp_registrar": (0.03, 1.0),
    "practice_nurse": (0.22, 0.7), "anp": (0.05, 0.9), "hca": (0.12, 0.75), "phlebotomist": (0.03, 0.5),
    "pharmacist": (0.02, 0.8), "practice_manager": (0.1, 1.0), "receptionist": (0.55, 0.65),
    "medical_secretary": (0.15, 0.7), "admin_other": (0.2, 0.7),
}  # fmt: skip
AGE_WEIGHTS = (0.12, 0.24, 0.26, 0.14, 0.13, 0.11)
RETURNED_COMMENT = "The age bands for receptionists do not add up to the headcount we had last quarter: please check."


def demo_values(*, list_size: int, rng: random.Random) -> dict:
    """Plausible staff figures for a practice of ``list_size`` patients."""
    values = return_type("workforce").empty_values()
    thousands = max(list_size, 1500) / 1000
    for role, (fte_rate, fte_per_head) in PER_THOUSAND.items():
        fte = Decimal(str(round(fte_rate * thousands * rng.uniform(0.75, 1.25), 2)))
        if role in ("gp_registrar", "pharmacist", "anp", "phlebotomist", "gp_locum") and rng.random() < 0.4:
            fte = Decimal("0")
        if role == "practice_manager":
            fte = Decimal("1.00")
        headcount = 0 if fte == 0 else max(1, round(float(fte) / fte_per_head))
        fte = min(fte, Decimal(headcount) * Decimal("1.5"))
        ages = [0] * len(AGE_BANDS)
        for _ in range(headcount):
            ages[rng.choices(range(len(AGE_BANDS)), weights=AGE_WEIGHTS)[0]] += 1
        cells = values[role]
        cells.update(headcount=headcount, fte=fte, **{name: n for (name, _), n in zip(AGE_BANDS, ages, strict=True)})
        if headcount and rng.random() < 0.12:
            cells.update(vacant_posts=1, vacant_fte=Decimal("0.60"), vacancy_months=rng.randint(1, 9))
        if headcount >= 3:
            cells.update(joiners=int(rng.random() < 0.3), leavers=int(rng.random() < 0.3))
        cells["planned_retirements"] = min(headcount, ages[4] + ages[5] if rng.random() < 0.5 else ages[5])
    return values


def _people(ccg: CCG) -> tuple[User | None, dict[int, User]]:
    roles = Role.objects.filter(kind=Role.Kind.COMMISSIONER, ccg=ccg).select_related("user").order_by("user__username")
    commissioner = roles[0].user if roles else None
    managers = {
        r.practice_id: r.user
        for r in Role.objects.filter(kind=Role.Kind.PRACTICE_MANAGER, practice__ccg=ccg).select_related("user")
    }
    return commissioner, managers


def _backdate(ret: Return, when: dt.datetime) -> None:
    """Put a demo submission on the day it would have happened, so timeliness reads true."""
    Revision.objects.filter(ret=ret, submitted_at__isnull=False, submitted_at__gte=when).update(submitted_at=when)
    StatusChange.objects.filter(ret=ret, at__gte=when).update(at=when)
    Return.objects.filter(pk=ret.pk).update(first_submitted_on=timezone.localdate(when))


def load_demo_returns() -> dict[str, int]:
    """Open what is missing of the demo workforce collections; return how many were opened."""
    opened = returns = 0
    with transaction.atomic():
        for ccg in CCG.objects.filter(ods_code__in=DEMO_CCGS).order_by("ods_code"):
            commissioner, managers = _people(ccg)
            if commissioner is None or not ccg.practices.exists():
                continue
            for quarter in QUARTERS:
                if Collection.objects.filter(
                    ccg=ccg, return_type="workforce", period_start=quarter.period_start
                ).exists():
                    continue
                collection = collection_open(
                    ccg=ccg, return_type="workforce", period_start=quarter.period_start, due_date=quarter.due_date,
                    user=commissioner,
                    instructions="Count everyone in post on the last day of the quarter, including locums booked "
                    "for the whole of that week.",
                )  # fmt: skip
                Collection.objects.filter(pk=collection.pk).update(
                    opened_at=timezone.make_aware(dt.datetime.combine(quarter.period_start, dt.time(9)))
                )
                opened += 1
                for ret in collection.returns.select_related("practice", "collection").order_by("practice__ods_code"):
                    _fill(ret, quarter, commissioner, managers.get(ret.practice_id))
                    returns += 1
    return {"workforce collections": opened, "workforce returns": returns}


def _fill(ret: Return, quarter: QuarterSpec, commissioner: User, manager: User | None) -> None:
    rng = random.Random(f"{ret.practice.ods_code}-{quarter.period_start}")  # noqa: S311 - demo figures
    size = ret.practice.list_size_on(ret.collection.period_end) or ret.practice.list_sizes.totals().first()
    values = demo_values(list_size=size.patients if size else 6000, rng=rng)
    draw = rng.random()
    edges = [quarter.accepted, quarter.submitted, quarter.returned, quarter.draft]
    outcome, running = "not_started", 0.0
    for name, share in zip(("accepted", "submitted", "returned", "draft"), edges, strict=True):
        running += share
        if draw < running:
            outcome = name
            break
    if manager is not None:
        # The demo accounts' own practices: one accepted, one returned, the latest to fill in.
        outcome = {QUARTERS[0]: "accepted", QUARTERS[1]: "returned"}.get(quarter, "not_started")
    if outcome == "not_started":
        return
    return_save(ret=ret, user=manager, values=values)
    if outcome == "draft":
        return
    findings = return_check(ret=ret)
    if findings.errors:
        return
    return_confirm_warnings(
        ret=ret, user=manager,
        comments={w.code: "Checked with the partners: the figure is right this quarter." for w in findings.warnings},
    )  # fmt: skip
    return_submit(ret=ret, user=manager)
    days = rng.randint(3, 20) if rng.random() < quarter.late else -rng.randint(0, 12)
    _backdate(ret, timezone.make_aware(dt.datetime.combine(quarter.due_date + dt.timedelta(days=days), dt.time(15))))
    if outcome == "submitted":
        return
    if outcome == "accepted":
        return_accept(ret=ret, user=commissioner)
    else:
        return_send_back(ret=ret, user=commissioner, comment=RETURNED_COMMENT)
    decided = timezone.make_aware(dt.datetime.combine(quarter.due_date + dt.timedelta(days=days + 4), dt.time(11)))
    Revision.objects.filter(ret=ret, decided_at__isnull=False).update(decided_at=decided)
    StatusChange.objects.filter(ret=ret, to_status__in=[Return.Status.ACCEPTED, Return.Status.RETURNED]).update(
        at=decided
    )
