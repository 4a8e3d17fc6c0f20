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
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from portal import outbox
from portal.jobs import Claim, job_claim

from .models import RecomputeRun
from .services import metrics_recompute, pending_take
from .signals import recompute_finished

logger = logging.getLogger(__name__)

#: A full recompute of all of England takes a few minutes on two cores; a period, seconds.
RECOMPUTE_SOFT_TIME_LIMIT = 30 * 60
RECOMPUTE_TIME_LIMIT = RECOMPUTE_SOFT_TIME_LIMIT + 60
MAX_RETRIES = 3
RETRY_BACKOFF_SECONDS = 30
try:
    import psycopg2
except ImportError:  # pragma: no cover - SQLite only
    DRIVER_FAULTS: tuple[type[Exception], ...] = ()
else:
    # The COPY goes to psycopg2's cursor itself, so its faults may arrive unwrapped by Django
    # (a dropped connection, a cancelled statement, the server shutting down).
    DRIVER_FAULTS = (psycopg2.OperationalError, psycopg2.InterfaceError)
RETRIED_FAULTS = (OperationalError, InterfaceError, BrokerError, *DRIVER_FAULTS)


def _run(task, run: RecomputeRun) -> int:
    try:
        written = metrics_recompute(run=run).values_written
    except RETRIED_FAULTS as exc:
        if not connection.in_atomic_block:
            # A connection the fault broke is not used again: the next query opens a new one.
            connection.close_if_unusable_or_obsolete()
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
    # Apps that work from these values (the vulnerable practice register) act on fresh ones.
    recompute_finished.send(sender=RecomputeRun, run=run, written=written)
    return written


def _failed(run: RecomputeRun, exc: Exception) -> None:
    RecomputeRun.objects.filter(pk=run.pk).update(
        status=RecomputeRun.Status.FAILED, finished_at=timezone.now(), error=f"{type(exc).__name__}: {exc}"
    )


@shared_task(bind=True, soft_time_limit=RECOMPUTE_SOFT_TIME_LIMIT, time_limit=RECOMPUTE_TIME_LIMIT)
def recompute_metrics(self, run_id: int) -> int:
    """Run the recompute ``run_id``; return how many values it wrote (0 if it is already finished,
    or another task is running it)."""
    if job_claim(model=RecomputeRun, pk=run_id, task_id=self.request.id) != Claim.CLAIMED:
        return 0
    return _run(self, RecomputeRun.objects.get(pk=run_id))


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
