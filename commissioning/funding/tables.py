"""django-tables2 tables of funding; the shared template gives captions and header scopes."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html

from portal import display
from portal.money import pounds
from portal.tables import NUMERIC, TABLE_CLASS

from .models import FundingStream, Scheme

STATUS_BADGE = {
    Scheme.Status.DRAFT: "white",
    Scheme.Status.SUBMITTED: "blue",
    Scheme.Status.APPROVED: "green",
    Scheme.Status.APPROVED_WITH_CONDITIONS: "green",
    Scheme.Status.REJECTED: "red",
}


def status_badge(scheme: Scheme) -> str:
    return display.tag(scheme.get_status_display(), STATUS_BADGE[scheme.status])


class CaptionedTable(tables.Table):
    def __init__(self, *args, caption: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.caption = caption


class FundingStreamTable(CaptionedTable):
    name = tables.Column("Stream", linkify=True)
    source = tables.Column("Source")
    basis = tables.Column("Basis")
    period = tables.Column("Years", accessor="first_year", order_by=("first_year", "name"))
    national_total = tables.Column("National total", attrs=NUMERIC)
    ccg = tables.Column("Whose", default="National", accessor="ccg__name")

    class Meta:
        model = FundingStream
        fields = ["name", "source", "basis", "period", "national_total", "ccg"]
        template_name = "portal/_table.html"
        orderable = True
        empty_text = "No funding streams."
        attrs = {"class": TABLE_CLASS}

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
    requested = tables.Column("Requested", orderable=False, empty_values=(), attrs=NUMERIC)
    status = tables.Column("Status")

    class Meta:
        model = Scheme
        fields = ["title", "ccg", "stream", "applicant", "requested", "status"]
        template_name = "portal/_table.html"
        orderable = True
        empty_text = "No schemes match."
        attrs = {"class": TABLE_CLASS}

    def render_applicant(self, value, record):
        return value or record.get_applicant_display()

    def render_requested(self, value, record):
        amounts = sorted(record.amounts.all(), key=lambda a: a.financial_year)
        if not amounts:
            return "Not yet given"
        return format_html(
            "{}<span class='nhsuk-u-display-block nhsuk-u-font-size-16 nhsuk-u-secondary-text-colour'>{}</span>",
            pounds(sum(a.amount for a in amounts)),
            ", ".join(f"{a.year_label}: {pounds(a.amount)}" for a in amounts),
        )

    def render_status(self, value, record):
        return status_badge(record)
