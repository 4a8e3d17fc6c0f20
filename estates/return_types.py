"""The estates return on the shared collection workflow (``returns/``): once a year a CCG asks
each practice to confirm or correct the premises details of every open site it works from.

The figures are one line per site (``EstatesReturnLine``). When a commissioner accepts a
return, its figures are copied into the premises register (``Premises``), marked as
confirmed on that day, and the capacity figures are recomputed.

The rows of this return are the practice's own sites, which the type's form, upload and
empty-values hooks are not told (they get no return). So the edit form's template asks for
the practice's sites itself (``{% estates_return_fieldsets form ret %}``, from the page's
``ret``), the posted field names carry the site ids, and ``store`` and ``accepted`` keep
only sites of the return's practice. A template downloaded before the first draft is saved
has no site rows; after it, it lists the sites with their figures.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.db import transaction
from django.db.models import Q

from portal import exports
from portal.display import uk_date
from practices.forms import DateInput
from practices.models import Site
from returns.models import Frequency
from returns.registry import register
from returns.types import ReturnType, cell_text
from returns.upload import RowError, UploadTable
from returns.validation import WARNING, CheckContext, Finding, change_share

from . import display
from .models import EstatesReturnLine, Premises

SITE_FIELD = re.compile(r"^site-(\d+)-([a-z0-9_]+)$")
SITE_ID_HEADER = "Site ID"
SITE_HEADER = "Site"
# A change of area or rooms larger than this share of last year's figure asks for a comment.
CHANGE_WARNING_SHARE = 0.2
LEASE_WARNING_DAYS = 365


@dataclass(frozen=True)
class Question:
    """One figure asked for each site."""

    name: str
    header: str
    kind: str  # choice, date, area, count, money, text
    required: bool = True
    choices: tuple = ()

    def form_field(self, label: str) -> forms.Field:
        if self.kind == "choice":
            return forms.ChoiceField(label=label, required=False, choices=[("", "Choose…"), *self.choices])
        if self.kind == "date":
            return forms.DateField(
                label=label, required=False, widget=DateInput, input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
            )
        if self.kind == "count":
            return forms.IntegerField(label=label, required=False, min_value=0, max_value=500)
        if self.kind in ("area", "money"):
            places = 1 if self.kind == "area" else 2  # m² to one place, pounds and pence
            too_precise = "Give at most one decimal place." if places == 1 else "Give pounds and pence only."
            return forms.DecimalField(
                label=label, required=False, min_value=0, max_digits=12, decimal_places=places,
                error_messages={"max_decimal_places": too_precise},
            )  # fmt: skip
        return forms.CharField(label=label, required=False, max_length=300)

    def text(self, value) -> str:
        """The value as a person reads it (and as the template writes it)."""
        if value is None or value == "":
            return ""
        if self.kind == "choice":
            return str(dict(self.choices).get(value, value))
        if self.kind == "date":
            return uk_date(value)
        if self.kind == "money":
            return display.pounds(value)
        if self.kind == "area":
            return display.square_metres(value)
        return str(value)

    def cell(self, value):
        """The value as the downloadable template holds it (a date as a date: the writer puts it as an
        Excel date or ISO text; the upload reads either)."""
        if value is None:
            return None
        if self.kind == "choice":
            return str(dict(self.choices).get(value, value))
        return value

    @property
    def column(self) -> exports.Column:
        """The template's column: its heading (the upload's key) and what it holds."""
        if self.kind == "area":
            return exports.number(self.header, 1)  # m² to one place, as the form takes it
        kinds = {"date": exports.date, "money": exports.money, "count": exports.integer}
        return kinds.get(self.kind, exports.text)(self.header)


QUESTIONS: tuple[Question, ...] = (
    Question("ownership", "Ownership", "choice", choices=tuple(Premises.Ownership.choices)),
    Question("tenure", "Tenure", "choice", choices=tuple(Premises.Tenure.choices)),
    Question("lease_end_date", "Lease end date", "date", required=False),
    Question("gross_internal_area_m2", "Gross internal area (m²)", "area"),
    Question("clinical_rooms", "Clinical rooms", "count"),
    Question("condition", "Condition grade", "choice", choices=tuple(Premises.Condition.choices)),
    Question("accessibility", "Accessibility", "choice", choices=tuple(Premises.Accessibility.choices)),
    Question("rent_basis", "Rent basis", "choice", choices=tuple(Premises.RentBasis.choices)),
    Question("rent_reimbursed_per_year", "Rent reimbursed a year (£)", "money", required=False),
    Question("void_area_m2", "Void space (m²)", "area", required=False),
    Question("void_cost_per_year", "Void cost a year (£)", "money", required=False),
    Question("other_providers", "Other providers using the site", "text", required=False),
)
BY_NAME = {q.name: q for q in QUESTIONS}
FIELDS = [q.name for q in QUESTIONS]


def field_name(site_id, question: str) -> str:
    return f"site-{site_id}-{question}"


def open_sites(practice, on: dt.date):
    """The sites a practice works from on ``on`` (its own; shared sites are their host's to return)."""
    return (
        Site.objects.filter(practice=practice)
        .filter(Q(open_date__isnull=True) | Q(open_date__lte=on))
        .filter(Q(close_date__isnull=True) | Q(close_date__gt=on))
        .order_by("kind", "name")
    )


def register_values(site: Site) -> dict:
    """A site's figures as the premises register has them, to start a return from."""
    premises = getattr(site, "premises", None)
    if premises is None:
        return dict.fromkeys(FIELDS)
    return {name: getattr(premises, name) for name in FIELDS}


class EstatesReturnForm(forms.Form):
    """The figures of each site; fields are named ``site-<id>-<question>``."""

    def __init__(self, *args, sites: list[Site], **kwargs):
        super().__init__(*args, **kwargs)
        self.sites = sites
        for site in sites:
            for question in QUESTIONS:
                self.fields[field_name(site.pk, question.name)] = question.form_field(f"{site.name}: {question.header}")

    def fieldsets(self):
        """``(site, [(question, bound field)])`` for the template."""
        return [(site, [(q.header, self[field_name(site.pk, q.name)]) for q in QUESTIONS]) for site in self.sites]


def site_ids_in(keys) -> list[int]:
    ids = []
    for key in keys:
        match = SITE_FIELD.match(str(key))
        if match and int(match.group(1)) not in ids:
            ids.append(int(match.group(1)))
    return ids


def sites_by_id(ids) -> list[Site]:
    found = Site.objects.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


# --- checks ---------------------------------------------------------------------------


def _number(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def sites_complete(context: CheckContext):
    """Every open site of the practice is in the return, and nothing else is."""
    expected = context.extra.get("sites", {})
    given = context.values.get("sites", {}) if context.values else {}
    for site_id, name in expected.items():
        if site_id not in given:
            yield Finding(f"site-missing:{site_id}", f"{name} is missing: give its figures.", row=site_id)
    for site_id in given:
        if expected and site_id not in expected:
            yield Finding(
                f"site-unknown:{site_id}", f"Site {site_id} is not one of the practice's open sites.", row=site_id
            )


def figures_given(context: CheckContext):
    """The figures every site needs, and the ones that must agree with each other."""
    names = context.extra.get("sites", {})
    for site_id, figures in (context.values or {}).get("sites", {}).items():
        name = names.get(site_id, f"Site {site_id}")
        for question in QUESTIONS:
            if question.required and figures.get(question.name) in (None, ""):
                yield Finding(
                    f"required:{site_id}:{question.name}", f"{name}: give the {question.header.lower()}.",
                    field=field_name(site_id, question.name), row=site_id,
                )  # fmt: skip
        tenure, lease_end = figures.get("tenure"), figures.get("lease_end_date")
        if lease_end and tenure not in (Premises.Tenure.LEASEHOLD, Premises.Tenure.LICENCE):
            yield Finding(
                f"lease-without-lease:{site_id}", f"{name}: only a lease or a licence has an end date.",
                field=field_name(site_id, "lease_end_date"), row=site_id,
            )  # fmt: skip
        area, void = _number(figures.get("gross_internal_area_m2")), _number(figures.get("void_area_m2"))
        if area is not None and area <= 0:
            yield Finding(
                f"area-zero:{site_id}", f"{name}: the gross internal area must be more than 0 m².",
                field=field_name(site_id, "gross_internal_area_m2"), row=site_id,
            )  # fmt: skip
        if area is not None and void is not None and void > area:
            yield Finding(
                f"void-too-big:{site_id}", f"{name}: the void space cannot be larger than the site ({area} m²).",
                field=field_name(site_id, "void_area_m2"), row=site_id,
            )  # fmt: skip
        if not void and (_number(figures.get("void_cost_per_year")) or 0) > 0:
            yield Finding(
                f"void-cost-without-void:{site_id}", f"{name}: a void cost needs void space: give its area.",
                field=field_name(site_id, "void_area_m2"), row=site_id,
            )  # fmt: skip
        if (
            figures.get("rent_basis") == Premises.RentBasis.NONE
            and (_number(figures.get("rent_reimbursed_per_year")) or 0) > 0
        ):
            yield Finding(
                f"rent-without-basis:{site_id}", f"{name}: say on what basis the rent is reimbursed.",
                field=field_name(site_id, "rent_basis"), row=site_id,
            )  # fmt: skip


def worth_a_comment(context: CheckContext):
    """Warnings: a lease ending within a year, condition D, a big change from last year."""
    names = context.extra.get("sites", {})
    period_end = context.extra.get("period_end")
    previous = (context.previous_values or {}).get("sites", {})
    for site_id, figures in (context.values or {}).get("sites", {}).items():
        name = names.get(site_id, f"Site {site_id}")
        lease_end = figures.get("lease_end_date")
        if lease_end and period_end and lease_end <= period_end + dt.timedelta(days=LEASE_WARNING_DAYS):
            yield Finding(
                f"lease-ending:{site_id}", f"{name}: the lease ends on {uk_date(lease_end)}. Say what is planned.",
                field=field_name(site_id, "lease_end_date"), severity=WARNING, row=site_id,
            )  # fmt: skip
        if figures.get("condition") == Premises.Condition.D:
            yield Finding(
                f"condition-d:{site_id}", f"{name} is in condition D: say what is being done about it.",
                field=field_name(site_id, "condition"), severity=WARNING, row=site_id,
            )  # fmt: skip
        before = previous.get(site_id, {})
        for question, words in (("gross_internal_area_m2", "area"), ("clinical_rooms", "number of clinical rooms")):
            share = change_share(before.get(question), figures.get(question))
            if share is not None and abs(share) > CHANGE_WARNING_SHARE:
                yield Finding(
                    f"{question}-change:{site_id}",
                    f"{name}: the {words} changed by {share:+.0%} since the last accepted return "
                    f"({before.get(question)} then, {figures.get(question)} now). Say why.",
                    field=field_name(site_id, question), severity=WARNING, row=site_id,
                )  # fmt: skip


@register
class EstatesReturnType(ReturnType):
    key = "estates"
    name = "Estates return"
    frequency = Frequency.ANNUAL
    default_due_days = 30
    description = (
        "Once a year each practice confirms or corrects the premises details of every open site it works "
        "from: ownership, tenure and lease end, area, clinical rooms, condition, accessibility, rent "
        "reimbursed and void space. Accepted returns update the premises register."
    )
    content_template = "estates/_return_content.html"
    form_template = "estates/_return_form.html"
    rules = [sites_complete, figures_given, worth_a_comment]

    # --- content rows ----------------------------------------------------------------
    def empty_values(self) -> dict:
        return {"sites": {}}

    def load(self, revision) -> dict:
        values = {"sites": {}}
        for line in EstatesReturnLine.objects.filter(revision=revision).values("site_id", *FIELDS):
            values["sites"][str(line.pop("site_id"))] = line
        if revision.is_editable:
            # A draft also offers the sites opened since it was started, from the register.
            ret = revision.ret
            for site in open_sites(ret.practice, ret.collection.period_end).select_related("premises"):
                values["sites"].setdefault(str(site.pk), register_values(site))
        return values

    def store(self, revision, values) -> None:
        own = set(Site.objects.filter(practice_id=revision.ret.practice_id).values_list("pk", flat=True))
        EstatesReturnLine.objects.filter(revision=revision).delete()
        lines = []
        for site_id, figures in (values or {}).get("sites", {}).items():
            if int(site_id) not in own:
                continue
            cleaned = {name: figures.get(name) for name in FIELDS}
            for name in FIELDS:
                if BY_NAME[name].kind in ("choice", "text") and cleaned[name] is None:
                    cleaned[name] = ""
            lines.append(EstatesReturnLine(revision=revision, site_id=int(site_id), **cleaned))
        EstatesReturnLine.objects.bulk_create(lines)

    def cells(self, values) -> list[tuple[str, str, object]]:
        sites = (values or {}).get("sites", {})
        names = {str(s.pk): s.name for s in sites_by_id([int(pk) for pk in sites])}
        return [
            (field_name(site_id, q.name), f"{names.get(site_id, 'Site ' + site_id)}: {q.header}", figures.get(q.name))
            for site_id, figures in sites.items()
            for q in QUESTIONS
        ]

    # --- the form --------------------------------------------------------------------
    def build_form(self, *, values, data=None) -> EstatesReturnForm:
        keys = data.keys() if data is not None else []
        ids = site_ids_in(keys) or [int(pk) for pk in (values or {}).get("sites", {})]
        initial = {
            field_name(site_id, name): value
            for site_id, figures in (values or {}).get("sites", {}).items()
            for name, value in figures.items()
        }
        return EstatesReturnForm(data=data, initial=initial, sites=sites_by_id(ids))

    def form_values(self, form: EstatesReturnForm) -> dict:
        return {
            "sites": {
                str(site.pk): {name: form.cleaned_data.get(field_name(site.pk, name)) for name in FIELDS}
                for site in form.sites
            }
        }

    # --- the upload ------------------------------------------------------------------
    def template_table(self, values) -> tuple[list[str], list[list]]:
        headers = [exports.integer(SITE_ID_HEADER), exports.text(SITE_HEADER), *[q.column for q in QUESTIONS]]
        sites = (values or {}).get("sites", {})
        names = {str(s.pk): s.name for s in sites_by_id([int(pk) for pk in sites])}
        rows = [
            [int(site_id), names.get(site_id, ""), *[q.cell(figures.get(q.name)) for q in QUESTIONS]]
            for site_id, figures in sites.items()
        ]
        return headers, rows

    def parse_upload(self, table: UploadTable) -> tuple[dict | None, list[RowError]]:
        present = {h.casefold() for h in table.headers if h}
        missing = [h for h in [SITE_ID_HEADER, *[q.header for q in QUESTIONS]] if h.casefold() not in present]
        if missing:
            names = ", ".join(f"'{h}'" for h in missing)
            return None, [RowError(1, "Header row", f"There is no column called {names}. Start from the template.")]
        errors: list[RowError] = []
        data: dict[str, str] = {}
        for number, cells in table.rows:
            cells = {str(h).casefold(): v for h, v in cells.items()}
            site_id = cell_text(cells.get(SITE_ID_HEADER.casefold()))
            if not site_id.isdigit():
                errors.append(RowError(number, SITE_ID_HEADER, "Give the site's ID, as in the template."))
                continue
            if site_id in table.lines:
                errors.append(
                    RowError(number, SITE_ID_HEADER, f"Site {site_id} is also on row {table.lines[site_id]}.")
                )
                continue
            table.lines[site_id] = number
            for question in QUESTIONS:
                data[field_name(site_id, question.name)] = _upload_text(question, cells.get(question.header.casefold()))
        form = self.build_form(values=None, data=data)
        known = {str(s.pk) for s in form.sites}
        for site_id, number in table.lines.items():
            if site_id not in known:
                errors.append(RowError(number, SITE_ID_HEADER, f"There is no site {site_id}."))
        if not form.is_valid():
            for name, messages in form.errors.items():
                match = SITE_FIELD.match(name)
                if match is None:
                    continue
                header = BY_NAME[match.group(2)].header
                for message in messages:
                    errors.append(RowError(table.lines.get(match.group(1), 0), header, message))
        if errors:
            return None, sorted(errors, key=lambda e: (e.row, e.column))
        return self.form_values(form), []

    def locate(self, finding, table: UploadTable) -> RowError:
        match = SITE_FIELD.match(finding.field or "")
        header = BY_NAME[match.group(2)].header if match else SITE_ID_HEADER
        return RowError(table.lines.get(finding.row or "", 0), header, finding.message)

    # --- checks and display ----------------------------------------------------------
    def extra_context(self, *, ret, revision) -> dict:
        period_end = ret.collection.period_end
        return {
            "sites": {str(site.pk): site.name for site in open_sites(ret.practice, period_end)},
            "period_end": period_end,
        }

    def display(self, values) -> dict:
        sites = (values or {}).get("sites", {})
        found = {str(s.pk): s for s in sites_by_id([int(pk) for pk in sites])}
        return {
            "estates_sites": [
                (found.get(site_id), site_id, [(q.header, q.text(figures.get(q.name))) for q in QUESTIONS])
                for site_id, figures in sites.items()
            ]
        }

    def accepted(self, revision) -> None:
        """Copy the accepted figures into the premises register, as confirmed on the day of acceptance."""
        confirmed_on = (revision.decided_at or revision.submitted_at).date()
        reason = f"{revision.ret.collection.title}, accepted"
        with transaction.atomic():
            lines = revision.estates_lines.select_related("site__premises").filter(
                site__practice_id=revision.ret.practice_id
            )
            for line in lines:
                premises = getattr(line.site, "premises", None) or Premises(site=line.site)
                for name in FIELDS:
                    value = getattr(line, name)
                    if value is not None:
                        setattr(premises, name, value)
                premises.confirmed_on = confirmed_on
                premises._history_user = revision.submitted_by
                premises._change_reason = reason
                premises.save()


def _upload_text(question: Question, value) -> str:
    """A cell as the form field reads it: a choice by its label or code, a date as a date."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = cell_text(value)
    if question.kind == "choice" and text:
        for code, label in question.choices:
            if text.casefold() in (str(code).casefold(), str(label).casefold()):
                return str(code)
    return text
