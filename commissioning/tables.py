"""django-tables2 tables for the plan pages; the shared template gives captions and header scopes."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html

from portal import display
from portal.tables import TABLE_CLASS

from .models import Action


class ActionTable(tables.Table):
    local_code = tables.Column("Code", linkify=True, order_by=("local_code",))
    title = tables.Column("Action", linkify=True)
    chapter = tables.Column("Chapter", accessor="chapter__name", order_by=("chapter__order", "local_code"))
    lead = tables.Column("Lead", default="")
    due_date = tables.Column("Due", default="No date")
    status = tables.Column("Status")
    rag = tables.Column("RAG", default="Not rated")

    class Meta:
        model = Action
        fields = ["local_code", "title", "chapter", "lead", "due_date", "status", "rag"]
        template_name = "portal/_table.html"
        orderable = True
        empty_text = "No actions match these filters."
        attrs = {"class": TABLE_CLASS}

    def __init__(self, *args, caption: str = "Actions", **kwargs):
        super().__init__(*args, **kwargs)
        self.caption = caption

    def render_due_date(self, value, record):
        text = display.uk_date(value)
        if getattr(record, "overdue", False):
            return format_html("{} {}", text, display.tag("Overdue", "red"))
        return text

    def render_status(self, value, record):
        return record.get_status_display()

    def render_rag(self, value, record):
        return display.rag(record.rag, record.get_rag_display())
