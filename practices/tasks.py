"""Background jobs for practices and their organisations.

``import_reference_file`` runs a queued national reference-data import (see
``practices.services.reference_import_queue``) in the worker and keeps its outcome on the
``ReferenceImport`` row. It is safe to run twice: a finished run is not run again.
"""

from __future__ import annotations

import logging

from celery import shared_task

from .models import ReferenceImport
from .services import reference_import_run

logger = logging.getLogger(__name__)

# A national file takes seconds; allow for a slow disk or a busy database.
REFERENCE_IMPORT_SOFT_TIME_LIMIT = 20 * 60
REFERENCE_IMPORT_TIME_LIMIT = 21 * 60


@shared_task(soft_time_limit=REFERENCE_IMPORT_SOFT_TIME_LIMIT, time_limit=REFERENCE_IMPORT_TIME_LIMIT)
def import_reference_file(run_id: int) -> str:
    """Run the reference import recorded as ``run_id``; return its status."""
    run = ReferenceImport.objects.filter(pk=run_id).first()
    if run is None:
        logger.warning("Reference import %s no longer exists; nothing to run.", run_id)
        return "missing"
    reference_import_run(reference_import=run)
    run.refresh_from_db()
    logger.info("Reference import %s %s: %s", run.pk, run.status, run.summary or run.error)
    return run.status
