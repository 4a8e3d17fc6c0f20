"""Jobs that keep a row of their own (a metrics run, a board report, a reference import): the
row is claimed before the work, carries a heartbeat while the work goes on, and is swept up
when the worker that ran it died.

A worker can die in two ways. When only its pool process dies (killed, out of memory), Celery
puts the message back (``task_reject_on_worker_lost`` with ``acks_late``) and the same task id
arrives again while the row still says "running": ``job_claim`` takes it over. When the whole
worker dies, the filesystem broker has lost the message and Redis hides it for the visibility
timeout: ``jobs_sweep`` (a beat job) finds rows whose heartbeat is older than their job's time
limit, so no live worker can still hold them, and queues them once more. A job the worker
stopped on twice is failed with the reason, so a job that kills its worker is not tried for ever.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.module_loading import import_string

from . import outbox

logger = logging.getLogger(__name__)

#: A run's page (``templates/portal/_job_progress.html``) asks for itself again this often while
#: the run goes on (htmx); without JavaScript it refreshes itself and has a refresh link.
JOB_POLL_SECONDS = 2

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
#: The worker may stop under a job once; the second time the job is failed, not tried again.
MAX_WORKER_STOPS = 1
#: Added to a job's hard time limit before its row counts as stale: the limit itself would
#: have ended the job by then, and the margin covers a worker that is slow to start it.
STALE_MARGIN = dt.timedelta(minutes=2)

WORKER_STOPPED_FAILED = (
    "the worker stopped while this ran, and again when it was retried, so it was not tried a third time"
)


class Claim:
    CLAIMED = "claimed"  # this task runs the job now
    BUSY = "busy"  # another live task is running it
    FINISHED = "finished"  # done or failed already
    MISSING = "missing"
    GAVE_UP = "gave up"  # the worker stopped under it too often: now failed


@dataclasses.dataclass(frozen=True)
class JobKind:
    """A model of job rows and the task that runs one (it takes the row's id)."""

    model_label: str
    task_name: str
    queued_field: str

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    @property
    def task(self):
        # By its module, not the app's registry: outside a worker the app may not have loaded it.
        return import_string(self.task_name)

    @property
    def stale_after(self) -> dt.timedelta:
        limit = self.task.time_limit or settings.CELERY_TASK_TIME_LIMIT
        return dt.timedelta(seconds=limit) + STALE_MARGIN


KINDS = (
    JobKind("metrics.RecomputeRun", "metrics.tasks.recompute_metrics", "queued_at"),
    JobKind("dashboards.BoardReport", "dashboards.tasks.generate_board_report", "requested_at"),
    JobKind("practices.ReferenceImport", "practices.tasks.import_reference_file", "queued_at"),
    JobKind("commissioning.TrackerImportRun", "commissioning.tasks.import_tracker", "queued_at"),
    JobKind("quality.CQCImportRun", "quality.tasks.import_cqc_ratings", "queued_at"),
)


def kind_of(model: type[models.Model]) -> JobKind:
    return next(kind for kind in KINDS if kind.model_label == model._meta.label)


def _fail(row, reason: str) -> None:
    row.status, row.error = FAILED, reason
    fields = ["status", "error"]
    if hasattr(row, "finished_at"):
        row.finished_at = timezone.now()
        fields.append("finished_at")
    row.save(update_fields=fields)


def job_claim(*, model: type[models.Model], pk: int, task_id: str | None) -> str:
    """Mark the job ``pk`` as run by the task ``task_id`` now, if nobody else is running it.

    A row already "running" is taken over when it is this very task's message come back (its
    pool process died: only then is a message redelivered, as the visibility timeout is longer
    than any job) or when its heartbeat is stale; else another task is on it and this one must
    not run it a second time at once.
    """
    now = timezone.now()
    with transaction.atomic():
        row = model.objects.select_for_update().filter(pk=pk).first()
        if row is None:
            return Claim.MISSING
        if row.status in (DONE, FAILED):
            return Claim.FINISHED
        if row.status == RUNNING:
            redelivered = bool(task_id) and row.task_id == task_id
            stale = row.heartbeat_at is None or row.heartbeat_at < now - kind_of(model).stale_after
            if not (redelivered or stale):
                return Claim.BUSY
            if row.worker_stops >= MAX_WORKER_STOPS:
                logger.error("%s: the worker stopped under it again; failed.", row)
                _fail(row, WORKER_STOPPED_FAILED)
                return Claim.GAVE_UP
            logger.warning("%s: the worker stopped while it ran; running it again.", row)
            row.worker_stops += 1
            row.retried_at = now
        row.status, row.heartbeat_at, row.task_id = RUNNING, now, task_id or ""
        row.save(update_fields=["status", "heartbeat_at", "task_id", "worker_stops", "retried_at"])
    return Claim.CLAIMED


def job_heartbeat(*, model: type[models.Model], pk: int) -> None:
    model.objects.filter(pk=pk).update(heartbeat_at=timezone.now())


def jobs_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Queue again, or fail, every running job whose worker has not been heard from for longer
    than its job's time limit; return how many of each kind were swept."""
    now = now or timezone.now()
    swept = {}
    for kind in KINDS:
        model = kind.model
        stale = Q(status=RUNNING) & Q(last_seen__lt=now - kind.stale_after)
        with transaction.atomic():
            rows = (
                model.objects.select_for_update(skip_locked=True)
                .annotate(last_seen=Coalesce("heartbeat_at", kind.queued_field))
                .filter(stale)
            )
            for row in rows:
                if row.worker_stops >= MAX_WORKER_STOPS:
                    logger.error("%s: the worker stopped under it again; failed.", row)
                    _fail(row, WORKER_STOPPED_FAILED)
                    continue
                logger.warning("%s: nothing heard from its worker since %s; queued again.", row, row.last_seen)
                row.status, row.worker_stops, row.retried_at, row.task_id = QUEUED, row.worker_stops + 1, now, ""
                row.save(update_fields=["status", "worker_stops", "retried_at", "task_id"])
                # With the row's change: a broker that is away gets it from the outbox later.
                outbox.enqueue(kind.task, args=(row.pk,), about=row)
        swept[kind.model_label] = len(rows)
    return swept
