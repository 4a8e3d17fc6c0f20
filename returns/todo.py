"""What the returns workflow puts on the home page (``portal.todo``).

A practice manager: their practices' returns overdue, due and not yet submitted, and returned
for correction (``ReturnQuerySet.standing``, the one rule of timeliness), each linking to
"Your returns" showing just those. A commissioner: the returns submitted and awaiting their
review, one line per collection of the CCGs they commission, linking to the collection's
practices with that status.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse

from portal.todo import COMMISSIONER, PRACTICE_MANAGER, TodoItem, Urgency, due_note, register, where
from practices.visibility import roles_of

from .models import Return, Timeliness
from .visibility import collections_for, returns_for

PRACTICE_RETURNS = (
    (Timeliness.MISSING, Urgency.OVERDUE, "return overdue", "returns overdue"),
    (Timeliness.NOT_YET_DUE, Urgency.DUE, "return due", "returns due"),
    (Timeliness.RETURNED, Urgency.WAITING, "return returned for correction", "returns returned for correction"),
)


@register
def practice_returns(user, today: dt.date) -> list[TodoItem]:
    practice_ids = roles_of(user).practice_ids
    if not practice_ids:
        return []
    own = returns_for(user).filter(practice_id__in=practice_ids)
    items = []
    for timeliness, urgency, singular, plural in PRACTICE_RETURNS:
        dates = list(own.standing(timeliness, today).values_list("collection__due_date", flat=True))
        if not dates:
            continue
        items.append(
            TodoItem(
                role=PRACTICE_MANAGER,
                url=f"{reverse('returns:my_returns')}?timeliness={timeliness}",
                singular=singular,
                plural=plural,
                count=len(dates),
                urgency=urgency,
                due_date=min(dates),
                note=due_note(dates, today),
            )
        )
    return items


@register
def returns_to_review(user, today: dt.date) -> list[TodoItem]:
    ccg_ids = roles_of(user).commissioner_ccg_ids
    if not ccg_ids:
        return []
    # A collection's returns are its CCG's: whoever sees the collection sees them (``returns_for``).
    collections = (
        collections_for(user)
        .filter(ccg_id__in=ccg_ids)
        .annotate(awaiting=Count("returns", filter=Q(returns__status=Return.Status.SUBMITTED)))
        .filter(awaiting__gt=0)
        .select_related("ccg")
        .order_by("due_date", "pk")
    )
    several = len(ccg_ids) > 1
    return [
        TodoItem(
            role=COMMISSIONER,
            url=f"{collection.get_absolute_url()}?status={Return.Status.SUBMITTED}",
            singular="return to review",
            plural="returns to review",
            count=collection.awaiting,
            urgency=Urgency.WAITING,
            due_date=collection.due_date,
            note=where(collection.ccg.name, several) + collection.title,
        )
        for collection in collections
    ]
