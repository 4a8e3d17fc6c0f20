"""Data collections: a commissioner asks the practices of a CCG for one kind of return for
one period, and each practice answers it through drafts and submissions.

Collection -> Return (one per practice) -> Revision (each draft and each submission, kept)
-> the content rows of the return type (keyed by revision). Only an accepted revision
feeds the metrics. Warnings a practice manager confirmed, status changes and reminders
sent are kept beside the return.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Case, Q, Value, When
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from portal.periods import ANNUAL, MONTHLY, QUARTERLY, period_end, period_label
from practices.models import CCG, Practice


class Frequency(models.TextChoices):
    """How often a kind of return is asked for. ``period_end`` and ``period_label`` (from
    ``portal.periods``, importable from here) give each period's last day and its name."""

    MONTHLY = MONTHLY, "Monthly"
    QUARTERLY = QUARTERLY, "Quarterly"
    ANNUAL = ANNUAL, "Annual (financial year)"


class CollectionQuerySet(models.QuerySet):
    def with_return_counts(self, on: dt.date | None = None, *, practices: models.QuerySet | None = None):
        """Annotate each collection's returns as they stood on ``on`` (today if not given), by
        ``return_timeliness_rule``: ``asked``; of those submitted by ``on``, ``accepted``,
        ``submitted`` (awaiting review) and ``returned`` by their status now; ``missing`` and
        ``not_yet_due`` of those not submitted by ``on``. The five add up to ``asked`` but for a
        submission withdrawn to change it (in draft again), which is in none.
        ``practices``: count only these practices' returns (a cluster's)."""
        on = on or timezone.localdate()
        S = Return.Status
        within = Q(returns__practice__in=practices) if practices is not None else Q()

        def count(condition: Q) -> models.Count:
            return models.Count("returns", filter=condition & within)

        submitted = Q(returns__first_submitted_on__lte=on)
        return self.annotate(
            asked=count(Q(returns__isnull=False)),
            accepted=count(submitted & Q(returns__status=S.ACCEPTED)),
            submitted=count(submitted & Q(returns__status=S.SUBMITTED)),
            returned=count(return_timeliness_q(on, Timeliness.RETURNED, ret="returns__", due="due_date")),
            missing=count(return_timeliness_q(on, Timeliness.MISSING, ret="returns__", due="due_date")),
            not_yet_due=count(return_timeliness_q(on, Timeliness.NOT_YET_DUE, ret="returns__", due="due_date")),
        )


class Collection(models.Model):
    """One request by a CCG for one kind of return, for one period, from some or all of its
    practices: for example "Workforce census, 2017/18 Q3", due 15 January 2018.

    ``return_type`` is the key of a registered return type (``returns.registry``).
    """

    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="collections", verbose_name="CCG")
    return_type = models.CharField("kind of return", max_length=40)
    period_start = models.DateField(help_text="The first day of the month, quarter or financial year.")
    due_date = models.DateField()
    reminder_days_before = models.PositiveSmallIntegerField("remind this many days before the due date", default=7)
    overdue_reminder_every_days = models.PositiveSmallIntegerField(
        "remind again every this many days when overdue", default=7
    )
    instructions = models.TextField(blank=True, help_text="Shown to practices above the return.")
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = CollectionQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "return_type", "ccg__name"]
        constraints = [
            models.UniqueConstraint(fields=["ccg", "return_type", "period_start"], name="collection_unique_period"),
            models.CheckConstraint(
                name="collection_due_after_start", condition=Q(due_date__gte=models.F("period_start"))
            ),
            models.CheckConstraint(
                name="collection_overdue_reminder_interval", condition=Q(overdue_reminder_every_days__gte=1)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.ccg.name})"

    def get_absolute_url(self) -> str:
        return reverse("returns:collection_detail", args=[self.pk])

    @cached_property
    def type(self):
        from .registry import return_type

        return return_type(self.return_type)

    @property
    def period_label(self) -> str:
        return period_label(self.type.frequency, self.period_start)

    @property
    def period_end(self) -> dt.date:
        return period_end(self.type.frequency, self.period_start)

    @property
    def title(self) -> str:
        return f"{self.type.name}, {self.period_label}"

    def reminder_date(self) -> dt.date:
        return self.due_date - dt.timedelta(days=self.reminder_days_before)


class Timeliness(models.TextChoices):
    """How a return stands against its due date, for the chasing view."""

    ON_TIME = "on_time", "On time"
    LATE = "late", "Late"
    RETURNED = "returned", "Returned for correction"
    MISSING = "missing", "Missing (overdue)"
    NOT_YET_DUE = "not_yet_due", "Not yet in, not yet due"


def return_timeliness_rule(*, status: str, first_submitted_on: dt.date | None, due_date: dt.date, on: dt.date) -> str:
    """How a return stood on day ``on`` against its due date: the one definition of missing and
    late (``return_timeliness_q`` and ``ReturnQuerySet.with_timeliness`` are the same rule in SQL).

    A return is submitted by ``on`` if its first submission was on or before that day; it was
    then on time (first submitted on or before the due date), late (after it), or returned for
    correction (its status now: returns keep no dated status). A return not submitted by ``on``
    is missing if its due date is before ``on`` (a return due on the day itself, or after it, is
    not yet due, whatever happened later)."""
    if first_submitted_on is not None and first_submitted_on <= on:
        if status == Return.Status.RETURNED:
            return Timeliness.RETURNED
        return Timeliness.ON_TIME if first_submitted_on <= due_date else Timeliness.LATE
    return Timeliness.MISSING if due_date < on else Timeliness.NOT_YET_DUE


def return_timeliness_q(on: dt.date, timeliness: str, *, ret: str = "", due: str = "collection__due_date") -> Q:
    """``return_timeliness_rule`` as a filter: the returns that stood at ``timeliness`` on ``on``.
    ``ret`` prefixes the return's own fields and ``due`` names the due date, so that a collection
    can count its returns (``ret="returns__", due="due_date"``)."""
    first, status = f"{ret}first_submitted_on", f"{ret}status"
    submitted = Q(**{f"{first}__lte": on})
    due_passed = Q(**{f"{due}__lt": on})
    if timeliness == Timeliness.MISSING:
        return ~submitted & due_passed
    if timeliness == Timeliness.NOT_YET_DUE:
        return ~submitted & ~due_passed
    if timeliness == Timeliness.RETURNED:
        return submitted & Q(**{status: Return.Status.RETURNED})
    on_time = Q(**{f"{first}__lte": models.F(due)})
    not_returned = ~Q(**{status: Return.Status.RETURNED})
    if timeliness == Timeliness.ON_TIME:
        return submitted & not_returned & on_time
    if timeliness == Timeliness.LATE:
        return submitted & not_returned & ~on_time
    raise ValueError(f"{timeliness!r} is not a timeliness.")


class ReturnQuerySet(models.QuerySet):
    def outstanding(self) -> ReturnQuerySet:
        """Returns the practice still owes: not started, in draft, or returned for correction."""
        return self.filter(status__in=Return.OUTSTANDING)

    def with_timeliness(self, on: dt.date | None = None) -> ReturnQuerySet:
        """Annotate ``timeliness`` (a ``Timeliness`` value) as on day ``on`` (today if not given),
        by ``return_timeliness_rule``, so the chasing view and the counts need no per-row work."""
        on = on or timezone.localdate()
        return self.annotate(
            timeliness=Case(
                *[When(return_timeliness_q(on, value), then=Value(value)) for value in Timeliness.values],
                default=Value(Timeliness.NOT_YET_DUE),
                output_field=models.CharField(),
            )
        )

    def standing(self, timeliness: str, on: dt.date | None = None) -> ReturnQuerySet:
        """Returns that stood at ``timeliness`` (a ``Timeliness`` value) on ``on`` (today if not given)."""
        return self.filter(return_timeliness_q(on or timezone.localdate(), Timeliness(timeliness)))

    def missing(self, on: dt.date | None = None) -> ReturnQuerySet:
        """Returns missing on ``on`` (today if not given): due before it and not submitted by it."""
        return self.filter(return_timeliness_q(on or timezone.localdate(), Timeliness.MISSING))

    def late(self, on: dt.date | None = None) -> ReturnQuerySet:
        """Returns first submitted after their due date, by ``on`` (today if not given)."""
        return self.filter(return_timeliness_q(on or timezone.localdate(), Timeliness.LATE))


class Return(models.Model):
    """One practice's return for one collection, and where it stands.

    The status moves not started -> draft -> submitted -> accepted; a commissioner may
    return a submission for correction, after which the practice submits again. Only
    ``returns.services`` changes it, and each change is a ``StatusChange`` row.
    """

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned for correction"
        ACCEPTED = "accepted", "Accepted"

    OUTSTANDING = (Status.NOT_STARTED, Status.DRAFT, Status.RETURNED)

    collection = models.ForeignKey(Collection, on_delete=models.PROTECT, related_name="returns")
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="returns")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    first_submitted_on = models.DateField(
        null=True, blank=True, help_text="The day of the first submission: it decides whether the return was on time."
    )
    accepted_revision = models.OneToOneField(
        "Revision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = ReturnQuerySet.as_manager()

    class Meta:
        ordering = ["collection", "practice__name"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "practice"], name="return_one_per_practice"),
            models.CheckConstraint(
                name="return_accepted_has_revision",
                condition=~Q(status="accepted") | Q(accepted_revision__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.collection.title}: {self.practice}"

    def get_absolute_url(self) -> str:
        return reverse("returns:return_detail", args=[self.pk])

    @property
    def is_frozen(self) -> bool:
        return self.status == self.Status.ACCEPTED

    @property
    def is_outstanding(self) -> bool:
        return self.status in self.OUTSTANDING

    @property
    def type(self):
        return self.collection.type

    def latest_revision(self) -> Revision | None:
        return self.revisions.order_by("-number").first()

    def draft_revision(self) -> Revision | None:
        return self.revisions.filter(status=Revision.Status.DRAFT).first()

    def timeliness_on(self, on: dt.date | None = None) -> str:
        """``return_timeliness_rule`` for one return already in hand, on ``on`` (today if not given)."""
        return return_timeliness_rule(
            status=self.status,
            first_submitted_on=self.first_submitted_on,
            due_date=self.collection.due_date,
            on=on or timezone.localdate(),
        )


class RevisionQuerySet(models.QuerySet):
    def accepted(self) -> RevisionQuerySet:
        """The revisions that feed metrics: one per accepted return."""
        return self.filter(status=Revision.Status.ACCEPTED)

    def of_type(self, return_type: str) -> RevisionQuerySet:
        return self.filter(ret__collection__return_type=return_type)


class RevisionHistory(models.Model):
    """What each historical record of a revision keeps beyond its own columns: the figures as
    they stood after that save (the figures live in the return type's content rows, which have
    no history of their own). With it a draft's every save is kept: who, when, and what."""

    figures = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        abstract = True


class Revision(models.Model):
    """One version of a practice's return: the draft being written, or a submission as it
    was sent. A submitted revision is never changed again; a correction is a new revision.

    The list size is kept twice: the published figure for the period, as the imported
    registrations gave it when the revision was made, and the practice's own correction with
    its reason. The correction sits beside the published figure and never replaces it.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted, awaiting review"
        WITHDRAWN = "withdrawn", "Withdrawn by the practice to change it"
        RETURNED = "returned", "Returned for correction"
        ACCEPTED = "accepted", "Accepted"

    class Source(models.TextChoices):
        FORM = "form", "Form"
        UPLOAD = "upload", "Uploaded file"
        COPY = "copy", "Copy of the previous revision"
        NEW = "new", "Empty"

    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="revisions", verbose_name="return")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(max_length=6, choices=Source.choices, default=Source.NEW)
    upload_name = models.CharField("uploaded file", max_length=200, blank=True)
    published_list_size = models.PositiveIntegerField(null=True, blank=True)
    published_list_size_date = models.DateField("extract date of the published list size", null=True, blank=True)
    list_size_correction = models.PositiveIntegerField(
        "the practice's own list size", null=True, blank=True,
        help_text="A newer or corrected figure from the practice; kept beside the published one.",
    )  # fmt: skip
    list_size_correction_reason = models.TextField("reason for the practice's list size", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True, help_text="When it was accepted or returned.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_comment = models.TextField(blank=True, help_text="The commissioner's comment on accepting or returning.")
    #: Every save of every revision, with who and when: the version a draft's editors start
    #: from (``returns.services.return_version``) and the return page's list of saves.
    history = HistoricalRecords(bases=[RevisionHistory])

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["ret", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["ret", "number"], name="revision_unique_number"),
            models.UniqueConstraint(fields=["ret"], condition=Q(status="draft"), name="revision_one_draft"),
            models.UniqueConstraint(fields=["ret"], condition=Q(status="submitted"), name="revision_one_submitted"),
            models.UniqueConstraint(fields=["ret"], condition=Q(status="accepted"), name="revision_one_accepted"),
            models.CheckConstraint(
                name="revision_list_size_correction_has_reason",
                condition=Q(list_size_correction__isnull=True) | ~Q(list_size_correction_reason=""),
            ),
            models.CheckConstraint(
                name="revision_returned_has_comment",
                condition=~Q(status="returned") | ~Q(decision_comment=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ret}: revision {self.number} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("returns:revision_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def list_size(self) -> int | None:
        """The list size the per-1,000-patient checks use: the practice's own figure if it gave one."""
        return self.list_size_correction if self.list_size_correction is not None else self.published_list_size


class WarningConfirmation(models.Model):
    """A practice manager's comment on one warning of one revision: the figure is right, and why.

    ``code`` identifies the warning (for example ``fte-change:gp``); ``message`` keeps the
    warning as it was shown.
    """

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="confirmations")
    code = models.CharField(max_length=100)
    message = models.TextField()
    comment = models.TextField()
    confirmed_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["revision", "code"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "code"], name="warning_confirmation_once"),
            models.CheckConstraint(name="warning_confirmation_has_comment", condition=~Q(comment="")),
        ]

    def __str__(self) -> str:
        return f"{self.code} confirmed on {self.revision}"


class StatusChange(models.Model):
    """One change of a return's status: from what, to what, by whom, when, and the comment given."""

    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="status_changes", verbose_name="return")
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    from_status = models.CharField(max_length=12, choices=Return.Status.choices)
    to_status = models.CharField(max_length=12, choices=Return.Status.choices)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["ret", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.ret}: {self.get_from_status_display()} -> {self.get_to_status_display()}"


class Reminder(models.Model):
    """One email sent to a practice's managers about one return.

    ``scheduled_for`` is the day the reminder belonged to (the reminder day before the due
    date, or an overdue day; for a chase, the day it was sent). The unique key means that a
    job run twice, or a chase button pressed twice, sends nothing twice.
    """

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Due soon"
        OVERDUE = "overdue", "Overdue"
        CHASE = "chase", "Chased by the commissioner"

    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="reminders", verbose_name="return")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    scheduled_for = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The commissioner who chased; empty for a scheduled reminder.",
    )  # fmt: skip
    recipients = models.TextField(help_text="The email addresses it went to, one a line.")

    class Meta:
        ordering = ["ret", "-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["ret", "kind", "scheduled_for"], name="reminder_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder for {self.ret} on {self.scheduled_for:%d %b %Y}"

    @property
    def recipient_count(self) -> int:
        return len([line for line in self.recipients.splitlines() if line.strip()])


@receiver(pre_create_historical_record, sender=Revision.history.model)
def keep_figures_in_history(sender, instance: Revision, history_instance, **kwargs) -> None:
    """Each saved version of a revision keeps its figures, read back as they were stored."""
    if history_instance.history_type == "-":
        return
    kind = instance.ret.type
    history_instance.figures = kind.snapshot(kind.load(instance))
