"""Model pieces every area shares."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone


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
