"""Jobs of the metrics engine.

``recompute_metrics`` runs one ``RecomputeRun`` (started from the browser, the command line,
the nightly job or accepted returns); ``recompute_all_metrics`` queues the nightly full
recompute (Celery beat, ``metrics-nightly-recompute``); ``recompute_pending`` queues one for
the periods that accepted returns touched, a little after the first acceptance (debounced). All are safe to run twice:
values are replaced, never added. A database fault is retried with a growing delay; a return
the engine cannot use is left out and reported on the run, and the rest are computed.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from portal import outbox

from .models import RecomputeRun
from .services import metrics_recompute, pending_take

logger = logging.getLogger(__name__)

#: A full recompute of all of England takes a few minutes on two cores; a period, seconds.
RECOMPUTE_SOFT_TIME_LIMIT = 30 * 60
RECOMPUTE_TIME_LIMIT = RECOMPUTE_SOFT_TIME_LIMIT + 60
MAX_RETRIES = 3
RETRY_BACKOFF_SECONDS = 30
RETRIED_FAULTS = (OperationalError, InterfaceError, BrokerError)


def _run(task, run: RecomputeRun) -> int:
    try:
        written = metrics_recompute(run=run).values_written
    except RETRIED_FAULTS as exc:
        if task.request.retries < MAX_RETRIES:
            RecomputeRun.objects.filter(pk=run.pk).update(
                status=RecomputeRun.Status.QUEUED, step=f"Waiting to try again after a fault: {exc}"
            )
            raise task.retry(exc=exc, countdown=RETRY_BACKOFF_SECONDS * 2**task.request.retries) from exc
        _failed(run, exc)
        raise
    except Exception as exc:
        _failed(run, exc)
        raise
    # The vulnerable practice register scores practices from these metrics: rescore on fresh values.
    from quality.tasks import compute_vulnerability_scores

    outbox.enqueue(compute_vulnerability_scores, unique=True)
    return written


def _failed(run: RecomputeRun, exc: Exception) -> None:
    RecomputeRun.objects.filter(pk=run.pk).update(
        status=RecomputeRun.Status.FAILED, finished_at=timezone.now(), error=f"{type(exc).__name__}: {exc}"
    )


@shared_task(bind=True, soft_time_limit=RECOMPUTE_SOFT_TIME_LIMIT, time_limit=RECOMPUTE_TIME_LIMIT)
def recompute_metrics(self, run_id: int) -> int:
    """Run the recompute ``run_id``; return how many values it wrote (0 if it is already finished)."""
    run = RecomputeRun.objects.filter(pk=run_id).first()
    if run is None or run.status == RecomputeRun.Status.DONE:
        return 0
    return _run(self, run)


@shared_task
def recompute_all_metrics() -> int:
    """The nightly recompute of every metric for every period: queue it as a run; return its id."""
    with transaction.atomic():
        run = RecomputeRun.objects.create(trigger=RecomputeRun.Trigger.NIGHTLY)
        outbox.enqueue(recompute_metrics, args=(run.pk,), about=run)
    return run.pk


@shared_task
def recompute_pending() -> int | None:
    """Queue a run for the periods accepted returns touched since the last one; its id, or None."""
    # The periods taken and the run that will compute them are saved together, or neither is.
    with transaction.atomic():
        scope = pending_take()
        if not scope:
            return None
        run = RecomputeRun.objects.create(trigger=RecomputeRun.Trigger.ACCEPTANCE, scope=scope)
        outbox.enqueue(recompute_metrics, args=(run.pk,), about=run)
    return run.pk
