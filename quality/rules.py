"""Permissions of the quality area (``rules``), on the same roles as ``quality.visibility``.

Every change is the CCG's commissioners' (or an administrator's). Reading: CQC history by
anyone who may read the practice; contract events by the commissioners and the practice's
own managers; concerns' text by the commissioners only; the register, scores and counts of
events and concerns by the commissioners and the governing body.
"""

import rules

from practices.rules import is_administrator, is_any_commissioner, is_commissioner_of, manages_practice_of, reads_ccg_of

can_manage = is_administrator | is_commissioner_of

rules.add_perm("quality.view_cqc", is_administrator | reads_ccg_of | manages_practice_of)
rules.add_perm("quality.change_cqc", can_manage)
rules.add_perm("quality.import_cqc", is_administrator | is_any_commissioner)
rules.add_perm("quality.view_contract_events", can_manage | manages_practice_of)
rules.add_perm("quality.change_contract_event", can_manage)
rules.add_perm("quality.view_concerns", can_manage)
rules.add_perm("quality.change_concern", can_manage)
rules.add_perm("quality.view_register", is_administrator | reads_ccg_of)
rules.add_perm("quality.view_counts", is_administrator | reads_ccg_of)
rules.add_perm("quality.change_scoring_rules", can_manage)
rules.add_perm("quality.add_support_offer", can_manage)
rules.add_perm("quality.change_support_offer", can_manage)
