"""Which collections, returns and revisions a user may see. Views look them up only here.

Returns are seen by the commissioners of the collection's CCG and by the practice's own
managers (and administrators); governing body members and other practices see none.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from practices.visibility import in_their_ccgs, visible

from .models import Collection, Return, Revision


def collections_for(user) -> QuerySet[Collection]:
    """Whole collections, with every practice's status: the CCG's commissioners only."""
    return visible(user, Collection, in_their_ccgs(commissioners_only=True))


def returns_for(user) -> QuerySet[Return]:
    """A practice's returns: its managers, and the commissioners of the CCG collecting them."""
    return visible(
        user,
        Return,
        lambda roles: Q(collection__ccg_id__in=roles.commissioner_ccg_ids) | Q(practice_id__in=roles.practice_ids),
    )


def revisions_for(user) -> QuerySet[Revision]:
    return Revision.objects.filter(ret__in=returns_for(user))
