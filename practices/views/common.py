"""Reads and helpers shared by the organisation pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse

from ..access import roles_of
from ..models import CCG, STP, Cluster, ClusterMembership, ListSize, Practice


@dataclass
class Population:
    """Open practices and the sum of their latest list sizes; ``as_at`` is the newest extract date."""

    practices: int = 0
    patients: int = 0
    as_at: dt.date | None = None
    practices_without_list_size: int = 0

    def add(self, list_size: int | None, list_size_date: dt.date | None) -> None:
        self.practices += 1
        if list_size is None:
            self.practices_without_list_size += 1
            return
        self.patients += list_size
        if list_size_date and (self.as_at is None or list_size_date > self.as_at):
            self.as_at = list_size_date


def open_practices(practices: QuerySet[Practice], on: dt.date) -> QuerySet[Practice]:
    return practices.open_on(on).exclude(status=Practice.Status.CLOSED)


def population_by_ccg(practices: QuerySet[Practice], on: dt.date) -> dict[int, Population]:
    """One query, whatever the number of practices."""
    totals: dict[int, Population] = {}
    rows = open_practices(practices, on).with_list_size(on).values_list("ccg_id", "list_size", "list_size_date")
    for ccg_id, list_size, list_size_date in rows:
        totals.setdefault(ccg_id, Population()).add(list_size, list_size_date)
    return totals


def population_by_cluster(clusters: QuerySet[Cluster], on: dt.date) -> dict[int, Population]:
    """Members on ``on`` of each cluster, and their registered population; one query."""
    latest = ListSize.objects.totals().filter(practice=OuterRef("practice_id"), extract_date__lte=on)
    latest = latest.order_by("-extract_date")
    rows = (
        ClusterMembership.objects.current(on)
        .filter(cluster__in=clusters)
        .exclude(practice__status=Practice.Status.CLOSED)
        .annotate(
            list_size=Subquery(latest.values("patients")[:1]),
            list_size_date=Subquery(latest.values("extract_date")[:1]),
        )
        .values_list("cluster_id", "list_size", "list_size_date")
    )
    totals: dict[int, Population] = {}
    for cluster_id, list_size, list_size_date in rows:
        totals.setdefault(cluster_id, Population()).add(list_size, list_size_date)
    return totals


def with_current_cluster(practices: QuerySet[Practice], on: dt.date) -> QuerySet[Practice]:
    """Annotate ``cluster_id`` and ``cluster_name``: the cluster the practice belongs to on ``on``."""
    current = ClusterMembership.objects.current(on).filter(practice=OuterRef("pk")).order_by("-start_date")
    return practices.annotate(
        cluster_id=Subquery(current.values("cluster_id")[:1]),
        cluster_name=Subquery(current.values("cluster__name")[:1]),
    )


def hierarchy_breadcrumbs(
    user, *, stp: STP | None = None, ccg: CCG | None = None, cluster: Cluster | None = None
) -> list[tuple[str, str | None]]:
    """Home, then each level above the page that the user may open (a practice manager sees none)."""
    roles = roles_of(user)
    crumbs: list[tuple[str, str | None]] = [("Home", reverse("practices:home"))]
    reads_ccg = ccg is not None and (roles.is_admin or ccg.pk in roles.ccg_ids)
    if roles.is_admin or roles.ccg_ids:
        crumbs.append(("Organisations", reverse("practices:stp_list")))
    if stp is not None and (roles.is_admin or reads_ccg):
        crumbs.append((stp.name, stp.get_absolute_url()))
    if reads_ccg:
        crumbs.append((ccg.name, ccg.get_absolute_url()))
    if cluster is not None and reads_ccg:
        crumbs.append((cluster.name, cluster.get_absolute_url()))
    return crumbs
