"""django-tables2 tables of the estates pages; the shared template gives captions and header
scopes. ``value_*`` methods give the plain figures the CSV and XLSX exports carry."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html, format_html_join

from portal import display as portal_display
from portal import exports
from portal.tables import NUMERIC, TABLE_CLASS

from . import display
from .models import PracticeIT, Scheme

RIGHT = NUMERIC


class CaptionedTable(tables.Table):
    #: The export's column for a page heading whose unit the page shows in its cells ('£12,000.00'):
    #: its heading with the unit, and what it holds (see ``estates.views.common.export_table``).
    export_columns: dict[str, exports.Column] = {}

    def __init__(self, *args, caption: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.caption = caption


class PremisesTable(CaptionedTable):
    """One row per site (a ``Site`` with ``premises`` selected); sites without details say so."""

    export_columns = {
        "Rent reimbursed a year": exports.money("Rent reimbursed a year (£)"),
        "Void cost a year": exports.money("Void cost a year (£)"),
        "Area (m²)": exports.number("Area (m²)"),
        "Void (m²)": exports.number("Void (m²)"),
        "Clinical rooms": exports.integer("Clinical rooms"),
    }

    practice = tables.Column("Practice", accessor="practice__name", order_by=("practice__name", "kind", "name"))
    ods_code = tables.Column("ODS code", accessor="practice__ods_code")
    name = tables.Column("Site", linkify=("estates:premises_detail", [tables.A("pk")]))
    kind = tables.Column("Main or branch")
    postcode = tables.Column("Postcode")
    ownership = tables.Column("Ownership", accessor="premises__ownership", default="Not recorded")
    tenure = tables.Column("Tenure", accessor="premises__tenure", default="")
    lease_end_date = tables.Column("Lease ends", accessor="premises__lease_end_date", default="")
    area = tables.Column("Area (m²)", accessor="premises__gross_internal_area_m2", attrs=RIGHT, default="")
    rooms = tables.Column("Clinical rooms", accessor="premises__clinical_rooms", attrs=RIGHT, default="")
    condition = tables.Column("Condition", accessor="premises__condition", default="")
    accessibility = tables.Column("Accessibility", accessor="premises__accessibility", default="")
    rent = tables.Column("Rent reimbursed a year", accessor="premises__rent_reimbursed_per_year", attrs=RIGHT,
                         default="")  # fmt: skip
    void_area = tables.Column("Void (m²)", accessor="premises__void_area_m2", attrs=RIGHT, default="")
    void_cost = tables.Column("Void cost a year", accessor="premises__void_cost_per_year", attrs=RIGHT, default="")
    shared = tables.Column("Shared with", accessor="pk", orderable=False)
    confirmed_on = tables.Column("Confirmed", accessor="premises__confirmed_on", default="")

    class Meta:
        template_name = "portal/_table.html"
        order_by = ("practice",)
        empty_text = "No sites match these filters."
        attrs = {"class": f"{TABLE_CLASS} premises-table"}

    def render_kind(self, record):
        return record.get_kind_display()

    def render_ownership(self, record):
        return record.premises.get_ownership_display()

    def render_tenure(self, record):
        return record.premises.get_tenure_display()

    def render_lease_end_date(self, value):
        return portal_display.uk_date(value)

    def render_area(self, value):
        return display.number(value)

    def render_rent(self, value):
        return display.pounds(value)

    def render_void_area(self, value):
        return display.number(value)

    def render_void_cost(self, value):
        return display.pounds(value)

    def render_condition(self, value):
        return format_html('<span class="condition condition-{}">{}</span>', value.lower(), value)

    def render_accessibility(self, record):
        return record.premises.get_accessibility_display()

    def render_confirmed_on(self, value):
        return portal_display.uk_date(value)

    # The export's figures and dates as themselves, not as the page words them.
    def value_lease_end_date(self, value):
        return value

    def value_area(self, value):
        return value

    def value_rent(self, value):
        return value

    def value_void_area(self, value):
        return value

    def value_void_cost(self, value):
        return value

    def value_confirmed_on(self, value):
        return value

    def _sharers(self, record) -> list[str]:
        names = [f"{o.practice.name} ({display.percent(o.share_percent)})" for o in record.current_occupancies]
        premises = getattr(record, "premises", None)
        if premises is not None and premises.other_providers:
            names.append(premises.other_providers)
        return names

    def render_shared(self, record):
        names = self._sharers(record)
        if not names:
            return "No one"
        return format_html_join("; ", "{}", ((n,) for n in names))

    def value_shared(self, record):
        return "; ".join(self._sharers(record))

    def value_ownership(self, record):
        premises = getattr(record, "premises", None)
        return premises.get_ownership_display() if premises else "Not recorded"

    def value_tenure(self, record):
        premises = getattr(record, "premises", None)
        return premises.get_tenure_display() if premises else ""

    def value_accessibility(self, record):
        premises = getattr(record, "premises", None)
        return premises.get_accessibility_display() if premises else ""

    def value_kind(self, record):
        return record.get_kind_display()

    def value_condition(self, value):
        return value


class SchemeTable(CaptionedTable):
    export_columns = {
        "Capital cost": exports.money("Capital cost (£)"),
        "Share funded": exports.number("Share funded (%)"),
        "Reimbursable rent a year": exports.money("Reimbursable rent a year (£)"),
        "Adds (m²)": exports.number("Adds (m²)"),
        "Adds rooms": exports.integer("Adds rooms"),
    }

    name = tables.Column("Scheme", linkify=True)
    ccg = tables.Column("CCG", accessor="ccg__name")
    kind = tables.Column("Kind")
    status = tables.Column("Status")
    status_changed_on = tables.Column("Since")
    practices = tables.Column("Practices", accessor="pk", orderable=False)
    funding_stream = tables.Column("Funding stream", accessor="funding_stream__name", default="Not set")
    capital_cost = tables.Column("Capital cost", attrs=RIGHT)
    share_funded_percent = tables.Column("Share funded", attrs=RIGHT)
    expected_rent_per_year = tables.Column("Reimbursable rent a year", attrs=RIGHT)
    area_added_m2 = tables.Column("Adds (m²)", attrs=RIGHT)
    clinical_rooms_added = tables.Column("Adds rooms", attrs=RIGHT)
    expected_open_date = tables.Column("Expected to open")
    # Export only: the page says it beside the cost ('+ VAT').
    capital_cost_includes_vat = tables.Column("Capital cost includes VAT", visible=False)

    class Meta:
        model = Scheme
        fields = [
            "name", "ccg", "kind", "status", "status_changed_on", "practices", "funding_stream",
            "capital_cost", "share_funded_percent", "expected_rent_per_year", "area_added_m2",
            "clinical_rooms_added", "expected_open_date",
        ]  # fmt: skip
        template_name = "portal/_table.html"
        order_by = ("ccg", "name")
        empty_text = "No schemes match these filters."
        attrs = {"class": f"{TABLE_CLASS} scheme-table"}

    def render_kind(self, record):
        kind = record.get_kind_display()
        return format_html("{} {}", kind, portal_display.tag("ETTF", "blue")) if record.is_ettf else kind

    def value_kind(self, record):
        return record.get_kind_display() + (" (ETTF)" if record.is_ettf else "")

    def render_status(self, record):
        return format_html('<span class="scheme-status scheme-status-{}">{}</span>', record.status,
                           record.get_status_display())  # fmt: skip

    def value_status(self, record):
        return record.get_status_display()

    def render_status_changed_on(self, value):
        return portal_display.uk_date(value)

    def render_practices(self, record):
        return ", ".join(p.name for p in record.practices.all()) or "None named"

    def value_practices(self, record):
        return "; ".join(p.name for p in record.practices.all())

    def render_capital_cost(self, record):
        text = display.pounds(record.capital_cost)
        if record.capital_cost is not None:
            text += " inc. VAT" if record.capital_cost_includes_vat else " + VAT"
        return text

    def render_share_funded_percent(self, value):
        return display.percent(value)

    def render_expected_rent_per_year(self, value):
        return display.pounds(value)

    def render_area_added_m2(self, value):
        return display.number(value)

    def render_expected_open_date(self, value):
        return portal_display.uk_date(value)

    # The export's figures and dates as themselves, not as the page words them.
    def value_status_changed_on(self, value):
        return value

    def value_capital_cost(self, value):
        return value

    def value_share_funded_percent(self, value):
        return value

    def value_expected_rent_per_year(self, value):
        return value

    def value_area_added_m2(self, value):
        return value

    def value_expected_open_date(self, value):
        return value


class ChecklistItemColumn(tables.Column):
    """One item of the IT checklist: its status, and the date it went live or is planned for."""

    def __init__(self, item: str, label: str):
        super().__init__(label, accessor="pk", orderable=False)
        self.item = item

    def text(self, record) -> str:
        checklist = record.checklist
        if checklist is None:
            return "Not known"
        status = getattr(checklist, self.item)
        date = getattr(checklist, f"{self.item}_date")
        label = PracticeIT.Status(status).label
        if status == PracticeIT.Status.IN_PLACE and date:
            return f"{label} since {portal_display.uk_date(date)}"
        if status == PracticeIT.Status.PLANNED and date:
            return f"{label} for {portal_display.uk_date(date)}"
        return label

    def render(self, record):
        checklist = record.checklist
        status = getattr(checklist, self.item) if checklist else "unknown"
        return format_html('<span class="it-status it-{}">{}</span>', status, self.text(record))

    def value(self, record):
        return self.text(record)


class ChecklistTable(CaptionedTable):
    """The IT checklist of each practice of a CCG: one row per practice (a ``Practice`` with
    ``checklist`` set by the view, None when it has none)."""

    practice = tables.Column("Practice", accessor="name", linkify=("estates:practice_it", [tables.A("pk")]))
    ods_code = tables.Column("ODS code")
    clinical_system = tables.Column("Clinical system", accessor="pk")
    score = tables.Column("Items in place", accessor="pk", attrs=RIGHT)
    remote_devices = tables.Column("Remote devices (needed)", accessor="pk", attrs=RIGHT)
    confirmed_on = tables.Column("Confirmed", accessor="pk")

    class Meta:
        template_name = "portal/_table.html"
        orderable = False
        empty_text = "No practices."
        attrs = {"class": f"{TABLE_CLASS} checklist-table"}

    def __init__(self, *args, devices_needed: dict | None = None, **kwargs):
        items = [(item, ChecklistItemColumn(item, label)) for item, label in PracticeIT.ITEMS]
        sequence = ["practice", "ods_code", "clinical_system", *[i for i, _ in items], "score", "remote_devices",
                    "confirmed_on"]  # fmt: skip
        super().__init__(*args, extra_columns=items, sequence=sequence, **kwargs)
        self.devices_needed = devices_needed or {}

    def render_clinical_system(self, record):
        checklist = record.checklist
        return checklist.get_clinical_system_display() if checklist and checklist.clinical_system else "Not known"

    def value_clinical_system(self, record):
        return self.render_clinical_system(record)

    def render_score(self, record):
        if record.checklist is None:
            return "No checklist"
        return f"{record.checklist.items_in_place()} of {len(PracticeIT.ITEMS)}"

    def value_score(self, record):
        return self.render_score(record)

    def render_remote_devices(self, record):
        needed = self.devices_needed.get(record.pk)
        have = record.checklist.remote_devices if record.checklist else 0
        return f"{have} ({'not known' if needed is None else needed})"

    def value_remote_devices(self, record):
        return self.render_remote_devices(record)

    def render_confirmed_on(self, record):
        return portal_display.uk_date(record.checklist.confirmed_on if record.checklist else None)

    def value_confirmed_on(self, record):
        return self.render_confirmed_on(record)
