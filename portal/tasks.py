"""Jobs of the shared plumbing.

``republish_outbox`` (Celery beat, ``portal-republish-outbox``, every 30 seconds) hands the
broker the jobs that were saved while it was down (``portal.outbox``). Safe to run twice, even
at once: each message is claimed by one run.
"""

from __future__ import annotations

from celery import shared_task

from . import outbox


@shared_task
def republish_outbox() -> int:
    """Publish the outbox messages still waiting, oldest first; return how many were published."""
    return outbox.republish()
