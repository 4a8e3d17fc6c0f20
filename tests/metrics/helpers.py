"""Accepted returns written straight into the tables the engine reads (the workflow itself is
tested in tests/returns), with figures small enough to work out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from access.compliance import Provision
from access.models import AccessReturn
from returns.models import Collection, Return, Revision, period_end
from workforce.models import WorkforceLine

Q3_2017 = dt.date(2017, 10, 1)  # the baseline quarter
Q4_2017 = dt.date(2018, 1, 1)
Q1_2018 = dt.date(2018, 4, 1)
SEPTEMBER_2018 = dt.date(2018, 9, 1)  # 30 days
OCTOBER_2018 = dt.date(2018, 10, 1)  # 31 days


def _accepted_revision(practice, return_type: str, period: dt.date, list_size: int | None, ccg=None) -> Revision:
    ccg = ccg or practice.ccg
    frequency = {"workforce": "quarterly", "access-monthly": "monthly", "access-quarterly": "quarterly"}[return_type]
    collection, _ = Collection.objects.get_or_create(
        ccg=ccg,
        return_type=return_type,
        period_start=period,
        defaults={"due_date": period_end(frequency, period) + dt.timedelta(days=15)},
    )
    ret = Return.objects.create(collection=collection, practice=practice, status=Return.Status.SUBMITTED)
    revision = Revision.objects.create(
        ret=ret, number=1, status=Revision.Status.ACCEPTED, published_list_size=list_size
    )
    Return.objects.filter(pk=ret.pk).update(accepted_revision=revision, status=Return.Status.ACCEPTED)
    return revision


def accepted_workforce(practice, period: dt.date, list_size: int | None, ccg=None, **roles) -> Revision:
    """``roles``: role -> (headcount, fte, aged 55 and over, vacant fte)."""
    revision = _accepted_revision(practice, "workforce", period, list_size, ccg)
    WorkforceLine.objects.bulk_create(
        WorkforceLine(
            revision=revision, role=role, headcount=headcount, fte=Decimal(str(fte)), age_55_59=aged,
            vacant_fte=Decimal(str(vacant)),
        )
        for role, (headcount, fte, aged, vacant) in roles.items()
    )  # fmt: skip
    return revision


def access_answers(**changes) -> dict:
    values = {
        "core_hours_open": Decimal("52.5"),
        "weekday_extended": Provision.AT_PRACTICE,
        "saturday_extended": Provision.THROUGH_GROUP,
        "sunday_extended": Provision.THROUGH_GROUP,
        "extended_access_minutes": 300,
        "appointments_face_to_face": 2000,
        "appointments_telephone": 800,
        "appointments_online": 100,
        "appointments_home_visit": 100,
        "appointments_gp": 1800,
        "appointments_nurse": 1000,
        "appointments_other_staff": 200,
        "appointments_dna": 150,
        "online_registration_percent": Decimal("30.0"),
        "eps_percent": Decimal("80.0"),
        "ers_percent": Decimal("90.0"),
        "online_consultation": True,
    }
    return values | changes


def accepted_access(practice, period: dt.date, list_size: int | None, *, monthly=True, ccg=None, **changes):
    revision = _accepted_revision(practice, "access-monthly" if monthly else "access-quarterly", period, list_size, ccg)
    AccessReturn.objects.create(revision=revision, **access_answers(**changes))
    return revision
