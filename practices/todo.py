"""What an administrator finds on the home page (``portal.todo``): the national reference
imports that reported problems in the last ``RECENT_DAYS`` days, and the jobs still waiting in
the outbox for the job queue. (The areas add their own uploads' problems.)"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from portal.display import long_date
from portal.models import OutboxMessage
from portal.todo import ADMINISTRATOR, TodoItem, Urgency, problems_item, recent_problems, register

from .models import ReferenceImport
from .visibility import roles_of


@register
def reference_import_problems(user, today: dt.date) -> list[TodoItem]:
    if not roles_of(user).is_admin:
        return []
    count = recent_problems(ReferenceImport.objects.all(), today).count()
    if not count:
        return []
    return [
        problems_item(
            role=ADMINISTRATOR, url=reverse("practices:reference_import"), what="reference import", count=count
        )
    ]


@register
def jobs_waiting(user, today: dt.date) -> list[TodoItem]:
    if not (roles_of(user).is_admin and user.is_staff):
        return []
    rows = list(OutboxMessage.objects.values_list("created_at", flat=True))
    if not rows:
        return []
    oldest = timezone.localdate(min(rows))
    return [
        TodoItem(
            role=ADMINISTRATOR,
            url=reverse("admin:portal_outboxmessage_changelist"),
            singular="job waiting for the job queue",
            plural="jobs waiting for the job queue",
            count=len(rows),
            urgency=Urgency.WAITING,
            due_date=oldest,
            note=f"the oldest queued {long_date(oldest)}",
        )
    ]
