"""Who may change funding: the CCG's commissioners (and administrators) change its
allocations, schemes, spend and its own streams and rules; national streams are the
administrators'. Governing body members and practice managers read what they may see
(``visibility.py``) and change nothing."""

import rules

from practices.rules import is_administrator, is_any_commissioner, is_commissioner_of
from practices.visibility import roles_of


@rules.predicate
def commissions_stream(user, obj) -> bool:
    """A CCG's own stream (or a rate of it): its commissioners. National streams: nobody here."""
    stream = getattr(obj, "stream", obj)
    return stream is not None and stream.ccg_id is not None and stream.ccg_id in roles_of(user).commissioner_ccg_ids


@rules.predicate
def commissions_scheme_of(user, obj) -> bool:
    """A scheme's amount, milestone or spend belongs to the scheme's CCG."""
    return obj is not None and is_commissioner_of(user, obj.scheme)


can_edit_ccg_funding = is_administrator | is_commissioner_of

rules.add_perm("commissioning.add_fundingstream", is_administrator | is_any_commissioner)
rules.add_perm("commissioning.change_fundingstream", is_administrator | commissions_stream)
rules.add_perm("commissioning.change_streamrate", is_administrator | commissions_stream)
rules.add_perm("commissioning.change_streamrule", can_edit_ccg_funding)
rules.add_perm("commissioning.change_allocation", can_edit_ccg_funding)
rules.add_perm("commissioning.add_scheme", can_edit_ccg_funding)
rules.add_perm("commissioning.change_scheme", can_edit_ccg_funding)
rules.add_perm("commissioning.decide_scheme", can_edit_ccg_funding)
rules.add_perm("commissioning.change_schemespend", is_administrator | commissions_scheme_of)
rules.add_perm("commissioning.change_schememilestone", is_administrator | commissions_scheme_of)
