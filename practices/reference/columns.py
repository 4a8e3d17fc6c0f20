"""Reading published CSV files tolerantly: encodings, header spellings and date formats.

Publishers rename and re-case columns between releases (``CODE`` becomes ``PRACTICE_CODE``,
``CCG_CODE`` becomes ``SUB_ICB_LOCATION_CODE``), add or drop a byte-order mark, and switch
between CRLF and LF. Every reference import reads its file through :func:`read_table`, which
matches each wanted column against its aliases and fails, before anything is written, with
an error that names the column it could not find. Files are read a row at a time by the
portal's one spreadsheet reader (``portal.spreadsheets``) within ``REFERENCE_FILE_LIMITS``:
national files are large, so their limits are far above those of a person's upload.
A workbook (ODS's ePCN.xlsx) is read a sheet at a time by :func:`read_sheet`, its cells as
the text a CSV would hold and its rows numbered as Excel numbers them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from portal.spreadsheets import SpreadsheetError, SpreadsheetLimits, read_rows

ENCODINGS = ("utf-8-sig", "cp1252")
#: The largest national file read here (epraccur, 3 MB, 14,357 rows) many times over.
REFERENCE_FILE_LIMITS = SpreadsheetLimits(
    max_bytes=500 * 1024 * 1024,
    max_rows=5_000_000,
    max_columns=1_000,
    max_cells=100_000_000,
    max_unpacked_bytes=500 * 1024 * 1024,
    max_seconds=15 * 60,
)


class ReferenceFileError(Exception):
    """The file cannot be read at all: missing, the wrong format, or a required column missing."""


def normalise_header(name: str) -> str:
    """``' Practice Code '`` and ``'practice-code'`` both become ``'PRACTICE_CODE'``."""
    name = name.replace("\ufeff", "").strip().upper()
    return re.sub(r"[^0-9A-Z]+", "_", name).strip("_")


@dataclass(frozen=True)
class Column:
    """One column an import needs, under its current name and the names it has had before."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = True

    @property
    def spellings(self) -> tuple[str, ...]:
        return tuple(normalise_header(n) for n in (self.name, *self.aliases))


@dataclass
class Row:
    """One data row: its line number as a person counts it (the header is line 1) and its values."""

    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass
class LeftOutColumn:
    """A column of the file that the import does not read, and the sum of its values if all are numbers.

    ``total`` is ``None`` once a value is not a number (a name, a date, '#DIV/0!'): only a
    numeric column has a total worth saying. Blanks count as nothing.
    """

    heading: str
    position: int
    total: Decimal | None = Decimal(0)
    numbers: int = 0

    def add(self, text: str) -> None:
        if self.total is None or not text:
            return
        cleaned = text.replace(",", "").replace("£", "")
        if not NUMBER.fullmatch(cleaned):
            self.total = None
            return
        self.total += Decimal(cleaned)
        self.numbers += 1

    @property
    def is_numeric(self) -> bool:
        """All numbers, and not dates or codes written as digits (20190701, a year), whose sum means nothing."""
        name = normalise_header(self.heading)
        return self.total is not None and self.numbers > 0 and not NOT_AMOUNTS.search(name)


NUMBER = re.compile(r"-?\d+(\.\d+)?")
NOT_AMOUNTS = re.compile(r"(^|_)(DATE|CODE|YEAR|PERIOD|ID|YYYYMMDD)(_|$)")


@dataclass
class Table:
    """The rows of a file, keyed by the wanted column names, with the file's own headings kept."""

    path: Path
    #: A list, or (from :func:`iter_table`) the rows as the file is read, once.
    rows: Iterable[Row]
    headings: dict[str, str] = field(default_factory=dict)
    #: Every heading of the file's header row, as the file spells them, wanted or not.
    file_headings: list[str] = field(default_factory=list)
    #: The columns no wanted column matched, in file order, each totalled as the rows are read.
    left_out: list[LeftOutColumn] = field(default_factory=list)

    def heading(self, column: str) -> str:
        """The column's name as the file spells it, for messages to the person importing."""
        return self.headings.get(column, column)


def _records(
    source: Path | str | BinaryIO | bytes, name: str, limits: SpreadsheetLimits
) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) for each non-blank record; csv handles CRLF, LF and quoted commas."""
    try:
        for line, fields in read_rows(source, file_format="csv", limits=limits, encodings=ENCODINGS, line_numbers=True):
            yield line, [f.strip() for f in fields]
    except OSError as exc:
        raise ReferenceFileError(f"Cannot read {source}: {exc.strerror or exc}.") from exc
    except SpreadsheetError as exc:
        message = str(exc)  # "The file is ..." becomes "epraccur.csv is ..."
        named = f"{name} {message[9:]}" if message.startswith("The file ") else f"{name}: {message}"
        raise ReferenceFileError(named) from exc


def _name(source, name: str | None) -> str:
    if name:
        return name
    if isinstance(source, str | Path):
        return Path(source).name
    return Path(getattr(source, "name", None) or "the file").name


def match_columns(headers: Sequence[str], columns: Sequence[Column], *, file_name: str) -> dict[str, int]:
    """The position of each wanted column in ``headers``; raises naming the first required one missing."""
    positions: dict[str, int] = {}
    for position, header in enumerate(headers):
        positions.setdefault(normalise_header(header), position)
    found: dict[str, int] = {}
    for column in columns:
        position = next((positions[s] for s in column.spellings if s in positions), None)
        if position is not None:
            found[column.name] = position
        elif column.required:
            also = f" (or {', '.join(column.aliases)})" if column.aliases else ""
            raise ReferenceFileError(
                f"{file_name} has no {column.name} column{also}. Its header row reads: {', '.join(headers)}."
            )
    return found


def read_table(
    path: Path | str | BinaryIO | bytes,
    columns: Sequence[Column],
    *,
    name: str | None = None,
    limits: SpreadsheetLimits = REFERENCE_FILE_LIMITS,
) -> Table:
    """Read a CSV file with a header row, keeping only the wanted columns; the rows in a list."""
    table = iter_table(path, columns, name=name, limits=limits)
    table.rows = list(table.rows)
    return table


def iter_table(
    source: Path | str | BinaryIO | bytes,
    columns: Sequence[Column],
    *,
    name: str | None = None,
    limits: SpreadsheetLimits = REFERENCE_FILE_LIMITS,
) -> Table:
    """Like :func:`read_table`, but the rows come as the file is read (once), so only one is held.

    The header row is read, and its columns matched, before this returns.
    """
    name = _name(source, name)
    records = _records(source, name, limits)
    first = next(records, None)
    if first is None:
        raise ReferenceFileError(f"{name} is empty.")
    _, headers = first
    found = match_columns(headers, columns, file_name=name)
    left_out = left_out_columns(headers, found)
    path = Path(source) if isinstance(source, str | Path) else Path(name)
    return Table(
        path=path,
        rows=_rows(records, found, left_out),
        headings={column: headers[i] for column, i in found.items()},
        file_headings=[h for h in headers if h],
        left_out=left_out,
    )


def left_out_columns(headers: Sequence[str], found: dict[str, int]) -> list[LeftOutColumn]:
    used = set(found.values())
    return [LeftOutColumn(h, i) for i, h in enumerate(headers) if h and i not in used]


def _rows(records, found: dict[str, int], left_out: list[LeftOutColumn]) -> Iterator[Row]:
    for line, fields in records:
        for column in left_out:
            column.add(fields[column.position] if column.position < len(fields) else "")
        yield Row(line, {column: (fields[i] if i < len(fields) else "") for column, i in found.items()})


def read_positional(
    path: Path | str, names: Sequence[str], *, header_names: Sequence[str] = (), limits=REFERENCE_FILE_LIMITS
) -> Table:
    """Read a CSV file without a header row (ODS files), naming its columns by position.

    A first row whose first field is one of ``header_names`` is taken as a header and skipped,
    so a release that adds a header still reads.
    """
    path = Path(path)
    rows: list[Row] = []
    wanted = {normalise_header(h) for h in header_names}
    for line, fields in _records(path, path.name, limits):
        if not rows and line == 1 and normalise_header(fields[0]) in wanted:
            continue
        if len(fields) < len(names):
            raise ReferenceFileError(
                f"{path.name} line {line} has {len(fields)} columns;"
                f" this file should have {len(names)} columns and no header row."
            )
        rows.append(Row(line, dict(zip(names, fields, strict=False))))
    if not rows:
        raise ReferenceFileError(f"{path.name} has no data rows.")
    return Table(path=path, rows=rows)


def cell_text(value) -> str:
    """An XLSX cell as the text a CSV of it would hold: ``20191001``, ``2019-10-01``, ``TRUE``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_sheet(
    path: Path | str | BinaryIO | bytes,
    columns: Sequence[Column],
    *,
    sheet: str,
    name: str | None = None,
    limits: SpreadsheetLimits = REFERENCE_FILE_LIMITS,
) -> Table:
    """Read one named sheet of an XLSX workbook with a header row, like :func:`read_table`.

    Each row's ``line`` is its row in the sheet (the header is row 1), as Excel numbers it.
    """
    name = _name(path, name)
    records = []
    try:
        for line, values in read_rows(path, file_format="xlsx", limits=limits, sheet=sheet):
            records.append((line, [cell_text(v) for v in values]))
    except OSError as exc:
        raise ReferenceFileError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    except SpreadsheetError as exc:
        message = str(exc)
        named = f"{name} {message[9:]}" if message.startswith("The file ") else f"{name}: {message}"
        raise ReferenceFileError(named) from exc
    if not records:
        raise ReferenceFileError(f"{name}: the sheet '{sheet}' is empty.")
    _, headers = records[0]
    found = match_columns(headers, columns, file_name=f"{name} (sheet '{sheet}')")
    left_out = left_out_columns(headers, found)
    return Table(
        path=Path(path) if isinstance(path, str | Path) else Path(name),
        rows=list(_rows(records[1:], found, left_out)),
        headings={column: headers[i] for column, i in found.items()},
        file_headings=[h for h in headers if h],
        left_out=left_out,
    )


_MONTHS = {
    m: i for i, m in enumerate(("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1)
}
_DATE_FORMATS = (
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), ("y", "m", "d")),  # 20190401 (ODS)
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$"), ("y", "m", "d")),  # 2019-04-01
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: .*)?$"), ("d", "m", "y")),  # 01/04/2019 (British)
    (re.compile(r"^(\d{1,2})[- ]?([A-Za-z]{3})[A-Za-z]*[- ]?(\d{4})$"), ("d", "mon", "y")),  # 01JAN2021, 01-Jan-2021
)


def parse_date(value: str) -> dt.date:
    """A date as NHS files write it: ``20190401``, ``01JAN2021``, ``01May2022``, ``2021-01-01``, ``01/01/2021``.

    Raises ``ValueError`` with a message that can be shown to the person importing.
    """
    value = value.strip()
    for pattern, parts in _DATE_FORMATS:
        match = pattern.match(value)
        if not match:
            continue
        got = dict(zip(parts, match.groups(), strict=True))
        month = _MONTHS.get(got["mon"].upper()) if "mon" in got else int(got["m"])
        try:
            if month is None:
                raise ValueError
            return dt.date(int(got["y"]), month, int(got["d"]))
        except ValueError:
            break
    raise ValueError(f"'{value}' is not a date")


def parse_optional_date(value: str) -> dt.date | None:
    return parse_date(value) if value.strip() else None


def parse_count(value: str) -> int:
    """A whole number of people, allowing thousands separators; raises ``ValueError`` otherwise."""
    cleaned = value.strip().replace(",", "")
    if not re.fullmatch(r"\d+(\.0+)?", cleaned):
        raise ValueError(f"'{value}' is not a whole number")
    return int(cleaned.split(".")[0])
