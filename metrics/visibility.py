"""Who may see which metric values, and which recompute runs and what of them.

Metric values: those of the organisations the user may read (``practices.visibility``), so the
practice profile, the extended access pages, the dashboards and the API show one person
the same figures. A governing body member reads their CCG's, as on its dashboard.

Recompute runs: a run is England-wide (every practice's percentile compares it with every
other), so a run has no CCG of its own. Commissioners (who may start one) and administrators
see every run's status and progress; what a run says about practices (the returns it left
out, and why) a commissioner sees only for returns they may open themselves, their CCGs'; who
asked for a run, only when it was they or someone of one of their CCGs. Administrators see all.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from practices.models import Role
from practices.visibility import ccgs_for, clusters_for, practices_for, roles_of, stps_for
from returns.visibility import revisions_for

from .models import Level, MetricValue, RecomputeRun


def metric_values_for(user) -> QuerySet[MetricValue]:
    """Values of the organisations the user may see: their practices, clusters, CCGs and STPs."""
    if roles_of(user).is_admin:
        return MetricValue.objects.all()
    visible = (
        Q(level=Level.PRACTICE, org_id__in=practices_for(user).values("pk"))
        | Q(level=Level.CLUSTER, org_id__in=clusters_for(user).values("pk"))
        | Q(level=Level.CCG, org_id__in=ccgs_for(user).values("pk"))
        | Q(level=Level.STP, org_id__in=stps_for(user).values("pk"))
    )
    return MetricValue.objects.filter(visible)


def metric_ccgs_for(user):
    """The CCGs whose figures the user may read as a whole (a CCG's pages of metric values)."""
    return ccgs_for(user)


def runs_for(user) -> QuerySet[RecomputeRun]:
    roles = roles_of(user)
    if roles.is_admin or roles.is_commissioner:
        return RecomputeRun.objects.all()
    return RecomputeRun.objects.none()


def runs_as_seen_by(user, runs: Iterable[RecomputeRun]) -> list[RecomputeRun]:
    """``runs`` with ``shown_problems`` (the left-out returns the user may open) and
    ``shown_requester`` (who asked, or None) set for ``user``. Two queries, however many runs."""
    runs = list(runs)
    roles = roles_of(user)
    if roles.is_admin:
        for run in runs:
            run.shown_problems, run.shown_requester = list(run.problems), run.requested_by
        return runs
    wanted = {p.get("revision") for run in runs for p in run.problems if p.get("revision") is not None}
    open_to_user = set(revisions_for(user).filter(pk__in=wanted).values_list("pk", flat=True)) if wanted else set()
    requesters = {run.requested_by_id for run in runs if run.requested_by_id and run.requested_by_id != user.pk}
    colleagues = set()
    if requesters and roles.ccg_ids:
        colleagues = set(
            Role.objects.filter(user_id__in=requesters, ccg_id__in=roles.ccg_ids).values_list("user_id", flat=True)
        )
    for run in runs:
        run.shown_problems = [p for p in run.problems if p.get("revision") in open_to_user]
        known = run.requested_by_id == user.pk or run.requested_by_id in colleagues
        run.shown_requester = run.requested_by if known else None
    return runs
