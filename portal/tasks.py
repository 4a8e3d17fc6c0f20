"""Jobs of the shared plumbing.

``republish_outbox`` (Celery beat, ``portal-republish-outbox``, every 30 seconds) hands the
broker the jobs that were saved while it was down (``portal.outbox``). Safe to run twice, even
at once: each message is claimed by one run.

``sweep_stale_jobs`` runs every few minutes (``CELERY_BEAT_SCHEDULE``): a metrics run, board
report or reference import still "running" long after its job's time limit lost its worker; it
is queued once more, or failed with the reason if the worker stopped under it before. Safe to
run twice: a swept row is no longer stale.
"""

from __future__ import annotations

import logging

from celery import shared_task

from . import outbox
from .jobs import jobs_sweep

logger = logging.getLogger(__name__)


@shared_task
def republish_outbox() -> int:
    """Publish the outbox messages still waiting, oldest first; return how many were published."""
    return outbox.republish()


@shared_task(soft_time_limit=60, time_limit=90)
def sweep_stale_jobs() -> dict[str, int]:
    swept = jobs_sweep()
    if any(swept.values()):
        logger.warning("Stale jobs swept: %s", swept)
    return swept
