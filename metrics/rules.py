"""Who may start a recompute of every metric: a commissioner of any CCG, or an administrator.

The values are England-wide (the percentiles compare every practice), so a recompute is not
scoped to one CCG; it changes no figure a return did not already give.
"""

import rules

from practices.rules import is_administrator, is_any_commissioner

can_recompute_metrics = is_administrator | is_any_commissioner

rules.add_perm("metrics.start_recompute", can_recompute_metrics)
rules.add_perm("metrics.view_recomputerun", can_recompute_metrics)
