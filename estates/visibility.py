"""Which estates rows a user may see. Views look rows up only through these querysets, so
another organisation's id finds nothing (404)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from practices.models import Site
from practices.visibility import in_their_ccgs, practices_for, visible

from .models import HousingGrowth, PracticeIT, Premises, Scheme, SchemeMilestone, SiteOccupancy


def register_sites_for(user) -> QuerySet[Site]:
    """Sites of the practices the user may see, and the sites those practices share with a host."""
    practices = practices_for(user)
    shared = SiteOccupancy.objects.filter(practice__in=practices).values("site_id")
    return Site.objects.filter(Q(practice__in=practices) | Q(pk__in=shared))


def premises_for(user) -> QuerySet[Premises]:
    return Premises.objects.filter(site__in=register_sites_for(user))


def occupancies_for(user) -> QuerySet[SiteOccupancy]:
    """Shares of the sites the user may see."""
    return SiteOccupancy.objects.filter(site__in=register_sites_for(user))


def practice_it_for(user) -> QuerySet[PracticeIT]:
    return PracticeIT.objects.filter(practice__in=practices_for(user))


def housing_growth_for(user) -> QuerySet[HousingGrowth]:
    return visible(user, HousingGrowth, in_their_ccgs("cluster__ccg_id"))


def schemes_for(user) -> QuerySet[Scheme]:
    """The CCG's people see its schemes; a practice manager sees those naming their practice."""
    return visible(user, Scheme, _scheme_rule)


def _scheme_rule(roles) -> Q:
    rule = Q(ccg_id__in=roles.ccg_ids)
    if roles.practice_ids:
        rule |= Q(pk__in=Scheme.objects.filter(practices__in=roles.practice_ids).values("pk"))
    return rule


def milestones_for(user) -> QuerySet[SchemeMilestone]:
    return SchemeMilestone.objects.filter(scheme__in=schemes_for(user))
