"""Reading an uploaded spreadsheet or CSV one row at a time, within stated limits.

Every reader of a file from outside goes through :func:`read_rows`: a return upload, the
action tracker, the CQC ratings and the national reference files. Each states its own
:class:`SpreadsheetLimits` (bytes, rows, columns, cells, characters in a cell and in a CSV
row, the unpacked size of an XLSX, seconds); the first limit a file passes stops the reading
with a :class:`SpreadsheetError` whose message names the limit and can be shown as it is.
Only the rows read so far are ever held: a file is refused as soon as it goes too far.

An XLSX is a zip of XML files, and its sheet may declare its own size
(``<dimension ref="A1:XFD1048576"/>``), which openpyxl's read-only mode pads every row to
(and every missing row up to a far one): 6 KB then makes billions of empty cells. So the
declared size is ignored. Before openpyxl reads anything, the zip's members are checked
against their unpacked size (a zip bomb unpacks kilobytes into gigabytes); then the first
sheet's XML is counted, row by row and cell by cell in constant memory, so that a row far
down or a cell far right is refused before any row is built; only then does openpyxl read
the values, bounded to the rows and columns that hold one (read-only, saved values only:
formulas never run). A CSV is decoded as a stream and handed to :mod:`csv` a line at a time,
a row at most ``max_row_characters`` long.

The function takes bytes, a path or a binary file, so a Celery job can call it as a view does.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import time
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from defusedxml.ElementTree import iterparse  # refuses DTDs and entities (billion laughs)
from openpyxl.utils import column_index_from_string, get_column_letter

Source = bytes | str | Path | BinaryIO

FORMATS = ("xlsx", "csv")
#: The most characters Excel itself keeps in one cell.
EXCEL_CELL_CHARACTERS = 32_767
ENCODING_NAMES = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "cp1252": "Windows-1252"}
#: How often (in cells) the XML count looks at the clock.
_CLOCK_EVERY = 1024
_CHUNK_BYTES = 1024 * 1024
_COORDINATE = re.compile(r"^\$?([A-Za-z]{1,3})\$?\d*$")

#: Processor time of this thread: a deadline counts the work a file makes, not the time a busy
#: server takes to get round to it, so load never refuses a good file. Tests put in a fast clock.
_now = time.thread_time


class SpreadsheetError(Exception):
    """The file cannot be read: broken, in the wrong encoding, or past one of its limits.

    ``limit`` names the limit passed ("bytes", "rows", "columns", "cells", "cell characters",
    "row characters", "unpacked bytes", "seconds"), or is empty when the file is unreadable.
    """

    def __init__(self, message: str, *, limit: str = "") -> None:
        super().__init__(message)
        self.limit = limit


@dataclass(frozen=True, kw_only=True)
class SpreadsheetLimits:
    """The most a reader takes from one file.

    Rows count from the first, the header and blank rows included; columns are those a row
    has a value in (an XLSX) or its fields (a CSV); cells are every cell the sheet's XML
    holds, or every CSV field.
    """

    max_bytes: int
    max_rows: int
    max_columns: int
    max_cells: int
    #: Seconds of processor time spent reading.
    max_seconds: float
    #: The XLSX's zip members unpacked, all together.
    max_unpacked_bytes: int
    max_cell_characters: int = EXCEL_CELL_CHARACTERS
    #: One CSV row, its lines together (``csv`` builds a whole row before it can be counted).
    max_row_characters: int = 1024 * 1024


def describe_bytes(count: int) -> str:
    """``2 MB``, ``512 KB``: how a limit in bytes is written in messages and help texts."""
    if count >= 1024 * 1024 and count % (1024 * 1024) == 0:
        return f"{count // (1024 * 1024):,} MB"
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):,.1f} MB"
    return f"{max(1, count // 1024):,} KB"


def read_rows(
    source: Source,
    *,
    file_format: str,
    limits: SpreadsheetLimits,
    encodings: Sequence[str] = ("utf-8-sig",),
    line_numbers: bool = False,
    sheet: str | None = None,
) -> Iterator[tuple[int, list]]:
    """(row number, values) for each row of the file (the first sheet of an XLSX, or the one
    named ``sheet``) that is not blank.

    An XLSX row's number is its row in the sheet, its trailing empty cells left off; its values
    are what the spreadsheet saved (numbers, dates, text, ``None`` for an empty cell). A CSV
    row's values are its fields as text; it is numbered by its place in the file, or with
    ``line_numbers`` by the line it starts on. A CSV is tried in each of ``encodings`` in turn.
    Raises :class:`SpreadsheetError` as soon as the file passes a limit.
    """
    if file_format not in FORMATS:
        raise ValueError(f"Read one of {FORMATS}, not {file_format!r}.")
    if file_size(source) > limits.max_bytes:
        raise SpreadsheetError(f"The file is larger than {describe_bytes(limits.max_bytes)}.", limit="bytes")
    deadline = _Deadline(limits.max_seconds)
    if file_format == "csv":
        yield from _csv_rows(source, limits, deadline, tuple(encodings), line_numbers)
    else:
        yield from _xlsx_rows(source, limits, deadline, sheet)


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = _now() + seconds

    def check(self) -> None:
        if _now() > self.at:
            raise SpreadsheetError(
                f"The file took more than {self.seconds:g} seconds to read, the most allowed: it is too large or"
                " too complicated. Remove what is not needed (other sheets, formatting, empty rows) and try again.",
                limit="seconds",
            )


def _too_many_rows(limits: SpreadsheetLimits) -> SpreadsheetError:
    return SpreadsheetError(
        f"The file goes on past row {limits.max_rows:,}: at most {limits.max_rows:,} rows are read. If the rows"
        " after your data look empty, delete them and try again.",
        limit="rows",
    )


def _too_many_columns(limits: SpreadsheetLimits, row: int) -> SpreadsheetError:
    return SpreadsheetError(
        f"Row {row:,} goes on past column {get_column_letter(limits.max_columns)}: at most {limits.max_columns:,}"
        " columns are read. If the columns after your data look empty, delete them and try again.",
        limit="columns",
    )


def _too_many_cells(limits: SpreadsheetLimits) -> SpreadsheetError:
    return SpreadsheetError(
        f"The file has more than {limits.max_cells:,} cells: at most {limits.max_cells:,} are read.",
        limit="cells",
    )


def _too_long_a_cell(limits: SpreadsheetLimits, row: int) -> SpreadsheetError:
    return SpreadsheetError(
        f"Row {row:,} has a cell of more than {limits.max_cell_characters:,} characters: at most"
        f" {limits.max_cell_characters:,} are read in one cell.",
        limit="cell characters",
    )


def file_size(source: Source) -> int:
    """The size of the file in bytes, without reading it."""
    if isinstance(source, bytes | bytearray | memoryview):
        return len(source)
    if isinstance(source, str | Path):
        return Path(source).stat().st_size  # OSError for a missing file: the caller says which
    size = getattr(source, "size", None)
    if isinstance(size, int):
        return size
    position = source.tell()
    end = source.seek(0, io.SEEK_END)
    source.seek(position)
    return end


@contextmanager
def _opened(source: Source) -> Iterator[BinaryIO]:
    """The source as a binary file from its start; a file passed in is left open."""
    if isinstance(source, bytes | bytearray | memoryview):
        yield io.BytesIO(source)
    elif isinstance(source, str | Path):
        with open(source, "rb") as handle:
            yield handle
    else:
        if hasattr(source, "seek"):
            source.seek(0)
        yield source


# CSV


def _csv_rows(
    source: Source, limits: SpreadsheetLimits, deadline: _Deadline, encodings: tuple[str, ...], line_numbers: bool
) -> Iterator[tuple[int, list]]:
    encoding = encodings[0] if len(encodings) == 1 else _encoding_of(source, encodings, deadline)
    cells = 0
    with _opened(source) as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        budget = _RowBudget(limits)
        reader = csv.reader(budget.lines(text))
        start = 1
        try:
            for number, fields in enumerate(reader, start=1):
                budget.used = 0
                deadline.check()
                if number > limits.max_rows:
                    raise _too_many_rows(limits)
                shown = start if line_numbers else number
                if len(fields) > limits.max_columns:
                    raise _too_many_columns(limits, shown)
                cells += len(fields)
                if cells > limits.max_cells:
                    raise _too_many_cells(limits)
                if any(len(f) > limits.max_cell_characters for f in fields):
                    raise _too_long_a_cell(limits, shown)
                if any(f.strip() for f in fields):
                    yield shown, fields
                start = reader.line_num + 1
        except UnicodeDecodeError:
            raise SpreadsheetError(_encoding_message(encodings), limit="encoding") from None
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise _too_long_a_cell(limits, reader.line_num) from None
            raise SpreadsheetError(f"Line {reader.line_num:,} is not valid CSV: {exc}.") from exc
        finally:
            if not text.closed:
                text.detach()  # a file passed in stays open for its owner


class _RowBudget:
    """Feeds ``csv`` whole lines and stops a row (its lines since the last row) growing too long."""

    def __init__(self, limits: SpreadsheetLimits) -> None:
        self.limits = limits
        self.used = 0
        self.line = 0

    def lines(self, text: io.TextIOWrapper) -> Iterator[str]:
        most = self.limits.max_row_characters
        while line := text.readline(most + 1):
            self.line += 1
            self.used += len(line)
            if self.used > most:
                raise SpreadsheetError(
                    f"Line {self.line:,} is part of a row longer than {most:,} characters: at most {most:,} are"
                    " read in one row.",
                    limit="row characters",
                )
            yield line


def _encoding_of(source: Source, encodings: tuple[str, ...], deadline: _Deadline) -> str:
    """The first of ``encodings`` the whole file decodes in, read a chunk at a time."""
    for encoding in encodings:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with _opened(source) as raw:
                while chunk := raw.read(_CHUNK_BYTES):
                    decoder.decode(chunk)
                    deadline.check()
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError(_encoding_message(encodings), limit="encoding")


def _encoding_message(encodings: tuple[str, ...]) -> str:
    names = list(dict.fromkeys(ENCODING_NAMES.get(e, e) for e in encodings))
    if names == ["UTF-8"]:
        return "The CSV file is not in UTF-8: save it again as 'CSV UTF-8'."
    return f"The file is neither {' nor '.join(names)} text."


# XLSX


def _xlsx_rows(
    source: Source, limits: SpreadsheetLimits, deadline: _Deadline, sheet_name: str | None = None
) -> Iterator[tuple[int, list]]:
    from openpyxl import load_workbook

    with _opened(source) as stream:
        try:
            archive = zipfile.ZipFile(stream)
            unpacked = sum(member.file_size for member in archive.infolist())
            if unpacked > limits.max_unpacked_bytes:
                raise SpreadsheetError(
                    f"The workbook unpacks to more than {describe_bytes(limits.max_unpacked_bytes)}, the most read"
                    f" ({describe_bytes(unpacked)}). Save only the sheet you need, without images or formatting,"
                    " and try again.",
                    limit="unpacked bytes",
                )
            # data_only: a formula cell gives the value saved with it; nothing is calculated.
            workbook = load_workbook(stream, read_only=True, data_only=True, keep_vba=False)
        except SpreadsheetError:
            raise
        except Exception as exc:  # not a zip, XML the parser refuses, a truncated file
            raise _unreadable(exc) from exc
        try:
            deadline.check()
            if sheet_name is not None and sheet_name not in workbook.sheetnames:
                raise SpreadsheetError(
                    f"The workbook has no sheet called '{sheet_name}'."
                    f" Its sheets are: {', '.join(workbook.sheetnames)}."
                )
            if not workbook.worksheets:
                return
            sheet = workbook[sheet_name] if sheet_name is not None else workbook.worksheets[0]
            sheet.reset_dimensions()  # the declared size is ignored; the rows read are bounded below
            try:
                # A ReadOnlyWorksheet's own sheet XML (openpyxl 3.1 keeps the member's name here).
                with archive.open(sheet._worksheet_path) as xml:
                    last_row, width = _count_sheet(xml, limits, deadline)
            except SpreadsheetError:
                raise
            except Exception as exc:
                raise _unreadable(exc) from exc
            if not last_row:
                return
            rows = sheet.iter_rows(min_row=1, max_row=last_row, min_col=1, max_col=width, values_only=True)
            for number, values in enumerate(rows, start=1):
                deadline.check()
                values = list(values)
                while values and values[-1] is None:
                    values.pop()
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                    continue
                if any(isinstance(v, str) and len(v) > limits.max_cell_characters for v in values):
                    raise _too_long_a_cell(limits, number)
                yield number, values
        finally:
            workbook.close()
            archive.close()


def _unreadable(exc: Exception) -> SpreadsheetError:
    return SpreadsheetError(f"The file could not be read as a spreadsheet ({exc.__class__.__name__}).")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _count_sheet(xml: BinaryIO, limits: SpreadsheetLimits, deadline: _Deadline) -> tuple[int, int]:
    """The last row and the widest column that hold a value, counting the sheet's XML in constant memory.

    Refuses a value past the row or column limit, and more cells (with a value or not) than the
    cell limit, as soon as it meets one. Each row is dropped from the tree once counted.
    """
    last_row = width = cells = 0
    row_number = column = 0
    sheet_data = row = None
    valued = False
    for event, element in iterparse(xml, events=("start", "end")):
        tag = _local(element.tag)
        if event == "start":
            if tag == "c":
                cells += 1
                if cells > limits.max_cells:
                    raise _too_many_cells(limits)
                if cells % _CLOCK_EVERY == 0:
                    deadline.check()
                reference = element.get("r")
                if reference:
                    match = _COORDINATE.match(reference)
                    if match is None:
                        raise SpreadsheetError(f"The sheet names a cell '{reference[:20]}', which is not a cell.")
                    column = column_index_from_string(match.group(1).upper())
                else:
                    column += 1
                valued = False
            elif tag == "row":
                reference = element.get("r")
                row_number = int(float(reference)) if reference else row_number + 1
                column = 0
                row = element
            elif tag == "sheetData":
                sheet_data = element
        elif tag in ("v", "is"):
            valued = valued or tag == "is" or bool(element.text)
        elif tag == "c":
            if valued:
                if row_number > limits.max_rows:
                    raise _too_many_rows(limits)
                if column > limits.max_columns:
                    raise _too_many_columns(limits, row_number)
                last_row = max(last_row, row_number)
                width = max(width, column)
            if row is not None:
                del row[:]  # the row keeps no cells it has counted
        elif tag == "row":
            element.clear()
            if sheet_data is not None:
                del sheet_data[:]
            row = None
            deadline.check()
        elif tag == "sheetData":
            break
    return last_row, width
