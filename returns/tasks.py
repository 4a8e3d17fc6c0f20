"""Scheduled jobs of the collection workflow.

``send_return_reminders`` runs every morning (``CELERY_BEAT_SCHEDULE`` in settings): it emails
the managers of each practice whose return is due soon or overdue. It is safe to run twice:
each reminder sent is recorded, and a recorded reminder is never sent again.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task

from .services import reminders_send

logger = logging.getLogger(__name__)

# A run sends at most a few hundred emails; allow for a slow mail server.
REMINDERS_SOFT_TIME_LIMIT = 10 * 60
REMINDERS_TIME_LIMIT = 11 * 60


@shared_task(soft_time_limit=REMINDERS_SOFT_TIME_LIMIT, time_limit=REMINDERS_TIME_LIMIT)
def send_return_reminders(today: str | None = None) -> int:
    """Send the reminders due on ``today`` (ISO date; default the local date); return how many went."""
    day = dt.date.fromisoformat(today) if today else None
    sent = reminders_send(today=day)
    logger.info("Return reminders: %s sent.", sent)
    return sent
