"""Jobs of the workforce area.

``summarise_workforce_return`` stores the staff-group figures of one accepted workforce
return (queued when a commissioner accepts it). Safe to run twice: it replaces the rows.
"""

from __future__ import annotations

from celery import shared_task

from returns.models import Revision

from .services import workforce_summarise

SUMMARY_SOFT_TIME_LIMIT = 60
SUMMARY_TIME_LIMIT = 90


@shared_task(soft_time_limit=SUMMARY_SOFT_TIME_LIMIT, time_limit=SUMMARY_TIME_LIMIT)
def summarise_workforce_return(revision_id: int) -> int:
    """Summarise the accepted revision ``revision_id``; return how many staff-group rows it stored."""
    revision = Revision.objects.filter(pk=revision_id).select_related("ret__collection").first()
    if revision is None:
        return 0
    return len(workforce_summarise(revision=revision))
