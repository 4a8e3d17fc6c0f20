"""Background jobs for commissioning.

``import_tracker`` checks or imports an uploaded action tracker (see
``commissioning.services.tracker_import_queue``) and keeps the outcome on its
``TrackerImportRun``. Safe to run twice: a run already claimed is not run again.
"""

from __future__ import annotations

import logging

from celery import shared_task

from .services import tracker_import_run

logger = logging.getLogger(__name__)

# A full 5 MB tracker (about 15,000 actions) takes a few minutes on a busy 2-core machine.
TRACKER_IMPORT_SOFT_TIME_LIMIT = 15 * 60
TRACKER_IMPORT_TIME_LIMIT = 16 * 60


@shared_task(soft_time_limit=TRACKER_IMPORT_SOFT_TIME_LIMIT, time_limit=TRACKER_IMPORT_TIME_LIMIT)
def import_tracker(run_id: int) -> str:
    """Run the tracker import recorded as ``run_id``; return its status."""
    run = tracker_import_run(run_id=run_id)
    if run is None:
        logger.info("Tracker import %s was already claimed or no longer exists; nothing to do.", run_id)
        return "skipped"
    logger.info("Tracker import %s %s.", run.pk, run.status)
    return run.status
