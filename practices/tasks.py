"""Background jobs for practices and their organisations.

``import_reference_file`` runs a queued national reference-data import (see
``practices.services.reference_import_queue``) in the worker and keeps its outcome on the
``ReferenceImport`` row. It is safe to run twice: a finished run is not run again.
"""

from __future__ import annotations

import logging

from celery import shared_task

from portal.jobs import Claim, job_claim

from .models import ReferenceImport
from .services import reference_import_run

logger = logging.getLogger(__name__)

# A national file takes seconds; allow for a slow disk or a busy database.
REFERENCE_IMPORT_SOFT_TIME_LIMIT = 20 * 60
REFERENCE_IMPORT_TIME_LIMIT = 21 * 60


@shared_task(bind=True, soft_time_limit=REFERENCE_IMPORT_SOFT_TIME_LIMIT, time_limit=REFERENCE_IMPORT_TIME_LIMIT)
def import_reference_file(self, run_id: int) -> str:
    """Run the reference import recorded as ``run_id``; return its status."""
    claim = job_claim(model=ReferenceImport, pk=run_id, task_id=self.request.id)
    if claim == Claim.MISSING:
        logger.warning("Reference import %s no longer exists; nothing to run.", run_id)
        return "missing"
    if claim == Claim.BUSY:
        logger.warning("Reference import %s is being run by another task; not run twice at once.", run_id)
        return "busy"
    run = ReferenceImport.objects.get(pk=run_id)
    reference_import_run(reference_import=run)
    run.refresh_from_db()
    logger.info("Reference import %s %s: %s", run.pk, run.status, run.summary or run.error)
    return run.status
