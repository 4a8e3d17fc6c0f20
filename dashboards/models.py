"""Board reports kept for each meeting, and the monthly digests sent to commissioners."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from portal.models import WorkerJob
from portal.periods import month_label, quarter_end, quarter_label
from practices.models import CCG


class BoardReport(WorkerJob):
    """One board report of a CCG for one quarter, made for one meeting and kept as it was made.

    The Celery job (``dashboards.tasks.generate_board_report``) writes ``html`` once: the
    plan summary, the exceptions and the key charts as they stood at ``generated_at``. The
    figures are never recomputed, so the papers of a past meeting read as they did then;
    a new report for the same quarter is a new row. The same job prints that HTML to an A4
    ``pdf`` in headless Chromium; when it cannot, ``pdf_error`` says why and the report is
    kept as HTML only.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Being made"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="board_reports", verbose_name="CCG")
    period = models.DateField(help_text="The first day of the quarter reported on.")
    meeting = models.CharField(
        "committee",
        max_length=200,
        help_text="The committee whose meeting the report is for, e.g. 'Primary Care Commissioning Committee'.",
    )
    meeting_date = models.DateField(
        "date of the meeting",
        help_text="Statuses, overdue actions and missing returns are counted as at this day.",
    )
    status = models.CharField(max_length=7, choices=Status.choices, default=Status.QUEUED)
    html = models.TextField(blank=True, help_text="The report as made, ready to print.")
    summary = models.JSONField(default=dict, blank=True, help_text="Counts of the exceptions, for the list of reports.")
    error = models.TextField(blank=True)
    pdf = models.BinaryField("PDF", null=True, blank=True, help_text="The report printed to A4 when it was made.")
    pdf_size = models.PositiveIntegerField("PDF size in bytes", null=True, blank=True)
    pdf_error = models.CharField(
        "why there is no PDF", max_length=300, blank=True, help_text="Shown on the report's page when no PDF was made."
    )
    requested_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    generated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                name="board_report_done_has_html",
                condition=~Q(status="done") | (~Q(html="") & Q(generated_at__isnull=False)),
            ),
            models.CheckConstraint(
                name="board_report_pdf_has_size",
                condition=Q(pdf__isnull=True, pdf_size__isnull=True) | Q(pdf__isnull=False, pdf_size__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["ccg", "-requested_at"], name="board_report_ccg_recent")]

    def __str__(self) -> str:
        return f"{self.ccg.name} board report, {self.period_label}, for {self.meeting}"

    def get_absolute_url(self) -> str:
        return reverse("dashboards:report_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        if self.meeting_date is None:  # a report asked for without its meeting is for the quarter's end
            self.meeting_date = quarter_end(self.period)
        super().save(*args, **kwargs)

    @property
    def period_label(self) -> str:
        return quarter_label(self.period)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def pdf_kilobytes(self) -> int:
        return max(1, round((self.pdf_size or 0) / 1024))

    @property
    def pdf_filename(self) -> str:
        """``board-report-06P-2018-19-Q3-2019-01-24.pdf``: the CCG's ODS code, the quarter and the
        meeting's date (when it has one), so the papers of two meetings on one quarter differ."""
        quarter = self.period_label.replace("/", "-").replace(" ", "-")
        meeting = f"-{self.meeting_date:%Y-%m-%d}" if self.meeting_date else ""
        return f"board-report-{self.ccg.ods_code}-{quarter}{meeting}.pdf"

    def previous(self) -> BoardReport | None:
        """The CCG's report for the meeting before this one (the latest made for it, if several)."""
        return (
            BoardReport.objects.filter(ccg_id=self.ccg_id, meeting_date__lt=self.meeting_date)
            .exclude(pk=self.pk)
            .defer("html", "pdf")
            .order_by("-meeting_date", "-requested_at")
            .first()
        )


class DigestRun(models.Model):
    """The monthly digest of one commissioner for one month: what it said, and when it went.

    One row per person per month (the constraint): the job writes the row and sends the
    email in one transaction, so a second run in the same month finds the row and sends
    nothing, and a failed send leaves no row to stop the next attempt.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests")
    month = models.DateField(help_text="The first day of the month the digest was sent for.")
    since = models.DateField(help_text="Changes from this day on are in the digest.")
    recipient = models.EmailField()
    items = models.JSONField(default=list, help_text="What the digest listed, by CCG and kind, with links.")
    item_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month", "user__username"]
        constraints = [models.UniqueConstraint(fields=["user", "month"], name="digest_one_per_person_per_month")]

    def __str__(self) -> str:
        return f"Digest for {self.user}, {month_label(self.month)}"
