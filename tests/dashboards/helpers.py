"""Helpers for the dashboards tests: stored metric values, practices, returns, the date."""

from __future__ import annotations

import datetime as dt

from metrics.models import Level, MetricValue
from practices.models import CCGMembership
from returns.models import Return, Revision
from tests.factories import ClusterMembershipFactory, ListSizeFactory, PracticeFactory

TODAY = dt.date(2019, 1, 20)
Q3 = dt.date(2018, 10, 1)
Q2 = dt.date(2018, 7, 1)


def set_today(time_machine, day: dt.date, hour: int = 12) -> None:
    """Freeze the clock (the ``time_machine`` fixture) at ``hour`` o'clock UK time on ``day``."""
    from django.utils import timezone

    time_machine.move_to(timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 0)), tick=False)


def metric_value(organisation, code: str, period: dt.date, value: float, *, frequency="quarterly", **more):
    """A stored metric value of a practice, cluster or CCG, with the organisation columns the engine fills in."""
    level = {"Practice": Level.PRACTICE, "Cluster": Level.CLUSTER, "CCG": Level.CCG}[type(organisation).__name__]
    columns = {"level": level, "org_id": organisation.pk, level: organisation}
    if level == Level.PRACTICE:
        columns["ccg_id"] = organisation.ccg_id
    elif level == Level.CLUSTER:
        columns["ccg_id"] = organisation.ccg_id
    return MetricValue.objects.create(metric=code, frequency=frequency, period=period, value=value, **columns, **more)


def make_practices(ccg, cluster, count: int, *, start: int = 100):
    """``count`` practices of ``ccg`` in ``cluster`` with list sizes and CCG memberships."""
    practices = []
    for n in range(count):
        practice = PracticeFactory(ods_code=f"E8{start + n:04d}", name=f"Practice {start + n}", ccg=ccg)
        ClusterMembershipFactory(practice=practice, cluster=cluster, start_date=dt.date(2015, 4, 1))
        CCGMembership.objects.create(practice=practice, ccg=ccg, start_date=dt.date(2015, 4, 1))
        ListSizeFactory(practice=practice, patients=5000 + n, extract_date=dt.date(2018, 10, 1))
        practices.append(practice)
    return practices


def make_return(collection, practice, status, *, submitted_on=None):
    ret = Return.objects.create(collection=collection, practice=practice, first_submitted_on=submitted_on)
    if status == Return.Status.ACCEPTED:
        revision = Revision.objects.create(ret=ret, number=1, status=Revision.Status.ACCEPTED)
        ret.accepted_revision = revision
    ret.status = status
    ret.save()
    return ret
