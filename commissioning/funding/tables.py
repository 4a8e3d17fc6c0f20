"""django-tables2 tables of funding; the shared template gives captions and header scopes."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html

from portal.money import pounds

from .models import FundingStream, Scheme

STATUS_BADGE = {
    Scheme.Status.DRAFT: "text-bg-light border",
    Scheme.Status.SUBMITTED: "text-bg-info",
    Scheme.Status.APPROVED: "text-bg-success",
    Scheme.Status.APPROVED_WITH_CONDITIONS: "text-bg-success",
    Scheme.Status.REJECTED: "text-bg-danger",
}


def status_badge(scheme: Scheme) -> str:
    return format_html('<span class="badge {}">{}</span>', STATUS_BADGE[scheme.status], scheme.get_status_display())


class CaptionedTable(tables.Table):
    def __init__(self, *args, caption: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.caption = caption


class FundingStreamTable(CaptionedTable):
    name = tables.Column("Stream", linkify=True)
    source = tables.Column("Source")
    basis = tables.Column("Basis")
    period = tables.Column("Years", accessor="first_year", order_by=("first_year", "name"))
    national_total = tables.Column("National total", attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}})
    ccg = tables.Column("Whose", default="National", accessor="ccg__name")

    class Meta:
        model = FundingStream
        fields = ["name", "source", "basis", "period", "national_total", "ccg"]
        template_name = "portal/_table.html"
        orderable = True
        empty_text = "No funding streams."
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_source(self, value, record):
        return record.get_source_display()

    def render_basis(self, value, record):
        rates = ", ".join(rate.describe() for rate in record.rates.all())
        return f"{record.get_basis_display()}: {rates}" if rates else record.get_basis_display()

    def render_period(self, value, record):
        return record.period_label

    def render_national_total(self, value, record):
        note = f" {record.national_total_note}" if record.national_total_note else ""
        return pounds(value, pence=False) + note


class SchemeTable(CaptionedTable):
    title = tables.Column("Scheme", linkify=True)
    ccg = tables.Column("CCG", accessor="ccg__name")
    stream = tables.Column("Stream", accessor="stream__name")
    applicant = tables.Column("Bidder", accessor="cluster__name", default="", order_by=("applicant", "title"))
    requested = tables.Column(
        "Requested", orderable=False, empty_values=(), attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}}
    )
    status = tables.Column("Status")

    class Meta:
        model = Scheme
        fields = ["title", "ccg", "stream", "applicant", "requested", "status"]
        template_name = "portal/_table.html"
        orderable = True
        empty_text = "No schemes match."
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_applicant(self, value, record):
        return value or record.get_applicant_display()

    def render_requested(self, value, record):
        amounts = sorted(record.amounts.all(), key=lambda a: a.financial_year)
        if not amounts:
            return "Not yet given"
        return format_html(
            "{}<span class='d-block small text-body-secondary'>{}</span>",
            pounds(sum(a.amount for a in amounts)),
            ", ".join(f"{a.year_label}: {pounds(a.amount)}" for a in amounts),
        )

    def render_status(self, value, record):
        return status_badge(record)
