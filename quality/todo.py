"""What the quality area puts on the home page (``portal.todo``).

A commissioner, for each CCG they commission: the contract events awaiting the committee's
decision (``ContractEventQuerySet.undecided``), the decisions whose review falls due within
``REVIEW_REMINDER_DAYS_BEFORE`` days or is overdue (``reviews_due_by``, as the list and the
reminder email count them), and the CQC ratings uploads that reported problems. An
administrator: every CQC ratings upload that reported problems.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from portal.display import long_date
from portal.todo import (
    ADMINISTRATOR,
    COMMISSIONER,
    TodoItem,
    Urgency,
    due_note,
    problems_item,
    recent_problems,
    register,
    where,
)
from practices.visibility import commissioned_ccgs_for, roles_of

from .services import REVIEW_REMINDER_DAYS_BEFORE
from .visibility import contract_events_for, cqc_imports_for


def _commissioned_ccgs(user):
    roles = roles_of(user)
    if not roles.commissioner_ccg_ids:
        return []
    return list(commissioned_ccgs_for(user).filter(pk__in=roles.commissioner_ccg_ids).order_by("name"))


@register
def contract_events(user, today: dt.date) -> list[TodoItem]:
    ccgs = _commissioned_ccgs(user)
    several = len(ccgs) > 1
    items = []
    for ccg in ccgs:
        events = contract_events_for(user).filter(practice__ccg=ccg)
        url = reverse("quality:contract_event_list", args=[ccg.pk])
        before = where(ccg.name, several)
        undecided = list(events.undecided().values_list("received_date", flat=True))
        if undecided:
            items.append(
                TodoItem(
                    role=COMMISSIONER,
                    url=f"{url}?show=undecided",
                    singular="contract event awaiting a decision",
                    plural="contract events awaiting a decision",
                    count=len(undecided),
                    urgency=Urgency.WAITING,
                    due_date=min(undecided),
                    note=f"{before}the oldest received {long_date(min(undecided))}"
                    if len(undecided) > 1
                    else f"{before}received {long_date(undecided[0])}",
                )
            )
        reviews = list(
            events.reviews_due_by(today + dt.timedelta(days=REVIEW_REMINDER_DAYS_BEFORE)).values_list(
                "review_date", flat=True
            )
        )
        if reviews:
            items.append(
                TodoItem(
                    role=COMMISSIONER,
                    url=f"{url}?show=reviews_due",
                    singular="contract decision due for review",
                    plural="contract decisions due for review",
                    count=len(reviews),
                    urgency=Urgency.OVERDUE if min(reviews) < today else Urgency.DUE,
                    due_date=min(reviews),
                    note=before + due_note(reviews, today),
                )
            )
    return items


def _cqc_problems(user, today: dt.date, role: str) -> list[TodoItem]:
    count = recent_problems(cqc_imports_for(user), today).count()
    if not count:
        return []
    return [problems_item(role=role, url=reverse("quality:cqc_import"), what="CQC ratings upload", count=count)]


@register
def cqc_import_problems(user, today: dt.date) -> list[TodoItem]:
    roles = roles_of(user)
    if roles.is_admin:
        return _cqc_problems(user, today, ADMINISTRATOR)
    if roles.commissioner_ccg_ids:
        return _cqc_problems(user, today, COMMISSIONER)
    return []
