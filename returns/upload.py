"""Reading an uploaded return, and writing the template a practice downloads to fill in.

Files are CSV or XLSX and at most ``MAX_UPLOAD_BYTES``. An XLSX is opened read-only with
openpyxl, which never runs formulas or macros: a formula cell is read as the value the
spreadsheet saved with it. Macro-enabled workbooks (.xlsm) are refused outright.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import PurePath

from portal import exports

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
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


def read_upload(*, content: bytes, filename: str) -> UploadTable:
    """Read the first sheet of an XLSX, or a CSV in UTF-8; blank rows are skipped."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise UploadFileError(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
    suffix = PurePath(filename).suffix.lower().lstrip(".")
    if suffix in {"xlsm", "xls", "xlsb"}:
        raise UploadFileError(
            "Save the file as an .xlsx workbook (without macros) or as CSV: .xlsm, .xls and .xlsb are not accepted."
        )
    if suffix not in FORMATS:
        raise UploadFileError("Upload the return as an .xlsx or .csv file.")
    try:
        raw_rows = _csv_rows(content) if suffix == "csv" else _xlsx_rows(content)
    except UploadFileError:
        raise
    except UnicodeDecodeError:
        raise UploadFileError("The CSV file is not in UTF-8: save it again as 'CSV UTF-8'.") from None
    except Exception as exc:  # a broken zip, XML the parser refuses, a truncated file
        raise UploadFileError(f"The file could not be read as a spreadsheet ({exc.__class__.__name__}).") from exc
    if not raw_rows:
        raise UploadFileError("The file is empty.")
    headers = [_clean_header(h) for h in raw_rows[0]]
    table = UploadTable(headers=headers)
    for number, values in enumerate(raw_rows[1:], start=2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        padded = list(values) + [None] * (len(headers) - len(values))
        cells = zip(headers, padded, strict=False)
        table.rows.append((number, {h: exports.restore_cell(v) for h, v in cells if h}))
    return table


def _csv_rows(content: bytes) -> list[list]:
    text = content.decode("utf-8-sig")
    return [row for row in csv.reader(io.StringIO(text))]


def _xlsx_rows(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    # data_only: a formula cell gives the value saved with it; nothing is calculated.
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True, keep_vba=False)
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def write_table(*, headers: list[str], rows: list[list], file_format: str, sheet_title: str = "Return") -> bytes:
    """A template or an export: a header row, then ``rows`` (formula-safe, see ``portal.exports``)."""
    if file_format not in FORMATS:
        raise ValueError(f"Write one of {FORMATS}.")
    return exports.write_table(headers=headers, rows=rows, file_format=file_format, title=sheet_title)
