"""Reading an uploaded return, and writing the template a practice downloads to fill in.

Files are CSV or XLSX within ``RETURN_LIMITS`` (at most ``MAX_UPLOAD_BYTES``), read a row at
a time by the portal's one spreadsheet reader (``portal.spreadsheets``), which refuses a file
as soon as it passes a limit and ignores the size an XLSX declares. An XLSX is opened
read-only with openpyxl, which never runs formulas or macros: a formula cell is read as the
value the spreadsheet saved with it. Macro-enabled workbooks (.xlsm) are refused outright.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import BinaryIO

from portal import exports
from portal.spreadsheets import SpreadsheetError, SpreadsheetLimits, describe_bytes, file_size, read_rows

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
#: A return is a template of tens of rows: these leave room for any return type, and no more.
RETURN_LIMITS = SpreadsheetLimits(
    max_bytes=MAX_UPLOAD_BYTES,
    max_rows=5_000,
    max_columns=256,
    max_cells=250_000,
    max_unpacked_bytes=40 * 1024 * 1024,
    max_seconds=10,
)
FORMATS = ("xlsx", "csv")
CONTENT_TYPES = exports.CONTENT_TYPES


class UploadFileError(Exception):
    """The file cannot be read as a return at all (wrong kind, too big, no header row)."""


@dataclass(frozen=True)
class RowError:
    """One problem in an uploaded file, by spreadsheet row (row 1 is the header) and column."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}, {self.column}" if self.row else self.column
        return f"{where}: {self.message}"


@dataclass
class UploadTable:
    """The rows of an uploaded file: each a spreadsheet row number and its cells by header."""

    headers: list[str]
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    #: Filled in by the return type's parser: the spreadsheet row of each grid row or question.
    lines: dict[str, int] = field(default_factory=dict)


def _clean_header(value) -> str:
    return " ".join(str(value).replace("\ufeff", "").split()) if value is not None else ""


def read_upload(*, content: bytes | BinaryIO, filename: str) -> UploadTable:
    """Read the first sheet of an XLSX, or a CSV in UTF-8; blank rows are skipped. Row 1 is the header."""
    if file_size(content) > MAX_UPLOAD_BYTES:
        raise UploadFileError(f"The file is larger than {describe_bytes(MAX_UPLOAD_BYTES)}.")
    suffix = PurePath(filename).suffix.lower().lstrip(".")
    if suffix in {"xlsm", "xls", "xlsb"}:
        raise UploadFileError(
            "Save the file as an .xlsx workbook (without macros) or as CSV: .xlsm, .xls and .xlsb are not accepted."
        )
    if suffix not in FORMATS:
        raise UploadFileError("Upload the return as an .xlsx or .csv file.")
    table = None
    try:
        for number, values in read_rows(content, file_format=suffix, limits=RETURN_LIMITS):
            if table is None:
                table = UploadTable(headers=[_clean_header(h) for h in values] if number == 1 else [])
                if number == 1:
                    continue
            padded = list(values) + [None] * (len(table.headers) - len(values))
            cells = zip(table.headers, padded, strict=False)
            table.rows.append((number, {h: exports.restore_cell(v) for h, v in cells if h}))
    except SpreadsheetError as exc:
        raise UploadFileError(str(exc)) from exc
    except Exception as exc:  # anything else the parser raises on a broken file
        raise UploadFileError(f"The file could not be read as a spreadsheet ({exc.__class__.__name__}).") from exc
    if table is None:
        raise UploadFileError("The file is empty.")
    return table


def write_table(*, headers: list, rows: list[list], file_format: str, sheet_title: str = "Return") -> bytes:
    """A template or an export: a header row (headings or ``portal.exports`` columns), then ``rows``."""
    if file_format not in FORMATS:
        raise ValueError(f"Write one of {FORMATS}.")
    return exports.write_table(headers=headers, rows=rows, file_format=file_format, title=sheet_title)
