"""What a kind of return is: the base class every return type subclasses, and two ready
shapes of content, a grid (``GridReturnType``) and one record (``RecordReturnType``).

The workflow (``returns.services``), the pages (``returns.views``) and the reminders know
nothing of a return's figures: they call these hooks. See ``returns/__init__.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.db import models

from .models import Frequency
from .upload import RowError, UploadTable
from .validation import CheckContext, Findings, Rule, run_rules


class ReturnType:
    """One kind of return. Subclass it (or a shape below), fill in the class attributes and
    hooks, and decorate the class with ``@returns.registry.register``."""

    key: ClassVar[str] = ""
    name: ClassVar[str] = ""
    frequency: ClassVar[str] = Frequency.QUARTERLY
    description: ClassVar[str] = ""
    #: Days after the end of the period a new collection is due, as the form suggests.
    default_due_days: ClassVar[int] = 15
    #: A partial that shows one revision's figures read-only; it gets ``values``, ``display``.
    content_template: ClassVar[str] = ""
    #: A partial that draws the content fields of the edit form; it gets ``form``.
    form_template: ClassVar[str] = ""
    #: Rules run on every check, in order: functions of a CheckContext yielding Findings.
    rules: ClassVar[list[Rule]] = []

    # --- content rows, keyed by revision -------------------------------------------
    def empty_values(self) -> Any:
        raise NotImplementedError

    def load(self, revision) -> Any:
        """The figures stored for ``revision``, in this type's shape of values."""
        raise NotImplementedError

    def store(self, revision, values) -> None:
        """Replace the figures of ``revision`` (always a draft: the services make sure)."""
        raise NotImplementedError

    def copy(self, source, target) -> None:
        """A new draft after a return for correction starts from the figures sent."""
        self.store(target, self.load(source))

    # --- the form -----------------------------------------------------------------
    def build_form(self, *, values, data=None) -> forms.Form:
        raise NotImplementedError

    def form_values(self, form: forms.Form) -> Any:
        raise NotImplementedError

    # --- the upload ---------------------------------------------------------------
    def template_table(self, values) -> tuple[list[str], list[list]]:
        """The headers and rows of the downloadable template, filled in with ``values``."""
        raise NotImplementedError

    def parse_upload(self, table: UploadTable) -> tuple[Any, list[RowError]]:
        """The values of a whole uploaded file, or the problems with its rows and columns."""
        raise NotImplementedError

    def locate(self, finding, table: UploadTable) -> RowError:
        """Where in an uploaded file a finding about its values belongs."""
        return RowError(0, "Return", finding.message)

    # --- checks -------------------------------------------------------------------
    def check(self, context: CheckContext) -> Findings:
        return run_rules(self.rules, context)

    def extra_context(self, *, ret, revision) -> dict:
        """Anything more the rules need (a CCG's percentiles), put in ``CheckContext.extra``."""
        return {}

    # --- display and metrics ------------------------------------------------------
    def display(self, values) -> dict:
        """Extra context for ``content_template`` (totals, shares)."""
        return {}

    def accepted(self, revision) -> None:
        """Called inside the transaction that accepts a revision: save what follows from it, and
        queue the type's metric jobs with ``portal.outbox.enqueue`` (published once it commits)."""


# --------------------------------------------------------------------------------------
# Cells: the field rules (a whole number, not negative; a percentage from 0 to 100) hold in
# the form and in the upload alike, because both parse through the same form fields.
# --------------------------------------------------------------------------------------


class Kind:
    COUNT = "count"
    FTE = "fte"
    PERCENT = "percent"
    DECIMAL = "decimal"


def cell_field(kind: str, label: str, required: bool = False) -> forms.Field:
    if kind == Kind.COUNT:
        return forms.IntegerField(
            label=label, required=required, min_value=0,
            error_messages={"invalid": "Enter a whole number, such as 3.", "min_value": "Cannot be negative."},
        )  # fmt: skip
    if kind == Kind.PERCENT:
        return forms.DecimalField(
            label=label, required=required, min_value=0, max_value=100, max_digits=5, decimal_places=1,
            error_messages={
                "invalid": "Enter a percentage, such as 42.5.", "min_value": "A percentage cannot be negative.",
                "max_value": "A percentage cannot be more than 100.",
                "max_decimal_places": "Give at most one decimal place.",
            },
        )  # fmt: skip
    return forms.DecimalField(
        label=label, required=required, min_value=0, max_digits=8, decimal_places=2,
        error_messages={
            "invalid": "Enter a number, such as 2.5.", "min_value": "Cannot be negative.",
            "max_decimal_places": "Give at most two decimal places.", "max_digits": "The number is too large.",
        },
    )  # fmt: skip


def cell_text(value) -> str:
    """A spreadsheet cell as a form would have received it typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value).strip()


def zero_for(kind: str):
    return 0 if kind == Kind.COUNT else Decimal("0")


@dataclass(frozen=True)
class GridRow:
    key: str
    label: str
    group: str = ""


@dataclass(frozen=True)
class GridColumn:
    """One figure asked for on every row. ``field`` is the content model's field."""

    field: str
    header: str
    kind: str = Kind.COUNT
    help: str = ""


class GridForm(forms.Form):
    """One input per row and column, named ``<row>__<column>``; a blank cell counts as none."""

    def __init__(self, *args, grid: GridReturnType, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid = grid
        for row in grid.rows:
            for column in grid.columns:
                self.fields[grid.field_name(row.key, column.field)] = cell_field(
                    column.kind, f"{row.label}: {column.header}"
                )

    def grid_rows(self) -> list[tuple[str, list[tuple[GridRow, list]]]]:
        """For the template: ``[(group, [(row, [bound field per column])])]``."""
        groups: dict[str, list] = {}
        for row in self.grid.rows:
            cells = [self[self.grid.field_name(row.key, column.field)] for column in self.grid.columns]
            groups.setdefault(row.group, []).append((row, cells))
        return list(groups.items())


class GridReturnType(ReturnType):
    """A return asked as a grid: the same figures (``columns``) for each of ``rows``.

    Content is one ``line_model`` row per revision and grid row, with a ``revision`` foreign
    key, a ``row_field`` holding the row key and one field per column. Values are
    ``{row key: {column field: value}}``. Uploads have one spreadsheet row per grid row,
    found by its label (or key) in the ``row_header`` column.
    """

    line_model: ClassVar[type[models.Model]]
    row_field: ClassVar[str] = "row"
    row_header: ClassVar[str] = "Row"
    group_header: ClassVar[str] = ""
    rows: ClassVar[list[GridRow]] = []
    columns: ClassVar[list[GridColumn]] = []
    content_template = "returns/_grid_content.html"
    form_template = "returns/_grid_form.html"

    @staticmethod
    def field_name(row: str, column: str) -> str:
        return f"{row}__{column}"

    def empty_values(self) -> dict:
        return {row.key: {c.field: zero_for(c.kind) for c in self.columns} for row in self.rows}

    def load(self, revision) -> dict:
        values = self.empty_values()
        fields = [c.field for c in self.columns]
        for line in self.line_model.objects.filter(revision=revision).values(self.row_field, *fields):
            key = line.pop(self.row_field)
            if key in values:
                values[key] = line
        return values

    def store(self, revision, values: dict) -> None:
        self.line_model.objects.filter(revision=revision).delete()
        self.line_model.objects.bulk_create(
            self.line_model(revision=revision, **{self.row_field: row.key}, **values.get(row.key, {}))
            for row in self.rows
        )

    def copy(self, source, target) -> None:
        self.store(target, self.load(source))

    def build_form(self, *, values, data=None) -> GridForm:
        initial = {
            self.field_name(row, column): value
            for row, cells in (values or {}).items()
            for column, value in cells.items()
        }
        return GridForm(data=data, initial=initial, grid=self)

    def form_values(self, form: GridForm) -> dict:
        values = {}
        for row in self.rows:
            values[row.key] = {}
            for column in self.columns:
                value = form.cleaned_data.get(self.field_name(row.key, column.field))
                values[row.key][column.field] = zero_for(column.kind) if value is None else value
        return values

    # --- upload -------------------------------------------------------------------
    def headers(self) -> list[str]:
        first = [self.group_header] if self.group_header else []
        return first + [self.row_header] + [c.header for c in self.columns]

    def template_table(self, values) -> tuple[list[str], list[list]]:
        values = values or self.empty_values()
        rows = []
        for row in self.rows:
            first = [row.group] if self.group_header else []
            rows.append(first + [row.label] + [values.get(row.key, {}).get(c.field) for c in self.columns])
        return self.headers(), rows

    def _row_by_text(self) -> dict[str, GridRow]:
        found = {}
        for row in self.rows:
            found[row.label.casefold()] = row
            found[row.key.casefold()] = row
        return found

    def parse_upload(self, table: UploadTable) -> tuple[dict | None, list[RowError]]:
        errors: list[RowError] = []
        present = {h.casefold(): h for h in table.headers if h}
        wanted = [self.row_header] + [c.header for c in self.columns]
        missing = [h for h in wanted if h.casefold() not in present]
        if missing:
            names = ", ".join(f"'{h}'" for h in missing)
            errors.append(RowError(1, "Header row", f"There is no column called {names}. Start from the template."))
            return None, errors
        by_text = self._row_by_text()
        data: dict[str, str] = {}
        seen: dict[str, int] = {}
        for number, cells in table.rows:
            cells = {h.casefold(): v for h, v in cells.items()}
            label = cell_text(cells.get(self.row_header.casefold()))
            row = by_text.get(label.casefold())
            if row is None:
                allowed = "; ".join(r.label for r in self.rows)
                text = (
                    f"'{label}' is not one of the rows of this return ({allowed})."
                    if label
                    else "This row has no name."
                )
                errors.append(RowError(number, self.row_header, text))
                continue
            if row.key in seen:
                errors.append(
                    RowError(number, self.row_header, f"'{row.label}' is also on row {seen[row.key]}: give each once.")
                )
                continue
            seen[row.key] = number
            for column in self.columns:
                data[self.field_name(row.key, column.field)] = cell_text(cells.get(column.header.casefold()))
        table.lines = seen
        form = self.build_form(values=None, data=data)
        if not form.is_valid():
            for name, messages in form.errors.items():
                row_key, _, column_field = name.partition("__")
                column = next(c for c in self.columns if c.field == column_field)
                for message in messages:
                    errors.append(RowError(seen.get(row_key, 0), column.header, message))
        if errors:
            errors.sort(key=lambda e: (e.row, e.column))
            return None, errors
        return self.form_values(form), []

    def locate(self, finding, table: UploadTable) -> RowError:
        lines = table.lines
        column = next((c.header for c in self.columns if c.field == finding.field), self.row_header)
        return RowError(lines.get(finding.row, 0), column, finding.message)

    # --- display ------------------------------------------------------------------
    def label_of(self, row_key: str) -> str:
        return next((r.label for r in self.rows if r.key == row_key), row_key)

    def header_of(self, column_field: str) -> str:
        return next((c.header for c in self.columns if c.field == column_field), column_field)

    def display(self, values) -> dict:
        groups: dict[str, list] = {}
        for row in self.rows:
            cells = [values.get(row.key, {}).get(c.field) for c in self.columns]
            groups.setdefault(row.group, []).append((row, cells))
        return {"grid_groups": list(groups.items()), "grid_columns": self.columns}


class RecordReturnType(ReturnType):
    """A return asked as one set of questions: one ``content_model`` row per revision (with a
    ``revision`` one-to-one or foreign key) edited by ``form_class``, a ModelForm of the
    questions. Values are ``{field name: value}``. Uploads have two columns, Question and
    Answer, one question a row (the template lists them)."""

    content_model: ClassVar[type[models.Model]]
    form_class: ClassVar[type[forms.ModelForm]]
    content_template = "returns/_record_content.html"
    form_template = "returns/_record_form.html"
    question_header = "Question"
    answer_header = "Answer"

    def field_names(self) -> list[str]:
        return list(self.form_class.base_fields)

    def empty_values(self) -> dict:
        return {name: None for name in self.field_names()}

    def load(self, revision) -> dict:
        row = self.content_model.objects.filter(revision=revision).values(*self.field_names()).first()
        return row or self.empty_values()

    def store(self, revision, values: dict) -> None:
        self.content_model.objects.update_or_create(revision=revision, defaults=values)

    def build_form(self, *, values, data=None) -> forms.ModelForm:
        return self.form_class(data=data, initial=values or {})

    def form_values(self, form) -> dict:
        return {name: form.cleaned_data.get(name) for name in self.field_names()}

    def labels(self) -> dict[str, str]:
        form = self.form_class()
        return {name: str(form.fields[name].label or name) for name in self.field_names()}

    def template_table(self, values) -> tuple[list[str], list[list]]:
        values = values or {}
        rows = [[label, values.get(name)] for name, label in self.labels().items()]
        return [self.question_header, self.answer_header], rows

    def parse_upload(self, table: UploadTable) -> tuple[dict | None, list[RowError]]:
        errors: list[RowError] = []
        labels = self.labels()
        by_text = {label.casefold(): name for name, label in labels.items()} | {n.casefold(): n for n in labels}
        data: dict[str, str] = {}
        lines = table.lines
        for number, cells in table.rows:
            question = cell_text(cells.get(self.question_header))
            name = by_text.get(question.casefold())
            if name is None:
                errors.append(RowError(number, self.question_header, f"'{question}' is not a question of this return."))
                continue
            if name in lines:
                errors.append(RowError(number, self.question_header, f"'{question}' is also on row {lines[name]}."))
                continue
            lines[name] = number
            data[name] = cell_text(cells.get(self.answer_header))
        form = self.build_form(values=None, data=data)
        if not form.is_valid():
            for name, messages in form.errors.items():
                for message in messages:
                    errors.append(RowError(lines.get(name, 0), labels.get(name, self.answer_header), message))
        if errors:
            return None, sorted(errors, key=lambda e: (e.row, e.column))
        return self.form_values(form), []

    def locate(self, finding, table: UploadTable) -> RowError:
        labels = self.labels()
        return RowError(table.lines.get(finding.field, 0), labels.get(finding.field, "Return"), finding.message)

    def display(self, values) -> dict:
        return {"record_items": [(label, values.get(name)) for name, label in self.labels().items()]}


def findings_as_row_errors(return_type: ReturnType, findings: Iterable, table: UploadTable) -> list[RowError]:
    return sorted((return_type.locate(f, table) for f in findings), key=lambda e: (e.row, e.column))
