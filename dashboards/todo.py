"""What a governing body member finds on the home page (``portal.todo``): for each CCG they sit
for, the papers of its next meeting (the board report made for the soonest meeting from today)
and its latest board report (the one made for the last meeting before today). Each links to
the report itself; only reports that are ready (made) count, through ``reports_for``."""

from __future__ import annotations

import datetime as dt

from portal.display import long_date
from portal.todo import GOVERNING_BODY, TodoItem, Urgency, register, where
from practices.visibility import ccgs_for, roles_of

from .models import BoardReport
from .visibility import reports_for


def _described(report: BoardReport) -> str:
    return f"{report.meeting}, {long_date(report.meeting_date)}: the {report.period_label} board report"


@register
def board_papers(user, today: dt.date) -> list[TodoItem]:
    roles = roles_of(user)
    if not roles.governing_body_ccg_ids:
        return []
    ccgs = list(ccgs_for(user).filter(pk__in=roles.governing_body_ccg_ids).order_by("name"))
    items = []
    for ccg in ccgs:
        before = where(ccg.name, len(ccgs) > 1)
        ready = reports_for(user).filter(ccg=ccg, status=BoardReport.Status.DONE).defer("html", "pdf")
        upcoming = ready.filter(meeting_date__gte=today).order_by("meeting_date", "-requested_at").first()
        latest = ready.filter(meeting_date__lt=today).order_by("-meeting_date", "-requested_at").first()
        if upcoming is not None:
            items.append(
                TodoItem(
                    role=GOVERNING_BODY,
                    url=upcoming.get_absolute_url(),
                    singular="Papers for the next meeting",
                    urgency=Urgency.DUE,
                    due_date=upcoming.meeting_date,
                    note=before + _described(upcoming),
                )
            )
        if latest is not None:
            items.append(
                TodoItem(
                    role=GOVERNING_BODY,
                    url=latest.get_absolute_url(),
                    singular="Latest board report",
                    urgency=Urgency.TO_READ,
                    due_date=latest.meeting_date,
                    note=before + _described(latest),
                )
            )
    return items
