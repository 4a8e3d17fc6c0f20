"""Model pieces every area shares."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connections, models, transaction
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)


class Milestone(models.Model):
    """A dated step towards something (a plan action, a funding scheme, a premises scheme).

    Concrete milestones add the foreign key to what they belong to and their own
    ``history = HistoricalRecords()``.
    """

    title = models.CharField(max_length=300)
    due_date = models.DateField()
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["due_date", "title"]

    def __str__(self) -> str:
        return f"{self.title} by {self.due_date:%d %b %Y}"

    def is_overdue_on(self, on: dt.date) -> bool:
        """Not completed, and its due date has passed."""
        return self.completed_on is None and self.due_date < on


class WorkerJob(models.Model):
    """The fields a job row needs to be claimed and swept (``portal.jobs``), besides its
    ``status`` and ``error``."""

    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="The last sign of life of the worker running it."
    )
    task_id = models.CharField("Celery task id", max_length=255, blank=True)
    worker_stops = models.PositiveSmallIntegerField(
        default=0, help_text="How many times the worker stopped while this ran."
    )
    retried_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was tried again after the worker stopped."
    )

    class Meta:
        abstract = True

    @property
    def worker_stopped_note(self) -> str:
        """What to show on the job's page when the worker stopped under it; empty otherwise."""
        if self.retried_at is None:
            return ""
        when = timezone.localtime(self.retried_at)
        return f"The worker stopped while this ran; it was retried at {when:%H:%M} on {when:%d %b %Y}."


class BackgroundJob(WorkerJob):
    """One run of a job the worker does for a person (a metrics recompute, an import): queued,
    then claimed and run once, with how far it has got and what went wrong.

    A page shows a run with ``templates/portal/_job_progress.html``. The worker claims a run
    with ``claim`` (a finished or already running run is not run again), reports progress with
    ``report_progress`` and ends it with ``finish``.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=7, choices=Status.choices, default=Status.QUEUED)
    steps_total = models.PositiveIntegerField(default=1)
    steps_done = models.PositiveIntegerField(default=0)
    step = models.CharField("current step", max_length=200, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-queued_at"]

    @classmethod
    def reported_problems(cls) -> Q:
        """Runs that reported a problem: here, those that failed; a job whose run can finish
        with problems in its file (rejected rows, errors) adds them."""
        return Q(status=cls.Status.FAILED)

    @property
    def percent_done(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(100, round(100 * self.steps_done / self.steps_total)) if self.steps_total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def seconds_taken(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()

    @classmethod
    def claim(cls, pk: int, *, step: str = "Starting"):
        """The run, marked running, if it is still queued; else ``None`` (it has run or is running)."""
        with transaction.atomic():
            run = cls.objects.select_for_update().filter(pk=pk).first()
            if run is None or run.status != cls.Status.QUEUED:
                return None
            now = timezone.now()
            run.status, run.step, run.steps_done = cls.Status.RUNNING, step, 0
            run.started_at = run.heartbeat_at = now
            run.save(update_fields=["status", "started_at", "heartbeat_at", "step", "steps_done"])
        return run

    def report_progress(self, *, done: int, total: int | None = None, step: str | None = None) -> None:
        """Record how far the run has got, so that its page can show it while the run goes on.

        Inside a transaction (an all-or-nothing import) the page would not see an update made
        on the job's own connection until the end, so on PostgreSQL it is written on a
        connection of its own; SQLite allows one writer, so there it waits for the transaction.
        """
        self.steps_done = done
        if total is not None:
            self.steps_total = total
        if step is not None:
            self.step = step
        self.heartbeat_at = timezone.now()
        values = {"steps_done": self.steps_done, "steps_total": self.steps_total, "step": self.step,
                  "heartbeat_at": self.heartbeat_at}  # fmt: skip
        conn = connections[self._state.db or "default"]
        if not conn.in_atomic_block:
            type(self).objects.filter(pk=self.pk).update(**values)
        elif conn.vendor == "postgresql":
            _update_on_own_connection(type(self), self.pk, values, alias=conn.alias)

    def finish(self, *, error: str = "", step: str = "", **fields) -> None:
        """End the run: done, or failed with ``error`` (a reason a person can read)."""
        self.status = self.Status.FAILED if error else self.Status.DONE
        self.error = error
        self.finished_at = timezone.now()
        self.step = step or ("Failed" if error else "Finished")
        if not error:
            self.steps_done = self.steps_total
        for name, value in fields.items():
            setattr(self, name, value)
        self.save()


def _update_on_own_connection(model, pk: int, values: dict, *, alias: str) -> None:
    """``UPDATE`` one row on a fresh connection, outside the caller's transaction. Progress is
    a nicety: a failure to write it is logged and the job goes on."""
    conn = connections.create_connection(alias)
    try:
        connection_quote = conn.ops.quote_name
        columns = ", ".join(f"{connection_quote(model._meta.get_field(name).column)} = %s" for name in values)
        table = connection_quote(model._meta.db_table)
        with conn.cursor() as cursor:
            pk_column = connection_quote(model._meta.pk.column)
            # Names from the model, quoted; the values are parameters.
            sql = f"UPDATE {table} SET {columns} WHERE {pk_column} = %s"  # noqa: S608
            cursor.execute(sql, [*values.values(), pk])
    except DatabaseError:
        logger.warning("Could not record the progress of %s %s.", model.__name__, pk, exc_info=True)
    finally:
        conn.close()


class OutboxMessage(models.Model):
    """A job waiting to be handed to the broker (Redis).

    Written by ``portal.outbox.enqueue`` in the same transaction as the data the job is about,
    so a job exists exactly when its data was saved; deleted once the broker has taken it. A row
    that is still here is a job the broker has not taken yet (it was down): the beat job
    ``portal.tasks.republish_outbox`` tries again, oldest first.
    """

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    #: Seconds the job waits in the broker before it runs, counted from when it is published.
    countdown = models.PositiveIntegerField(null=True, blank=True)
    #: "app_label.model:pk" of the row the job is for, so its page can say it is waiting.
    subject = models.CharField(max_length=120, blank=True, db_index=True)
    #: A cache key: while one message with this key waits in the broker, others are dropped.
    debounce_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    #: Set while one process publishes the row, so that two never publish it at once.
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["created_at"], name="portal_outbox_created_idx")]

    def __str__(self) -> str:
        return f"{self.task} queued {self.created_at:%d %b %Y %H:%M:%S} ({self.attempts} attempts)"


class StatusMove(models.Model):
    """One move of a record through its status machine (``portal.workflow``): from what, to
    what, by whom, when and why. Used by the machines whose records have no audit model of
    their own (plan versions, funding schemes)."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    from_status = models.CharField(max_length=40)
    to_status = models.CharField(max_length=40)
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["content_type", "object_id", "at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="status_move_record")]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id}: {self.from_status} -> {self.to_status}"

    @classmethod
    def write(cls, record: models.Model, from_status: str, to_status: str, *, by, note: str = "") -> StatusMove:
        return cls.objects.create(
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            from_status=from_status,
            to_status=to_status,
            by=by,
            note=note,
        )

    @classmethod
    def of(cls, record: models.Model):
        """The record's moves, oldest first."""
        return cls.objects.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        ).select_related("by")
