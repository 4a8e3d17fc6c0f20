"""Who may change what in the estates area (``rules``), on the same roles as elsewhere.

A commissioner changes everything of their CCG's estates; a practice manager changes only
the premises of their own practice's sites and their practice's IT checklist; a governing
body member reads; an administrator changes everything. Schemes, housing growth and the
guide figures are the commissioner's.
"""

import rules

from practices.rules import is_administrator, is_commissioner_of, manages_practice_of, reads_ccg_of

can_edit_ccg_estates = is_administrator | is_commissioner_of
# Premises, sites and IT checklists carry ``practice_id`` (the host practice) and ``ccg_id``.
can_edit_practice_estates = can_edit_ccg_estates | manages_practice_of

rules.add_perm("estates.view_premises", is_administrator | reads_ccg_of | manages_practice_of)
rules.add_perm("estates.change_premises", can_edit_practice_estates)
rules.add_perm("estates.change_siteoccupancy", can_edit_practice_estates)
rules.add_perm("estates.change_practiceit", can_edit_practice_estates)
rules.add_perm("estates.view_capacity", is_administrator | reads_ccg_of)
rules.add_perm("estates.change_estatessettings", can_edit_ccg_estates)
rules.add_perm("estates.change_housinggrowth", can_edit_ccg_estates)
rules.add_perm("estates.add_scheme", can_edit_ccg_estates)
rules.add_perm("estates.change_scheme", can_edit_ccg_estates)
