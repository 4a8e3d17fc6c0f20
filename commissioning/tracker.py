"""The action tracker spreadsheet: export a plan's actions to XLSX or CSV, and import a
tracker back, all or nothing.

An export is as at a date (``?on=`` on the plan page, today unless given): each action's
status, RAG, reason and due date as they stood then (``ActionQuerySet.as_at``), with the
"Overdue" and "As at" columns saying so. The import reads neither of those two columns.

An import checks and saves every row in one pass, in one transaction that is rolled back if
any row has a problem (or if it is only a check); every bad row is reported with its
spreadsheet row number, column and a plain reason, and nothing is saved unless the whole
file is good. The worker runs it (``commissioning.tasks.import_tracker``); the page that
takes the upload only checks its size and type. Built on django-import-export; the file is read by the
portal's one spreadsheet reader (``portal.spreadsheets``) within ``TRACKER_LIMITS``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import BinaryIO

import tablib
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils import timezone
from import_export import fields, resources, widgets

from portal import exports
from portal.spreadsheets import SpreadsheetError, SpreadsheetLimits, describe_bytes, file_size, read_rows
from practices.models import Cluster, Practice

from .models import Action, Chapter, HighImpactAction, NationalCommitment, Plan, TaskAndFinishGroup
from .services import PlanLocked, action_status_record, plan_open_for_edit

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: A plan has tens to hundreds of actions; a full 5 MB CSV of long descriptions is about 15,000.
TRACKER_LIMITS = SpreadsheetLimits(
    max_bytes=MAX_UPLOAD_BYTES,
    max_rows=20_000,
    max_columns=256,
    max_cells=1_000_000,
    max_unpacked_bytes=100 * 1024 * 1024,
    max_seconds=30,
)
FORMATS = {"xlsx", "csv"}
#: The tracker's columns whose kind their values do not say; the others are text.
EXPORT_COLUMNS = [exports.date("Start date"), exports.date("Due date"), exports.date("As at")]
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %b %Y", "%d %B %Y")


class TrackerFileError(Exception):
    """The file cannot be read as a tracker at all."""


class LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key by a readable value, with a plain error naming what was not found."""

    def __init__(self, model, field, queryset=None, noun=None):
        super().__init__(model, field)
        self.queryset = queryset
        self.noun = noun or model._meta.verbose_name

    def get_queryset(self, value, row, *args, **kwargs):
        return self.queryset if self.queryset is not None else self.model.objects.all()

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        text = str(value).strip()
        match = self.get_queryset(value, row).filter(**{f"{self.field}__iexact": text}).first()
        if match is None:
            raise ValueError(f"There is no {self.noun} called '{text}'.")
        return match


class StrictManyToManyWidget(widgets.ManyToManyWidget):
    """Several values separated by ';'. An unknown one is an error, never silently dropped."""

    def __init__(self, model, field, queryset=None, noun=None):
        super().__init__(model, separator=";", field=field)
        self.queryset = queryset
        self.noun = noun or model._meta.verbose_name_plural

    def clean(self, value, row=None, **kwargs):
        base = self.queryset if self.queryset is not None else self.model.objects.all()
        if value is None or str(value).strip() == "":
            return base.none()
        wanted = [part.strip() for part in str(value).split(self.separator) if part.strip()]
        if isinstance(value, float) and value.is_integer():
            wanted = [str(int(value))]
        found = base.filter(**{f"{self.field}__in": wanted})
        missing = sorted(set(wanted) - {str(getattr(obj, self.field)) for obj in found})
        if missing:
            raise ValueError(f"Unknown {self.noun}: {', '.join(missing)}.")
        return found


class ChoiceWidget(widgets.Widget):
    """A choice written as its label ('In progress') or its stored value ('in_progress')."""

    def __init__(self, choices, blank_allowed=False):
        super().__init__()
        self.choices = choices
        self.blank_allowed = blank_allowed

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text and self.blank_allowed:
            return ""
        for stored, label in self.choices:
            if text.lower() in {str(stored).lower(), str(label).lower()} and (stored or self.blank_allowed):
                return stored
        allowed = ", ".join(f"'{label}'" for stored, label in self.choices if stored)
        raise ValueError(f"'{text}' is not one of {allowed}.")

    def render(self, value, obj=None, **kwargs):
        """The label the pages show: a blank RAG reads 'Not rated', as on the action list (and imports back)."""
        return str(dict(self.choices).get(value or "", ""))


class TrackerDateWidget(widgets.DateWidget):
    def __init__(self):
        super().__init__(format="%Y-%m-%d")
        self.formats = DATE_FORMATS

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, dt.datetime):  # an Excel date cell, as the export writes it
            return value.date()
        try:
            return super().clean(value, row=row, **kwargs)
        except ValueError:
            raise ValueError(f"'{value}' is not a date: write it as 2018-03-31 or 31/03/2018.") from None


def _column(attribute, name, widget=None):
    return fields.Field(attribute=attribute, column_name=name, widget=widget or widgets.CharWidget())


class ActionResource(resources.ModelResource):
    """One row of the tracker per action of one plan, matched on the local code."""

    local_code = _column("local_code", "Local code")
    title = _column("title", "Title")
    chapter = _column("chapter", "Chapter", LookupWidget(Chapter, "name"))
    commitments = _column(
        "commitments",
        "National commitments",
        StrictManyToManyWidget(NationalCommitment, "code", noun="commitment codes"),
    )
    high_impact_actions = _column(
        "high_impact_actions",
        "High Impact Actions",
        StrictManyToManyWidget(HighImpactAction, "number", noun="High Impact Action numbers"),
    )
    strategy_reference = _column("strategy_reference", "Strategy reference")
    lead = _column("lead", "Lead")
    start_date = _column("start_date", "Start date", TrackerDateWidget())
    due_date = _column("due_date", "Due date", TrackerDateWidget())
    status = _column("status", "Status", ChoiceWidget(Action.Status.choices))
    rag = _column("rag", "RAG", ChoiceWidget(Action.RAG.choices, blank_allowed=True))
    rag_reason = _column("rag_reason", "RAG reason")
    description = _column("description", "Description")
    # Export only: what the file's statuses are as at.
    overdue = fields.Field(column_name="Overdue", readonly=True)
    as_at = fields.Field(column_name="As at", readonly=True)

    class Meta:
        model = Action
        fields = (
            "local_code", "title", "chapter", "commitments", "high_impact_actions", "strategy_reference", "lead",
            "task_group", "clusters", "practices", "start_date", "due_date", "status", "rag", "rag_reason",
            "overdue", "as_at", "description",
        )  # fmt: skip
        import_id_fields = ("local_code",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(
        self, *, plan: Plan, user=None, progress: Callable[[int], None] | None = None, on: dt.date | None = None
    ):
        super().__init__()
        self.plan = plan
        self.on = on or timezone.localdate()
        self.user = user
        self.progress = progress
        self.fields["task_group"] = _column(
            "task_group",
            "Task and finish group",
            LookupWidget(
                TaskAndFinishGroup, "name", TaskAndFinishGroup.objects.filter(ccg=plan.ccg), "task and finish group"
            ),
        )
        self.fields["clusters"] = _column(
            "clusters", "Clusters", StrictManyToManyWidget(Cluster, "name", Cluster.objects.filter(ccg=plan.ccg))
        )
        self.fields["practices"] = _column(
            "practices",
            "Practices (ODS codes)",
            StrictManyToManyWidget(
                Practice, "ods_code", Practice.objects.filter(ccg=plan.ccg), "practices in this CCG"
            ),
        )

    def get_export_order(self):
        return self._meta.fields

    def get_queryset(self):
        """For the export: the plan's actions as at ``on`` (those not yet in the plan then are left out)."""
        return (
            Action.objects.filter(plan=self.plan)
            .as_at(self.on)
            .select_related("chapter", "task_group")
            .prefetch_related("commitments", "high_impact_actions", "clusters", "practices")
            .order_by("local_code")
        )

    def export_field(self, field, instance, **kwargs):
        if field.attribute == "chapter":
            return instance.chapter.name if instance.chapter_id else ""
        if field.attribute == "task_group":
            return instance.task_group.name if instance.task_group_id else ""
        return super().export_field(field, instance, **kwargs)

    def dehydrate_overdue(self, action: Action) -> str:
        """The ``overdue`` of ``ActionQuerySet.as_at``, the flag the action list shows."""
        return exports.yes_no(action.overdue)

    def dehydrate_as_at(self, action: Action) -> dt.date:
        return self.on

    def get_instance(self, instance_loader, row):
        code = str(row.get("Local code") or "").strip()
        return Action.objects.filter(plan=self.plan, local_code=code).first()

    def init_instance(self, row=None):
        return Action(plan=self.plan)

    def import_instance(self, instance, row, **kwargs):
        """Check the many-to-many columns with the others, so every bad cell is reported at once."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except Exception as exc:  # a ValidationError carrying the per-column messages
            errors.update(getattr(exc, "error_dict", {NON_FIELD_ERRORS: [str(exc)]}))
        for name in ("commitments", "high_impact_actions", "clusters", "practices"):
            field_ = self.fields[name]
            if field_.column_name in row:
                try:
                    field_.clean(row)
                except ValueError as exc:
                    errors[name] = [str(exc)]
        if errors:
            from django.core.exceptions import ValidationError

            raise ValidationError(errors)

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        if self.progress is not None:
            self.progress(kwargs.get("row_number", 0))
        return row_result

    def before_save_instance(self, instance, row, **kwargs):
        instance._history_user = self.user

    def after_save_instance(self, instance, row, **kwargs):
        # A dry run saves too, inside the transaction it rolls back.
        action_status_record(action=instance, effective_on=timezone.localdate(), user=self.user)

    def after_init_instance(self, instance, new, row, **kwargs):
        instance.plan = self.plan


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}, {self.column}: {self.message}"


@dataclass
class TrackerImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    saved: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def tracker_export(*, plan: Plan, file_format: str, on: dt.date | None = None) -> bytes:
    """The plan's actions as at ``on`` (default today), as the plan page and action list show them then."""
    if file_format not in FORMATS:
        raise ValueError(f"Export as one of {sorted(FORMATS)}.")
    dataset = ActionResource(plan=plan, on=on).export(force_native_type=True)  # dates as dates
    dataset.title = "Actions"
    return exports.write_dataset(dataset, file_format, typed=EXPORT_COLUMNS)


def tracker_check_upload(*, size: int, filename: str) -> None:
    """What can be checked of an upload without reading it: its size and type."""
    if size > MAX_UPLOAD_BYTES:
        raise TrackerFileError(f"The file is larger than {describe_bytes(MAX_UPLOAD_BYTES)}.")
    if PurePath(filename).suffix.lower().lstrip(".") not in FORMATS:
        raise TrackerFileError("Upload the tracker as an .xlsx or .csv file.")


def tracker_read(
    *, content: bytes | BinaryIO, filename: str, progress: Callable[[int], None] | None = None
) -> tablib.Dataset:
    """Read an uploaded tracker. Formulas are read as their saved values and never run.
    ``progress`` is called with each row number read."""
    tracker_check_upload(size=file_size(content), filename=filename)
    suffix = PurePath(filename).suffix.lower().lstrip(".")
    dataset = None
    try:
        for number, values in read_rows(content, file_format=suffix, limits=TRACKER_LIMITS):
            if progress is not None:
                progress(number)
            if dataset is None:
                dataset = tablib.Dataset(headers=[str(h).strip() if h is not None else "" for h in values])
                continue
            padded = list(values) + [None] * (len(dataset.headers) - len(values))
            dataset.append([exports.restore_cell("" if v is None else v) for v in padded[: len(dataset.headers)]])
    except SpreadsheetError as exc:
        raise TrackerFileError(str(exc)) from exc
    except Exception as exc:
        raise TrackerFileError(f"The file could not be read as a spreadsheet ({exc.__class__.__name__}).") from exc
    headers = dataset.headers if dataset is not None else []
    missing = [name for name in ("Local code", "Title", "Chapter", "Status") if name not in headers]
    if missing:
        raise TrackerFileError(f"The file has no column called {', '.join(repr(m) for m in missing)}.")
    return dataset


def tracker_import(
    *, plan: Plan, dataset: tablib.Dataset, user, dry_run: bool = False, progress: Callable[[int], None] | None = None
) -> TrackerImportResult:
    """Check and save the whole tracker in one pass and one transaction, rolled back unless
    every row is good (and always for a dry run). ``progress`` is called with each row's number."""
    resource = ActionResource(plan=plan, user=user, progress=progress)
    columns = {f.attribute: f.column_name for f in resource.fields.values()}
    duplicates = _duplicate_codes(dataset)
    with transaction.atomic():
        if not dry_run:
            try:
                plan_open_for_edit(plan=plan)
            except PlanLocked as exc:
                transaction.set_rollback(True)
                return TrackerImportResult(errors=[RowError(0, "Plan", str(exc))])
        imported = resource.import_data(dataset, dry_run=dry_run, raise_errors=False, use_transactions=True)
        result = _result_of(imported, columns)
        result.errors.extend(duplicates)
        result.errors.sort(key=lambda e: (e.row, e.column))
        if result.errors or dry_run:
            transaction.set_rollback(True)
            return result
    result.saved = True
    return result


def _result_of(import_result, columns: dict[str, str]) -> TrackerImportResult:
    totals = import_result.totals
    result = TrackerImportResult(
        created=totals.get("new", 0), updated=totals.get("update", 0), unchanged=totals.get("skip", 0)
    )
    for invalid in import_result.invalid_rows:
        for attribute, messages in invalid.error_dict.items():
            column = "Row" if attribute == NON_FIELD_ERRORS else columns.get(attribute, attribute)
            for message in messages:
                text = message if isinstance(message, str) else " ".join(getattr(message, "messages", [str(message)]))
                result.errors.append(RowError(invalid.number + 1, column, text))
    for number, row_result in import_result.row_errors():
        for error in row_result:
            result.errors.append(RowError(number + 1, "Row", str(error.error)))
    return result


def _duplicate_codes(dataset: tablib.Dataset) -> list[RowError]:
    seen: dict[str, int] = {}
    errors = []
    for index, row in enumerate(dataset.dict, start=2):
        code = str(row.get("Local code") or "").strip()
        if code in seen:
            errors.append(RowError(index, "Local code", f"'{code}' is also on row {seen[code]}: each code once."))
        seen.setdefault(code, index)
    return errors
