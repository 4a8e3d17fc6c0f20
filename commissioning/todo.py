"""What plans and funding put on a commissioner's home page (``portal.todo``), for the CCGs they
commission only (through ``visibility.py`` and ``funding/visibility.py``).

For each plan: the actions that went overdue in the last ``RECENT_DAYS`` days, with the total
overdue (``ActionQuerySet.overdue_since`` and ``overdue``), the open actions rated red
(``ActionQuerySet.red``), and the tracker uploads that reported problems; for each CCG, the
funding bids submitted and awaiting a decision. Each links to the list filtered to exactly those.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from portal.display import long_date
from portal.todo import (
    ADMINISTRATOR,
    COMMISSIONER,
    RECENT_DAYS,
    TodoItem,
    Urgency,
    due_note,
    problems_item,
    recent_problems,
    register,
    where,
)
from practices.visibility import commissioned_ccgs_for, roles_of

from .funding.models import Scheme
from .funding.visibility import schemes_for
from .visibility import actions_for, plans_for, risks_for, tracker_imports_for


def _commissioned_plans(user):
    ccg_ids = roles_of(user).commissioner_ccg_ids
    if not ccg_ids:
        return []
    return list(plans_for(user).filter(ccg_id__in=ccg_ids).select_related("ccg").order_by("ccg__name", "first_year"))


def _plan(plan, user) -> str:
    """The plan, after its CCG's name when the person commissions several."""
    return where(plan.ccg.name, len(roles_of(user).commissioner_ccg_ids) > 1) + str(plan)


def _actions_url(plan, **filters) -> str:
    return f"{reverse('commissioning:action_list', args=[plan.pk])}?{urlencode(filters)}"


@register
def overdue_actions(user, today: dt.date) -> list[TodoItem]:
    items = []
    for plan in _commissioned_plans(user):
        actions = actions_for(user).filter(plan=plan)
        overdue = list(actions.overdue(today).values_list("due_on", flat=True))
        if not overdue:
            continue
        newly = list(
            actions.overdue_since(today - dt.timedelta(days=RECENT_DAYS), today).values_list("due_on", flat=True)
        )
        in_all = f"{len(overdue)} overdue in all" if len(overdue) != 1 else "1 overdue in all"
        if newly:
            items.append(
                TodoItem(
                    role=COMMISSIONER,
                    url=_actions_url(plan, overdue="new"),
                    singular="action newly overdue",
                    plural="actions newly overdue",
                    count=len(newly),
                    urgency=Urgency.OVERDUE,
                    due_date=min(newly),
                    note=f"{_plan(plan, user)}: went overdue in the last {RECENT_DAYS} days, {due_note(newly, today)}",
                    more_text=in_all,
                    more_url=_actions_url(plan, overdue="yes"),
                )
            )
        else:
            items.append(
                TodoItem(
                    role=COMMISSIONER,
                    url=_actions_url(plan, overdue="yes"),
                    singular="action overdue",
                    plural="actions overdue",
                    count=len(overdue),
                    urgency=Urgency.OVERDUE,
                    due_date=min(overdue),
                    note=f"{_plan(plan, user)}: none went overdue in the last {RECENT_DAYS} days; "
                    + due_note(overdue, today),
                )
            )
    return items


@register
def red_actions(user, today: dt.date) -> list[TodoItem]:
    items = []
    for plan in _commissioned_plans(user):
        count = actions_for(user).filter(plan=plan).red(today).count()
        if count:
            items.append(
                TodoItem(
                    role=COMMISSIONER,
                    url=_actions_url(plan, rag="red", open="yes"),
                    singular="open action rated red",
                    plural="open actions rated red",
                    count=count,
                    urgency=Urgency.WAITING,
                    note=_plan(plan, user),
                )
            )
    return items


@register
def risks_due_for_review(user, today: dt.date) -> list[TodoItem]:
    """Open risks of the commissioner's plans whose next review date has come (``due_for_review``)."""
    items = []
    for plan in _commissioned_plans(user):
        dates = list(risks_for(user).filter(plan=plan).due_for_review(today).values_list("review_due", flat=True))
        if dates:
            items.append(
                TodoItem(
                    role=COMMISSIONER,
                    url=f"{reverse('commissioning:risk_list', args=[plan.pk])}?{urlencode({'review': 'due'})}",
                    singular="risk due for review",
                    plural="risks due for review",
                    count=len(dates),
                    urgency=Urgency.OVERDUE if min(dates) < today else Urgency.DUE,
                    due_date=min(dates),
                    note=f"{_plan(plan, user)}: {due_note(dates, today)}",
                )
            )
    return items


@register
def tracker_problems(user, today: dt.date) -> list[TodoItem]:
    """A commissioner: their CCGs' plans' tracker uploads; an administrator: every plan's."""
    roles = roles_of(user)
    if roles.is_admin:
        role, runs = ADMINISTRATOR, tracker_imports_for(user)
    elif roles.commissioner_ccg_ids:
        role, runs = COMMISSIONER, tracker_imports_for(user).filter(plan__ccg_id__in=roles.commissioner_ccg_ids)
    else:
        return []
    by_plan = Counter(recent_problems(runs, today).values_list("plan_id", flat=True))
    plans = plans_for(user).filter(pk__in=by_plan).select_related("ccg").order_by("ccg__name", "first_year")
    return [
        problems_item(
            role=role,
            url=reverse("commissioning:tracker_import", args=[plan.pk]),
            what="action tracker upload",
            count=by_plan[plan.pk],
            about=f"{where(plan.ccg.name, roles.is_admin)}{_plan(plan, user)}",
        )
        for plan in plans
    ]


@register
def funding_bids_to_decide(user, today: dt.date) -> list[TodoItem]:
    items = []
    roles = roles_of(user)
    several = len(roles.commissioner_ccg_ids) > 1
    for ccg in commissioned_ccgs_for(user).filter(pk__in=roles.commissioner_ccg_ids).order_by("name"):
        submitted = list(
            schemes_for(user).filter(ccg=ccg, status=Scheme.Status.SUBMITTED).values_list("submitted_at", flat=True)
        )
        if submitted:
            query = urlencode({"ccg": ccg.pk, "status": Scheme.Status.SUBMITTED})
            first = min((timezone.localdate(when) for when in submitted if when is not None), default=None)
            items.append(
                TodoItem(
                    role=COMMISSIONER,
                    url=f"{reverse('commissioning:scheme_list')}?{query}",
                    singular="funding bid awaiting a decision",
                    plural="funding bids awaiting a decision",
                    count=len(submitted),
                    urgency=Urgency.WAITING,
                    due_date=first,
                    note=where(ccg.name, several) + (f"the first submitted {long_date(first)}" if first else "waiting"),
                )
            )
    return items
