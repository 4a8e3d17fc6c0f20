"""Only the CCG's commissioners (and administrators) change its plan; everyone else who
may see it reads it."""

import rules

from practices.rules import is_administrator, is_any_commissioner, is_commissioner_of


def _plan_ccg(obj):
    """A plan, or anything inside one (each has a ``plan``), belongs to the plan's CCG."""
    from .models import Plan

    plan = obj if isinstance(obj, Plan) else obj.plan
    return plan.ccg


@rules.predicate
def commissions_plan(user, obj) -> bool:
    return obj is not None and is_commissioner_of(user, _plan_ccg(obj))


can_edit_plan = is_administrator | commissions_plan

rules.add_perm("commissioning.add_plan", is_administrator | is_any_commissioner)
rules.add_perm("commissioning.change_plan", can_edit_plan)
rules.add_perm("commissioning.approve_plan", can_edit_plan)
rules.add_perm("commissioning.add_action", can_edit_plan)
rules.add_perm("commissioning.change_action", can_edit_plan)
rules.add_perm("commissioning.delete_action", can_edit_plan)
rules.add_perm("commissioning.add_risk", can_edit_plan)
rules.add_perm("commissioning.change_risk", can_edit_plan)
rules.add_perm("commissioning.add_progressreport", can_edit_plan)
rules.add_perm("commissioning.change_trajectory", can_edit_plan)
rules.add_perm("commissioning.change_milestone", can_edit_plan)
