"""Dated writes to a practice's memberships: moving it between clusters, placing it in a CCG."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import CCG, CCGMembership, Cluster, ClusterMembership, Practice, User


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
