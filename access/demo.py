"""Demo access returns: monthly access collections for the demo CCGs, through the real workflow.

    from access.demo import load_demo_access
    load_demo_access()  # after the demo organisations and accounts; safe to run again

Each demo CCG asks its practices for September and October 2018. September is all
accepted, and the metrics engine computes it at once (so October has a previous return and a
CCG range to compare with); October is a mix: accepted, submitted, returned for correction,
in draft and not started. The demo practice managers' own October returns are left not
started, for them to fill in. The figures are invented (``access.demo_figures``), plausible for 2018, and the
same every run. Practices of a Primary Care Home or network meet the weekend through their hub.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.db import transaction

from metrics.services import metrics_recompute
from portal.periods import weeks_in
from practices.demo.spec import DEMO_CCG_CODES
from practices.models import CCG, Cluster, ClusterMembership, Role, User
from returns.models import Collection, Frequency
from returns.services import (
    collection_open,
    practices_open_in,
    published_list_size,
    return_accept,
    return_check,
    return_confirm_warnings,
    return_save,
    return_send_back,
    return_submit,
)

from .demo_figures import demo_figures

RETURN_TYPE = "access-monthly"
MONTHS = (dt.date(2018, 9, 1), dt.date(2018, 10, 1))
DUE_DAYS_AFTER_MONTH = 10
#: Left not started whatever the draw: the demo practice managers fill these in themselves.
LEFT_FOR_THE_DEMO_MANAGERS = {"E81073", "M92016"}
HUB_KINDS = {Cluster.Kind.PRIMARY_CARE_HOME, Cluster.Kind.NETWORK, Cluster.Kind.PRIMARY_CARE_NETWORK}
OCTOBER_STATUSES = ["accepted"] * 4 + ["submitted"] * 3 + ["returned"] + ["draft"] + ["not_started"]
WARNING_COMMENT = "Checked against the clinical system's appointment report for the month."
RETURN_COMMENT = "Please check the DNA figure against your appointment report: it looks high for the month."


def load_demo_access() -> dict[str, int]:
    """Open what is missing of the demo access collections; return how many collections and returns."""
    counts: Counter[str] = Counter()
    ccgs = CCG.objects.filter(ods_code__in=DEMO_CCG_CODES).order_by("ods_code")
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    for month in MONTHS:
        accepted_before = counts["accepted"]
        for ccg in ccgs:
            commissioner = (
                User.objects.filter(roles__kind=Role.Kind.COMMISSIONER, roles__ccg=ccg).order_by("pk").first() or admin
            )
            if Collection.objects.filter(ccg=ccg, return_type=RETURN_TYPE, period_start=month).exists():
                continue
            with transaction.atomic():
                _load_month(ccg, month, commissioner, counts)
        if counts["accepted"] > accepted_before:
            # The worker may not be running while the demo loads: the CCG range of the next
            # month's checks reads the engine's values of this one.
            metrics_recompute(scope={"access": {Frequency.MONTHLY: [month.isoformat()]}})
    return {"collections": counts["collections"], "returns": counts["returns"], "accepted": counts["accepted"]}


def _load_month(ccg: CCG, month: dt.date, commissioner, counts: Counter) -> None:
    if not practices_open_in(ccg=ccg, period_start=month, period_last_day=_month_end(month)).exists():
        return
    collection = collection_open(
        ccg=ccg,
        return_type=RETURN_TYPE,
        period_start=month,
        due_date=_month_end(month) + dt.timedelta(days=DUE_DAYS_AFTER_MONTH),
        user=commissioner,
        instructions="Count appointments from your clinical system's appointment report for the month.",
    )
    counts["collections"] += 1
    returns = list(collection.returns.select_related("practice", "collection"))
    hubs = _hub_practices([r.practice_id for r in returns], month)
    managers = _managers([r.practice_id for r in returns])
    weeks = weeks_in("monthly", month)
    for ret in returns:
        counts["returns"] += 1
        practice = ret.practice
        status = _status_for(practice.ods_code, month)
        if status == "not_started":
            continue
        manager = managers.get(practice.pk, commissioner)
        # The published figure for the month, or (the demo has only 2021's) the earliest after it.
        size = published_list_size(practice=practice, on=_month_end(month))
        values = demo_figures(
            ods_code=practice.ods_code,
            period_start=month,
            list_size=size.patients if size else 6000,
            weeks=weeks,
            hub_weekends=practice.pk in hubs,
        )
        if status == "draft":
            values.update(appointments_gp=None, appointments_nurse=None, appointments_other_staff=None)
            return_save(ret=ret, user=manager, values=values)
            continue
        return_save(ret=ret, user=manager, values=values)
        findings = return_check(ret=ret)
        return_confirm_warnings(ret=ret, user=manager, comments={w.code: WARNING_COMMENT for w in findings.warnings})
        return_submit(ret=ret, user=manager)
        if status == "accepted":
            return_accept(ret=ret, user=commissioner)
            counts["accepted"] += 1
        elif status == "returned":
            return_send_back(ret=ret, user=commissioner, comment=RETURN_COMMENT)


def _status_for(ods_code: str, month: dt.date) -> str:
    if month < MONTHS[-1]:
        return "accepted"
    if ods_code in LEFT_FOR_THE_DEMO_MANAGERS:
        return "not_started"
    return random.Random(f"access-status:{ods_code}:{month:%Y-%m}").choice(OCTOBER_STATUSES)  # noqa: S311


def _month_end(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _hub_practices(practice_ids: list[int], on: dt.date) -> set[int]:
    """Practices in a Primary Care Home or network in the month: their hub runs the weekends."""
    return set(
        ClusterMembership.objects.current(on)
        .filter(practice_id__in=practice_ids, cluster__kind__in=HUB_KINDS)
        .values_list("practice_id", flat=True)
    )


def _managers(practice_ids: list[int]) -> dict[int, User]:
    roles = Role.objects.filter(kind=Role.Kind.PRACTICE_MANAGER, practice_id__in=practice_ids).select_related("user")
    return {role.practice_id: role.user for role in roles.order_by("pk")}
