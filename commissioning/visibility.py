"""Which plans, actions and risks a user may see. Views look objects up only through these."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from portal.periods import FinancialYear
from practices.models import ClusterMembership
from practices.visibility import in_their_ccgs, visible

from .models import Action, Plan, ProgressReport, Risk, TrackerImportRun


def plans_for(user) -> QuerySet[Plan]:
    """Whole plans: the CCG's commissioners and governing body; never practice managers."""
    return visible(user, Plan, in_their_ccgs())


def actions_for(user) -> QuerySet[Action]:
    """Actions of visible plans; for a practice manager also the actions that name their
    practice, or a cluster their practice belonged to at some time in the plan's years."""
    return visible(user, Action, _action_rule)


def _action_rule(roles) -> Q:
    rule = Q(plan__ccg_id__in=roles.ccg_ids)
    if roles.practice_ids:
        rule |= Q(pk__in=Action.objects.filter(practices__in=roles.practice_ids).values("pk"))
        for membership in ClusterMembership.objects.filter(practice_id__in=roles.practice_ids):
            rule |= _during_membership(membership)
    return rule


def _during_membership(membership: ClusterMembership) -> Q:
    """Actions naming the cluster in a plan whose years overlap the membership."""
    overlap = Q(
        clusters=membership.cluster_id, plan__last_year__gte=FinancialYear.containing(membership.start_date).start_year
    )
    if membership.end_date is not None:
        last_day = membership.end_date - dt.timedelta(days=1)
        overlap &= Q(plan__first_year__lte=FinancialYear.containing(last_day).start_year)
    return Q(pk__in=Action.objects.filter(overlap).values("pk"))


def risks_for(user) -> QuerySet[Risk]:
    return Risk.objects.filter(plan__in=plans_for(user))


def progress_reports_for(user) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.filter(plan__in=plans_for(user))


def tracker_imports_for(user) -> QuerySet[TrackerImportRun]:
    """Uploads of a plan's tracker: its CCG's commissioners (who may upload one) and administrators."""
    return visible(user, TrackerImportRun, in_their_ccgs("plan__ccg_id", commissioners_only=True))
