"""What every reference import shares: reading its file, checking values, loading what exists."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from practices.models import CCG, ODS_CCG_CODE, ODS_PRACTICE_CODE, POSTCODE, Practice, normalise_postcode

from .columns import (
    REFERENCE_FILE_LIMITS,
    Column,
    Row,
    Table,
    _records,
    normalise_header,
    parse_count,
    parse_optional_date,
    read_table,
)
from .report import ImportReport
from .sync import ModelSync

ONS_CODE = re.compile(r"^[EWSNJ][0-9]{8}$")


class RowError(ValueError):
    """One row cannot be imported; the message names the column and says why."""


class Importer:
    """One dataset: the columns it reads and how its rows become records.

    Subclasses set ``dataset`` and ``columns`` and write ``run``. Rows are checked with the
    ``value_*`` helpers, which raise :class:`RowError` naming the column as the file spells it.
    """

    dataset: str = ""
    description: str = ""
    columns: Sequence[Column] = ()
    #: The file type the publisher releases it as, for uploads: ".csv" or ".xlsx".
    file_type: str = ".csv"
    #: Columns of the publication this import knows and leaves out on purpose (see ``note_columns``).
    not_imported: Sequence[str] = ()

    def __init__(self, *, report: ImportReport, only_ccgs: set[str] | None = None, user=None) -> None:
        self.report = report
        self.only_ccgs = {c.strip().upper() for c in only_ccgs} if only_ccgs else None
        self.user = user
        self.table: Table | None = None

    @property
    def reason(self) -> str:
        """The history change reason on every record this import writes."""
        return f"import_reference {self.dataset} {self.report.file_name}"[:100]

    def read(self, path: Path) -> Table:
        return read_table(path, self.columns)

    def run(self, table: Table) -> None:
        raise NotImplementedError

    def note_columns(self, table: Table, *, where: str = "", **_ignored) -> None:
        """Name in the report every column of the file that is not imported: those the import
        leaves out on purpose, and those it does not know (a new column in a later release).
        A numeric column is named with its total, so that no money or patients go unsaid.
        Call it after the rows have been read (the totals are summed as they are)."""
        known = {normalise_header(name) for name in self.not_imported}

        def named(column) -> str:
            return f"{column.heading} (total {column.total:,})" if column.is_numeric else column.heading

        on_purpose = [named(c) for c in table.left_out if normalise_header(c.heading) in known]
        unknown = [named(c) for c in table.left_out if normalise_header(c.heading) not in known]
        prefix = f"{where}: c" if where else "C"
        if on_purpose:
            self.report.notes.append(f"{prefix}olumns not imported: {', '.join(on_purpose)}.")
        if unknown:
            self.report.notes.append(f"{prefix}olumns this import does not know, not imported: {', '.join(unknown)}.")

    def in_scope(self, *ccg_codes: str) -> bool:
        return self.only_ccgs is None or any(code in self.only_ccgs for code in ccg_codes if code)

    def write(self, *syncs: ModelSync) -> None:
        for sync in syncs:
            sync.write(self.report, user=self.user, reason=self.reason)

    # Checking values. Each returns the clean value or raises RowError.

    def heading(self, column: str) -> str:
        return self.table.heading(column) if self.table else column

    def value_required(self, row: Row, column: str, *, max_length: int | None = None) -> str:
        value = row[column]
        if not value:
            raise RowError(f"{self.heading(column)} is empty")
        return self.value_text(row, column, max_length=max_length)

    def value_text(self, row: Row, column: str, *, max_length: int | None = None) -> str:
        value = row[column]
        if max_length and len(value) > max_length:
            raise RowError(f"{self.heading(column)} is longer than {max_length} characters")
        return value

    def value_practice_code(self, row: Row, column: str) -> str:
        code = self.value_required(row, column).upper()
        try:
            ODS_PRACTICE_CODE(code)
        except Exception:
            raise RowError(
                f"{self.heading(column)} '{row[column]}' is not an ODS practice code (a capital letter and five digits)"
            ) from None
        return code

    def value_ccg_code(self, row: Row, column: str) -> str:
        code = self.value_required(row, column).upper()
        try:
            ODS_CCG_CODE(code)
        except Exception:
            raise RowError(
                f"{self.heading(column)} '{row[column]}' is not an ODS commissioner code"
                " (three to five letters or digits)"
            ) from None
        return code

    def value_ons_code(self, row: Row, column: str, *, required: bool = True) -> str:
        code = (self.value_required(row, column) if required else row[column]).upper()
        if code and not ONS_CODE.match(code):
            raise RowError(f"{self.heading(column)} '{row[column]}' is not an ONS code (for example E38000102)")
        return code

    def value_date(self, row: Row, column: str, *, required: bool = False):
        """A date in any of the styles :func:`parse_date` reads; ``None`` for an optional blank."""
        if required:
            self.value_required(row, column)
        try:
            return parse_optional_date(row[column])
        except ValueError as exc:
            raise RowError(f"{self.heading(column)} {exc}") from None

    def value_count(self, row: Row, column: str) -> int:
        try:
            return parse_count(self.value_required(row, column))
        except RowError:
            raise
        except ValueError as exc:
            raise RowError(f"{self.heading(column)} {exc}") from None

    def value_postcode(self, row: Row, column: str) -> str:
        """A valid postcode, or blank with a warning: a bad postcode is no reason to leave a practice out."""
        value = row[column]
        if not value:
            return ""
        postcode = normalise_postcode(value)
        try:
            POSTCODE(postcode)
        except Exception:
            self.report.warn(row.line, f"{self.heading(column)} '{value}' is not a UK postcode; imported without one")
            return ""
        return postcode


def load_ccgs(fields: Sequence[str]) -> ModelSync:
    return ModelSync(CCG, "CCGs", fields, CCG.objects.all(), key=lambda c: c.ods_code)


def load_practices(fields: Sequence[str], ccgs: ModelSync) -> ModelSync:
    """Every practice, with ``ccg`` pointing at the objects in ``ccgs`` so that ``is`` compares them."""
    practices = list(Practice.objects.all())
    for practice in practices:
        practice.ccg = ccgs.by_pk[practice.ccg_id]
    return ModelSync(Practice, "practices", fields, practices, key=lambda p: p.ods_code)


def majority(counts: dict, *, key) -> object:
    """The most common item; ties go to the lowest ``key``, so that every run picks the same one."""
    best = max(counts.values())
    return min((item for item, n in counts.items() if n == best), key=key)


@dataclass(frozen=True)
class Layout:
    """One release's layout as its publisher wrote it: every heading of its header row."""

    name: str
    headings: tuple[str, ...]

    @property
    def normalised(self) -> set[str]:
        return {normalise_header(h) for h in self.headings}


def file_headers(path: Path) -> list[str]:
    """The header row of a CSV file, as written."""
    first = next(_records(path, path.name, REFERENCE_FILE_LIMITS), None)
    return first[1] if first else []


def recognise_layout(report: ImportReport, headers: Sequence[str], layouts: Sequence[Layout]) -> Layout | None:
    """The known release whose headings the file has (the fullest match), said in the report's notes.

    A file that is no known release is still read by its column names (the importer's
    aliases), and the note names the headings no known release has.
    """
    have = {normalise_header(h) for h in headers}
    matches = [layout for layout in layouts if layout.normalised <= have]
    layout = max(matches, key=lambda m: len(m.headings), default=None)
    known = layout.normalised if layout else set().union(*(m.normalised for m in layouts))
    unknown = [h for h in headers if normalise_header(h) not in known]
    if layout:
        report.notes.append(f"Recognised by its columns as {layout.name}.")
        if unknown:
            report.notes.append(f"Columns that release does not have: {', '.join(unknown)}.")
    else:
        names = "; ".join(m.name for m in layouts)
        report.notes.append(
            f"Its columns match no release the portal knows ({names}); it was read by the column names it shares"
            + (f". Columns no known release has: {', '.join(unknown)}." if unknown else ".")
        )
    return layout
