"""Who may read dashboards and reports, and who may ask for a board report (``rules``).

The CCG's commissioners and governing body read its dashboards and board reports; its
commissioners (and administrators) ask for a new board report. Practice managers see only
their own practice's profile, which ``practices.view_practice`` decides.
"""

import rules

from practices.rules import is_administrator, is_commissioner_of, reads_ccg_of

rules.add_perm("dashboards.view_ccg_dashboard", is_administrator | reads_ccg_of)
rules.add_perm("dashboards.view_boardreport", is_administrator | reads_ccg_of)
rules.add_perm("dashboards.add_boardreport", is_administrator | is_commissioner_of)
