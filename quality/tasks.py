"""Background jobs of the quality area.

``compute_vulnerability_scores`` scores every open practice (of some CCGs, or all) on a run
date and stores one row per practice per run date: a second run the same day replaces that
day's rows, so it is safe to run twice. It runs nightly from the beat schedule, after a
commissioner changes the scoring rules, and when the metrics engine recomputes.
``send_contract_review_reminders`` emails commissioners each morning about contract
decisions whose review falls due; each event and review date is reminded once.
``import_cqc_ratings`` imports an uploaded CQC ratings file (see
``quality.services.cqc_import_queue``) once, all or nothing, keeping the outcome on its run.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task

from portal import outbox

from .services import contract_review_reminders_send, cqc_import_run, vulnerability_scores_compute

logger = logging.getLogger(__name__)

# A CCG of 80 practices is a dozen queries; all of England (7,000 practices) a minute or two.
SCORES_SOFT_TIME_LIMIT = 15 * 60
REMINDERS_SOFT_TIME_LIMIT = 10 * 60


@shared_task(soft_time_limit=SCORES_SOFT_TIME_LIMIT, time_limit=SCORES_SOFT_TIME_LIMIT + 60)
def compute_vulnerability_scores(run_date: str | None = None, ccg_ids: list[int] | None = None) -> int:
    """Score the practices on ``run_date`` (ISO date; default today); returns how many rows were stored."""
    day = dt.date.fromisoformat(run_date) if run_date else None
    stored = vulnerability_scores_compute(run_date=day, ccg_ids=ccg_ids)
    logger.info("Vulnerability scores: %s stored.", stored)
    return stored


def rescore_after_recompute(sender, **kwargs) -> None:
    """``metrics.signals.recompute_finished``: the register scores practices from the metrics, so
    it is rescored on fresh values (one job however many recomputes finish before it runs)."""
    outbox.enqueue(compute_vulnerability_scores, unique=True)


@shared_task(soft_time_limit=REMINDERS_SOFT_TIME_LIMIT, time_limit=REMINDERS_SOFT_TIME_LIMIT + 60)
def send_contract_review_reminders(today: str | None = None) -> int:
    day = dt.date.fromisoformat(today) if today else None
    sent = contract_review_reminders_send(today=day)
    logger.info("Contract review reminders: %s sent.", sent)
    return sent


# The CQC's whole file (tens of thousands of rows) takes seconds; allow for a busy machine.
CQC_IMPORT_SOFT_TIME_LIMIT = 10 * 60
CQC_IMPORT_TIME_LIMIT = 11 * 60


@shared_task(soft_time_limit=CQC_IMPORT_SOFT_TIME_LIMIT, time_limit=CQC_IMPORT_TIME_LIMIT)
def import_cqc_ratings(run_id: int) -> str:
    """Run the CQC ratings import recorded as ``run_id``; return its status."""
    run = cqc_import_run(run_id=run_id)
    if run is None:
        logger.info("CQC import %s was already claimed or no longer exists; nothing to do.", run_id)
        return "skipped"
    return run.status
