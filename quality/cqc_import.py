"""Import CQC ratings from a CSV in the CQC's published "latest ratings" layout, all or nothing.

The CQC publishes one row per location, population group and key question ("domain"). The
columns read (matched by name, case and punctuation ignored; others are left alone):

    Location ID, Location Name, Location ODS Code, Provider ID, Provider Name,
    Service / Population Group, Key Question (or Domain), Latest Rating, Publication Date,
    Inspection Date (not in the CQC's file; add it if you know it), URL

Required: Location ODS Code, Key Question, Latest Rating, Publication Date. Only the
location's own ratings are kept: rows of a population group other than "Overall" (older
people, families, children and young people, ...) are skipped. Key questions are Overall,
Safe, Effective, Caring, Responsive and Well-led; ratings are Outstanding, Good, Requires
improvement or Inadequate ("Insufficient evidence to rate" and "No published rating" leave
the key question unrated). Dates may be written 2018-03-31, 31/03/2018 or 31-Mar-2018.

Rows are matched to practices by ODS code. A row of a practice outside the CCGs the person
importing commissions is skipped and counted. The rows of one practice with one publication
date make one ``CQCInspection``: created if new, else its ratings updated. Every bad row is
reported with its line and column; if there is any, nothing is saved.

The file is read a row at a time, as it is checked, within ``CQC_LIMITS``; a file that goes
past one is refused with that reason alone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from portal.spreadsheets import SpreadsheetLimits
from practices.models import Practice
from practices.reference.columns import Column, ReferenceFileError, Row, Table, iter_table, parse_date

from .models import CQCInspection, Rating

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
#: The CQC's file of GP locations is about 7,000 locations by six key questions and the
#: population groups: tens of thousands of rows, a few MB. These leave room for every sector.
CQC_LIMITS = SpreadsheetLimits(
    max_bytes=MAX_UPLOAD_BYTES,
    max_rows=300_000,
    max_columns=256,
    max_cells=10_000_000,
    max_unpacked_bytes=0,  # a CSV: nothing to unpack
    max_seconds=60,
)

COLUMNS = [
    Column("Location ODS Code", ("ODS Code", "Location ODS", "Practice Code")),
    Column("Key Question", ("Domain", "Key Question Domain")),
    Column("Latest Rating", ("Rating", "Overall Rating")),
    Column("Publication Date", ("Latest Publication Date", "Report Publication Date", "Date Published")),
    Column("Service / Population Group", ("Population Group", "Service Population Group"), required=False),
    Column("Inspection Date", ("Date of Inspection", "Inspection"), required=False),
    Column("Location ID", ("CQC Location ID",), required=False),
    Column("URL", ("Report URL", "Location URL"), required=False),
]

KEY_QUESTIONS = {
    "OVERALL": "overall",
    "SAFE": "safe",
    "EFFECTIVE": "effective",
    "CARING": "caring",
    "RESPONSIVE": "responsive",
    "WELL-LED": "well_led",
    "WELL LED": "well_led",
    "WELLLED": "well_led",
}
RATINGS = {label.upper(): value for value, label in Rating.choices}
NOT_RATED = {"INSUFFICIENT EVIDENCE TO RATE", "NO PUBLISHED RATING", "NOT RATED", ""}
OVERALL_GROUP = "OVERALL"


@dataclass(frozen=True)
class CQCRowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}, {self.column}: {self.message}"


@dataclass
class CQCImportResult:
    errors: list[CQCRowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_population_groups: int = 0
    skipped_other_ccgs: int = 0
    saved: bool = False

    @property
    def summary(self) -> str:
        if self.errors:
            n = len(self.errors)
            return f"Nothing was imported: {n} problem{'' if n == 1 else 's'} in the file."
        text = (
            f"{self.created:,} inspection{'' if self.created == 1 else 's'} added, {self.updated:,} updated, "
            f"{self.unchanged:,} unchanged."
        )
        if self.skipped_other_ccgs:
            text += f" {self.skipped_other_ccgs:,} rows of practices outside your CCGs were skipped."
        if self.skipped_population_groups:
            text += f" {self.skipped_population_groups:,} population-group rows were skipped."
        return text


def _read(upload, name: str | None = None) -> Table:
    """The file's table, its rows read as they are checked; ``upload`` is a path or an open file."""
    if isinstance(upload, (str, Path)):
        return iter_table(upload, COLUMNS, limits=CQC_LIMITS)
    name = name or Path(getattr(upload, "name", None) or "ratings.csv").name
    return iter_table(upload, COLUMNS, name=name, limits=CQC_LIMITS)


def _rows(table: Table, refused: list[str]) -> Iterator[Row]:
    """The table's rows until the file goes past a limit; then its reason goes in ``refused``."""
    try:
        yield from table.rows
    except ReferenceFileError as exc:
        refused.append(str(exc))


def cqc_ratings_import(
    *,
    upload,
    practices,
    user=None,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    name: str | None = None,
) -> CQCImportResult:
    """Check the whole file, then save it if every row is good (``practices``: those the user may change).
    ``progress`` is called with the line of each row read; ``name`` is the file's in messages."""
    result = CQCImportResult()
    try:
        table = _read(upload, name)
    except ReferenceFileError as exc:
        result.errors.append(CQCRowError(1, "File", str(exc)))
        return result
    allowed = {p.ods_code: p for p in practices}
    known = set(Practice.objects.values_list("ods_code", flat=True))
    found: dict[tuple[str, dt.date], dict] = defaultdict(dict)
    first_line: dict[tuple[str, dt.date, str], tuple[int, str]] = {}

    def error(line: int, column: str, message: str) -> None:
        result.errors.append(CQCRowError(line, table.heading(column), message))

    refused: list[str] = []
    for row in _rows(table, refused):
        if progress is not None:
            progress(row.line)
        group = row["Service / Population Group"].strip().upper()
        if group and group != OVERALL_GROUP:
            result.skipped_population_groups += 1
            continue
        code = row["Location ODS Code"].strip().upper()
        if not code:
            error(row.line, "Location ODS Code", "is empty")
            continue
        if code not in allowed:
            if code in known:
                result.skipped_other_ccgs += 1
            else:
                error(row.line, "Location ODS Code", f"no practice in the portal has the ODS code '{code}'")
            continue
        ok = True
        question = KEY_QUESTIONS.get(row["Key Question"].strip().upper())
        if question is None:
            error(row.line, "Key Question", f"'{row['Key Question']}' is not Overall, Safe, Effective, Caring,"
                  " Responsive or Well-led")  # fmt: skip
            ok = False
        text = row["Latest Rating"].strip().upper()
        rating = RATINGS.get(text, "" if text in NOT_RATED else None)
        if rating is None:
            error(row.line, "Latest Rating", f"'{row['Latest Rating']}' is not Outstanding, Good, Requires"
                  " improvement or Inadequate")  # fmt: skip
            ok = False
        try:
            published = parse_date(row["Publication Date"]) if row["Publication Date"] else None
            if published is None:
                error(row.line, "Publication Date", "is empty")
                ok = False
        except ValueError as exc:
            error(row.line, "Publication Date", str(exc))
            ok = False
            published = None
        inspected = None
        if row["Inspection Date"]:
            try:
                inspected = parse_date(row["Inspection Date"])
            except ValueError as exc:
                error(row.line, "Inspection Date", str(exc))
                ok = False
        if published and inspected and inspected > published:
            error(row.line, "Inspection Date", "is after the publication date")
            ok = False
        if not ok:
            continue
        key = (code, published, question)
        if key in first_line and first_line[key][1] != rating:
            error(row.line, "Latest Rating", f"{code} has a different {question.replace('_', '-')} rating for the"
                  f" same publication date on line {first_line[key][0]}")  # fmt: skip
            continue
        first_line.setdefault(key, (row.line, rating))
        report = found[(code, published)]
        report[question] = rating
        if inspected:
            report["inspection_date"] = inspected
        if row["Location ID"]:
            report["location_id"] = row["Location ID"].strip()[:20]
        if row["URL"]:
            report["report_url"] = row["URL"].strip()[:200]

    if refused:
        result.errors = [CQCRowError(1, "File", refused[0])]
    if result.errors:
        return result
    with transaction.atomic():
        existing = {
            (i.practice.ods_code, i.publication_date): i
            for i in CQCInspection.objects.filter(practice__in=list(allowed.values())).select_related("practice")
        }
        for (code, published), values in found.items():
            inspection = existing.get((code, published))
            if inspection is None:
                inspection = CQCInspection(
                    practice=allowed[code], publication_date=published, source=CQCInspection.Source.IMPORT
                )
                result.created += 1
            elif all(getattr(inspection, name) == value for name, value in values.items()):
                result.unchanged += 1
                continue
            else:
                result.updated += 1
            for name, value in values.items():
                setattr(inspection, name, value)
            inspection._history_user = user
            inspection.save()
        if dry_run:
            transaction.set_rollback(True)
    result.saved = not dry_run
    return result
