"""django-tables2 tables. Each sets a caption; the shared template renders it and header scopes."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from portal import display
from portal.tables import NUMERIC_NOWRAP, TABLE_CLASS

from .models import Practice
from .visibility import roles_of


class PracticeTable(tables.Table):
    ods_code = tables.Column("ODS code")
    name = tables.Column("Practice", linkify=True)
    cluster_name = tables.Column("Cluster", order_by=("cluster_name", "name"), default="Not in a cluster")
    contract_type = tables.Column("Contract")
    status = tables.Column("Status")
    list_size = tables.Column("List size", default="Not known", attrs=NUMERIC_NOWRAP)

    class Meta:
        model = Practice
        fields = ["ods_code", "name", "cluster_name", "contract_type", "status", "list_size"]
        template_name = "portal/_table.html"
        orderable = True
        empty_text = "No practices match these filters."
        attrs = {"class": TABLE_CLASS}
        row_attrs = {"class": lambda record: "practice-closed" if record.is_closed else ""}

    def __init__(self, *args, caption: str = "Practices", **kwargs):
        super().__init__(*args, **kwargs)
        self.caption = caption

    def render_cluster_name(self, value, record):
        roles = roles_of(self.request.user) if getattr(self, "request", None) else None
        if roles and (roles.is_admin or record.ccg_id in roles.ccg_ids):
            url = reverse("practices:cluster_detail", args=[record.cluster_id])
            return format_html('<a href="{}">{}</a>', url, value)
        return value

    def render_status(self, record):
        if record.is_closed:
            closed = f" {display.uk_date(record.close_date)}" if record.close_date else ""
            return format_html("{}{}", display.tag("Closed", "grey"), closed)
        return record.get_status_display()

    def render_list_size(self, value, record):
        return format_html(
            '{}<br><span class="nhsuk-u-font-size-16 nhsuk-u-secondary-text-colour">{}</span>',
            display.patients(value),
            display.as_at(record.list_size_date),
        )
