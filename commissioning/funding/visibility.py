"""Which funding records a user may see. Views look objects up only through these.

Commissioners and governing body members see their CCGs' allocations, schemes and
payments, and the national streams with their own CCGs' streams; practice managers see
only the schemes that include their practice, and their own practice's payments.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from practices.visibility import in_their_ccgs, practices_for, roles_of, visible

from .models import Allocation, FundingStream, PracticePayment, Scheme, StreamRule


def streams_for(user) -> QuerySet[FundingStream]:
    roles = roles_of(user)
    if roles.is_admin:
        return FundingStream.objects.all()
    if not roles.ccg_ids:
        return FundingStream.objects.none()
    return FundingStream.objects.filter(Q(ccg__isnull=True) | Q(ccg_id__in=roles.ccg_ids))


def stream_rules_for(user, stream: FundingStream) -> QuerySet[StreamRule]:
    """A stream's national rules and the user's CCGs' own."""
    roles = roles_of(user)
    rules = stream.rules.select_related("ccg")
    if roles.is_admin:
        return rules
    return rules.filter(Q(ccg__isnull=True) | Q(ccg_id__in=roles.ccg_ids))


def allocations_for(user) -> QuerySet[Allocation]:
    return visible(user, Allocation, in_their_ccgs())


def schemes_for(user) -> QuerySet[Scheme]:
    """The CCG's people see its bids; a practice manager sees those including their practice."""
    return visible(user, Scheme, _scheme_rule)


def _scheme_rule(roles) -> Q:
    rule = Q(ccg_id__in=roles.ccg_ids)
    if roles.practice_ids:
        rule |= Q(pk__in=Scheme.objects.including_practices(roles.practice_ids).values("pk"))
    return rule


def payments_for(user) -> QuerySet[PracticePayment]:
    """The payments of the practices the user may see (a practice manager: their own)."""
    return PracticePayment.objects.filter(practice__in=practices_for(user))
