"""Which plans, actions and risks a user may see. Views look objects up only through these."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from practices.access import roles_of
from practices.models import ClusterMembership

from .models import Action, Plan, ProgressReport, Risk


def plans_for(user) -> QuerySet[Plan]:
    """Whole plans: the CCG's commissioners and governing body; never practice managers."""
    roles = roles_of(user)
    if roles.is_admin:
        return Plan.objects.all()
    return Plan.objects.filter(ccg_id__in=roles.ccg_ids)


def actions_for(user) -> QuerySet[Action]:
    """Actions of visible plans, and for a practice manager the actions that name their
    practice or the cluster their practice is in today."""
    roles = roles_of(user)
    if roles.is_admin:
        return Action.objects.all()
    visible = Q(plan__ccg_id__in=roles.ccg_ids)
    if roles.practice_ids:
        clusters = ClusterMembership.objects.current(timezone.localdate()).filter(practice_id__in=roles.practice_ids)
        named = Action.objects.filter(
            Q(practices__in=roles.practice_ids) | Q(clusters__in=clusters.values("cluster_id"))
        ).values("pk")
        visible |= Q(pk__in=named)
    return Action.objects.filter(visible)


def risks_for(user) -> QuerySet[Risk]:
    return Risk.objects.filter(plan__in=plans_for(user))


def progress_reports_for(user) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.filter(plan__in=plans_for(user))
