"""Background jobs of the access area.

``compute_access_measure`` works out the measures of one accepted access return (queued by
the return type when a commissioner accepts it); ``rebuild_access_measures`` does all of
them again, after a change to how a measure is worked out. Both are safe to run twice.
"""

from __future__ import annotations

import logging

from celery import shared_task

from returns.models import Revision

from .services import access_measure_compute, access_measures_rebuild

logger = logging.getLogger(__name__)

# One return is a handful of queries; a rebuild of a few thousand returns takes a minute or two.
MEASURE_SOFT_TIME_LIMIT = 60
REBUILD_SOFT_TIME_LIMIT = 30 * 60


@shared_task(soft_time_limit=MEASURE_SOFT_TIME_LIMIT, time_limit=MEASURE_SOFT_TIME_LIMIT + 30)
def compute_access_measure(revision_id: int) -> str:
    revision = Revision.objects.filter(pk=revision_id).first()
    if revision is None:
        logger.warning("Revision %s no longer exists; no access measures to compute.", revision_id)
        return "missing"
    measure = access_measure_compute(revision=revision)
    return "computed" if measure is not None else "not accepted"


@shared_task(soft_time_limit=REBUILD_SOFT_TIME_LIMIT, time_limit=REBUILD_SOFT_TIME_LIMIT + 60)
def rebuild_access_measures() -> int:
    return access_measures_rebuild()
