"""Who may see what of the quality area, one helper per object type.

- CQC inspections and enforcement: everyone who may read the practice (the CQC publishes them).
- Contract events: the CCG's commissioners, and the practice's own managers (their own only).
- Concerns in the shared risk log: the CCG's commissioners only; the governing body sees counts.
- Vulnerability scores and support offers: the CCG's commissioners and governing body;
  never a practice manager.
Administrators see everything. Another organisation's id finds nothing (404).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from practices.visibility import in_their_ccgs, roles_of, visible

from .models import (
    Concern,
    ContractEvent,
    CQCEnforcement,
    CQCImportRun,
    CQCInspection,
    SupportOffer,
    VulnerabilityScore,
)


def _practice_scope(user, *, ccg_ids, own_practices: bool) -> Q | None:
    roles = roles_of(user)
    if roles.is_admin:
        return None
    scope = Q(practice__ccg_id__in=ccg_ids(roles))
    if own_practices:
        scope |= Q(practice_id__in=roles.practice_ids)
    return scope


def _scoped(queryset: QuerySet, scope: Q | None) -> QuerySet:
    return queryset if scope is None else queryset.filter(scope)


def cqc_inspections_for(user) -> QuerySet[CQCInspection]:
    return _scoped(CQCInspection.objects.all(), _practice_scope(user, ccg_ids=lambda r: r.ccg_ids, own_practices=True))


def cqc_enforcements_for(user) -> QuerySet[CQCEnforcement]:
    return _scoped(CQCEnforcement.objects.all(), _practice_scope(user, ccg_ids=lambda r: r.ccg_ids, own_practices=True))


def contract_events_for(user) -> QuerySet[ContractEvent]:
    return _scoped(
        ContractEvent.objects.all(),
        _practice_scope(user, ccg_ids=lambda r: r.commissioner_ccg_ids, own_practices=True),
    )


def concerns_for(user) -> QuerySet[Concern]:
    return _scoped(
        Concern.objects.all(), _practice_scope(user, ccg_ids=lambda r: r.commissioner_ccg_ids, own_practices=False)
    )


def support_offers_for(user) -> QuerySet[SupportOffer]:
    return _scoped(SupportOffer.objects.all(), _practice_scope(user, ccg_ids=lambda r: r.ccg_ids, own_practices=False))


def scores_for(user) -> QuerySet[VulnerabilityScore]:
    return visible(user, VulnerabilityScore, in_their_ccgs())


def cqc_imports_for(user) -> QuerySet[CQCImportRun]:
    """Uploads of the CQC's ratings: seen by the commissioners of the CCGs they were imported
    into, and by administrators (who alone see an import into every practice)."""
    roles = roles_of(user)
    if roles.is_admin:
        return CQCImportRun.objects.all()
    ids = CQCImportRun.objects.filter(ccgs__in=roles.commissioner_ccg_ids).values("pk")
    return CQCImportRun.objects.filter(pk__in=ids)
