"""Who may change returns: the practice's managers fill in and submit their own practice's
return while it is not accepted; the CCG's commissioners open collections, chase, accept
and return for correction. Nobody else changes anything."""

import rules

from practices.rules import is_administrator
from practices.visibility import roles_of


def _ccg_id(obj) -> int | None:
    from .models import Collection, Return

    if isinstance(obj, Return):
        return obj.collection.ccg_id
    if isinstance(obj, Collection):
        return obj.ccg_id
    return getattr(obj, "pk", None)  # a CCG


@rules.predicate
def commissions_return(user, obj) -> bool:
    return obj is not None and _ccg_id(obj) in roles_of(user).commissioner_ccg_ids


@rules.predicate
def manages_returning_practice(user, ret) -> bool:
    return ret is not None and ret.practice_id in roles_of(user).practice_ids


@rules.predicate
def is_not_accepted(user, ret) -> bool:
    return ret is not None and not ret.is_frozen


@rules.predicate
def is_awaiting_review(user, ret) -> bool:
    from .models import Return

    return ret is not None and ret.status == Return.Status.SUBMITTED


@rules.predicate
def is_outstanding(user, ret) -> bool:
    return ret is not None and ret.is_outstanding


can_commission = is_administrator | commissions_return

rules.add_perm("returns.add_collection", can_commission)
rules.add_perm("returns.view_collection", can_commission)
rules.add_perm("returns.view_return", can_commission | manages_returning_practice)
rules.add_perm("returns.change_return", manages_returning_practice & is_not_accepted)
rules.add_perm("returns.review_return", can_commission & is_awaiting_review)
rules.add_perm("returns.chase_return", can_commission & is_outstanding)
