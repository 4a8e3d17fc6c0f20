"""Background jobs of the estates area.

``refresh_capacity`` recomputes one CCG's stored practice and cluster capacity (see
``estates.capacity`` for the definitions); edits queue it when they commit.
``refresh_all_capacity`` runs nightly from the beat schedule, because list sizes arrive by
imports that send no signals. Both are safe to run twice: each run replaces the rows.
"""

from __future__ import annotations

import logging

from celery import shared_task

from practices.models import CCG

from .services import capacity_refresh

logger = logging.getLogger(__name__)

# A CCG takes well under a second; the nightly run covers every CCG with premises.
CAPACITY_SOFT_TIME_LIMIT = 10 * 60
CAPACITY_TIME_LIMIT = 11 * 60


@shared_task(soft_time_limit=CAPACITY_SOFT_TIME_LIMIT, time_limit=CAPACITY_TIME_LIMIT)
def refresh_capacity(ccg_id: int) -> dict:
    """Recompute the stored capacity of CCG ``ccg_id``; return how many rows were written."""
    ccg = CCG.objects.filter(pk=ccg_id).first()
    if ccg is None:
        logger.warning("CCG %s no longer exists; no capacity to refresh.", ccg_id)
        return {}
    return capacity_refresh(ccg=ccg)


@shared_task(soft_time_limit=CAPACITY_SOFT_TIME_LIMIT, time_limit=CAPACITY_TIME_LIMIT)
def refresh_all_capacity() -> int:
    """Recompute every CCG whose practices have premises recorded; return how many."""
    ccgs = CCG.objects.filter(practices__sites__premises__isnull=False).distinct()
    count = 0
    for ccg in ccgs:
        capacity_refresh(ccg=ccg)
        count += 1
    return count
