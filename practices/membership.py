"""A practice's dated memberships: moving it between clusters, placing it in a CCG, and the
CCG it counts under in a QOF year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import CCG, CCGMembership, Cluster, ClusterMembership, Practice, QOFYearMembership, User


def practice_move_cluster(*, practice: Practice, cluster: Cluster, on: dt.date, user: User | None) -> ClusterMembership:
    """End the practice's membership current on ``on`` (its last day is the day before) and
    start one of ``cluster`` on ``on``. Raises ``ValidationError`` if the move makes no sense."""
    if cluster.ccg_id != practice.ccg_id:
        raise ValidationError({"cluster": "Choose a cluster of the practice's own CCG."})
    with transaction.atomic():
        memberships = ClusterMembership.objects.select_for_update().filter(practice=practice)
        if memberships.filter(start_date__gt=on).exists():
            raise ValidationError(
                {"on": "The practice already has a membership starting after this date. Choose a later date."}
            )
        current = memberships.current(on).select_related("cluster").first()
        if current is not None:
            if current.cluster_id == cluster.pk:
                raise ValidationError({"cluster": f"The practice is already in {cluster} on that date."})
            if current.start_date >= on:
                raise ValidationError(
                    {"on": f"The practice joined {current.cluster} on that date. Choose a later date."}
                )
            current.end_date = on
            current._history_user = user
            current.save(update_fields=["end_date"])
        membership = ClusterMembership(practice=practice, cluster=cluster, start_date=on)
        membership._history_user = user
        membership.save()
    return membership


def practice_place_in_ccg(*, practice: Practice, ccg: CCG, on: dt.date, user: User | None) -> CCGMembership:
    """Start the dated CCG membership of a practice just added to ``ccg``."""
    membership = CCGMembership(practice=practice, ccg=ccg, start_date=on)
    membership._history_user = user
    membership.save()
    return membership


def qof_year_ccgs(year_start: dt.date, practice_ids: Iterable[int] | None = None) -> dict[int, int]:
    """The CCG each practice's figures of the QOF year starting ``year_start`` are summed under, by id.

    The year's own QOF organisation reference (``QOFYearMembership``) where it is loaded, as
    NHS Digital sums its CCG figures; otherwise the practice's dated CCG membership on the
    year's first day. Never the practice's CCG of today. Two queries.
    """
    ids = None if practice_ids is None else list(practice_ids)
    memberships = CCGMembership.objects.current(year_start)
    year = QOFYearMembership.objects.filter(year_start=year_start)
    if ids is not None:
        memberships, year = memberships.filter(practice_id__in=ids), year.filter(practice_id__in=ids)
    ccgs: dict[int, int] = {}
    # Of two overlapping memberships on that day, the later-starting one (ordered last) wins.
    for practice_id, ccg_id in memberships.order_by("start_date", "pk").values_list("practice_id", "ccg_id"):
        ccgs[practice_id] = ccg_id
    ccgs.update(year.values_list("practice_id", "ccg_id"))
    return ccgs
