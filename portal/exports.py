"""Every CSV and XLSX the portal gives out is written here, so none can carry a live formula.

Text that a spreadsheet would read as a formula (it begins with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return: OWASP's "CSV injection") is neutralised the way OWASP advises, by
a leading single quote: in a CSV the quote is written in front of the text; in an XLSX every
text cell is stored as text (openpyxl would otherwise store a string beginning with ``=`` as
a formula) and a dangerous one also gets Excel's own "quote prefix", the hidden apostrophe
Excel sets when someone types ``'=...``, so the cell shows the text as typed and stays text
when edited. Only text is touched: numbers, money, dates and negative numbers go out as
numbers (a text that is just a number, such as the API's ``"-1.50"``, is left as it is, since
it cannot be a formula), so the figures still add up.

``restore_cell`` undoes the CSV quote when one of our files comes back as an upload.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: What a spreadsheet takes as the start of a formula (OWASP, CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
#: Characters XML 1.0 cannot carry (openpyxl refuses them); dropped from XLSX text.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_TITLE_REFUSED = re.compile(r"[\\*?:/\[\]]")
_NUMERIC = (int, float, Decimal)


def is_formula_like(value: Any) -> bool:
    """True for text a spreadsheet would run as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and not _NUMBER.fullmatch(value)


def neutralise_cell(value: Any) -> Any:
    """``value`` with a single quote in front if it is text a spreadsheet would run; else unchanged."""
    return "'" + value if is_formula_like(value) else value


def restore_cell(value: Any) -> Any:
    """An uploaded cell as it was before ``neutralise_cell`` (a CSV of ours coming back)."""
    if isinstance(value, str) and value.startswith("'") and is_formula_like(value[1:]):
        return value[1:]
    return value


def _csv_text(value: Any, convert: Callable[[Any], Any] | None) -> Any:
    if isinstance(value, str):
        return neutralise_cell(value)
    if value is None:
        return ""
    return convert(value) if convert is not None else value


def write_csv(
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    bom: bool = True,
    convert: Callable[[Any], Any] | None = None,
) -> bytes:
    """A CSV in UTF-8 (with a byte order mark for Excel unless ``bom`` is False), CRLF lines.

    ``convert`` turns a value that is not text (a float, a date) into what the file shows;
    text is never passed to it, so it cannot undo the neutralising.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_csv_text(h, None) for h in headers])
    for row in rows:
        writer.writerow([_csv_text(v, convert) for v in row])
    return out.getvalue().encode("utf-8-sig" if bom else "utf-8")


@dataclass
class Sheet:
    """One worksheet of an XLSX: a bold header row, then ``rows``."""

    title: str
    headers: Sequence[Any]
    rows: Iterable[Sequence[Any]]


def _sheet_title(title: str, index: int) -> str:
    cleaned = _SHEET_TITLE_REFUSED.sub("-", str(title or "")).strip()[:31]
    return cleaned or f"Sheet{index + 1}"


def _put(cell, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or isinstance(value, _NUMERIC) or isinstance(value, dt.date | dt.datetime | dt.time):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            value = value.replace(tzinfo=None)  # Excel has no time zones; the portal's are local time
        cell.value = value
        return
    text = _NOT_IN_XML.sub("", str(value))
    cell.value = text
    cell.data_type = "s"  # openpyxl makes any str beginning with '=' a formula unless told
    if is_formula_like(text):
        cell.quotePrefix = True


def write_xlsx(*sheets: Sheet) -> bytes:
    """An XLSX of one or more sheets; text is stored as text, numbers and dates as themselves."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for index, sheet in enumerate(sheets):
        worksheet = workbook.create_sheet(_sheet_title(sheet.title, index))
        for column, header in enumerate(sheet.headers, start=1):
            cell = worksheet.cell(row=1, column=column)
            _put(cell, header)
            cell.font = bold
            width = max(12, min(40, len(str(header or "")) + 2))
            worksheet.column_dimensions[cell.column_letter].width = width
        for row_number, row in enumerate(sheet.rows, start=2):
            for column, value in enumerate(row, start=1):
                _put(worksheet.cell(row=row_number, column=column), value)
        worksheet.freeze_panes = "A2"
    if not sheets:
        workbook.create_sheet("Sheet1")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_table(
    *,
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    file_format: str,
    title: str = "Sheet1",
    bom: bool = True,
    convert: Callable[[Any], Any] | None = None,
) -> bytes:
    """One table as CSV or XLSX."""
    if file_format not in FORMATS:
        raise ValueError(f"Write one of {FORMATS}.")
    if file_format == "csv":
        return write_csv(headers, rows, bom=bom, convert=convert)
    return write_xlsx(Sheet(title, headers, rows))


def write_dataset(data, file_format: str, *, bom: bool = True) -> bytes:
    """A ``tablib.Dataset`` (or, as XLSX, a ``tablib.Databook``) as CSV or XLSX, through the writers here.

    tablib's own export writes a text beginning with '=' as a live formula; never call it for a download.
    """
    if file_format not in FORMATS:
        raise ValueError(f"Write one of {FORMATS}.")
    datasets = data.sheets() if hasattr(data, "sheets") else [data]
    if file_format == "csv":
        if len(datasets) != 1:
            raise ValueError("A CSV holds one table.")
        return write_csv(datasets[0].headers or [], list(datasets[0]), bom=bom)
    return write_xlsx(*(Sheet(d.title or "", d.headers or [], list(d)) for d in datasets))


def download(content: bytes, *, file_format: str, filename: str, content_type: str | None = None) -> HttpResponse:
    """A file download: ``filename`` is used as given (the caller slugifies it)."""
    response = HttpResponse(content, content_type=content_type or CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
