"""Reads and helpers shared by the organisation pages."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.views.generic import UpdateView
from rules.contrib.views import PermissionRequiredMixin

from portal.concurrency import ConcurrencyGuardMixin
from portal.mixins import FormPageMixin, ObjectOnceMixin

from ..models import CCG, STP, Cluster, ClusterMembership, Practice
from ..visibility import roles_of


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


class RecordUpdateView(
    LoginRequiredMixin,
    ObjectOnceMixin,
    PermissionRequiredMixin,
    ConcurrencyGuardMixin,
    SuccessMessageMixin,
    FormPageMixin,
    UpdateView,
):
    """The edit page of an organisation record: looked up through ``get_queryset`` (the
    visibility rule, so another CCG's record is a 404), its permission checked against the
    record, and a save over someone else's change refused."""

    success_message = "Saved the changes to %(name)s."

    def get_heading(self):
        return f"Edit {self.object.name}"
