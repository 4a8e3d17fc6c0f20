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

Each column is a ``Column``: a heading that names its unit ("Amount (£)") and a kind (``text``,
``date``, ``integer``, ``number``, ``money``; a plain heading is typed by its values). An XLSX
holds dates as Excel dates in "d mmm yyyy", numbers as numbers and money as a number in a £
format, with the header row frozen and the columns sized; it is written row by row (openpyxl's
write-only mode). A CSV holds ISO dates and plain numbers (no £, no thousands separators). A
yes-or-no value reads Yes or No in both, as the pages say it.

``restore_cell`` undoes the CSV quote when one of our files comes back as an upload.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from itertools import chain, islice
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


class Kind(StrEnum):
    """What a column holds, which says how each writer puts its cells."""

    AUTO = "auto"  # by each value's type: a date is a date, a number a number
    TEXT = "text"
    DATE = "date"
    DATETIME = "datetime"
    INTEGER = "integer"
    NUMBER = "number"
    MONEY = "money"


#: Excel's number format for each kind (``NUMBER`` with ``decimals`` gets ``#,##0.00`` and the like).
NUMBER_FORMATS = {
    Kind.DATE: "d mmm yyyy",
    Kind.DATETIME: "d mmm yyyy hh:mm",
    Kind.INTEGER: "#,##0",
    Kind.MONEY: '"£"#,##0.00;-"£"#,##0.00',
}
#: Rows read ahead to size an XLSX's columns; the rest are streamed as they come.
WIDTH_SAMPLE_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 10, 50


@dataclass(frozen=True)
class Column:
    """A column of an export: its heading (with its unit: "Amount (£)", "FTE") and what it holds.

    A plain ``str`` heading is ``Column(heading)``, typed by its values.
    """

    heading: str
    kind: Kind = Kind.AUTO
    #: For ``Kind.NUMBER``: the decimal places a CSV writes and an XLSX shows (None: as the value has them).
    decimals: int | None = None

    @property
    def number_format(self) -> str | None:
        if self.kind == Kind.NUMBER and self.decimals is not None:
            return "#,##0" + ("." + "0" * self.decimals if self.decimals else "")
        return NUMBER_FORMATS.get(self.kind)


def text(heading: str) -> Column:
    return Column(heading, Kind.TEXT)


def date(heading: str) -> Column:
    return Column(heading, Kind.DATE)


def integer(heading: str) -> Column:
    return Column(heading, Kind.INTEGER)


def number(heading: str, decimals: int | None = None) -> Column:
    return Column(heading, Kind.NUMBER, decimals)


def money(heading: str) -> Column:
    """Pounds and pence: a number with a £ format in an XLSX, a plain number with two decimals in a CSV."""
    return Column(heading, Kind.MONEY)


def columns(headers: Sequence[Any]) -> list[Column]:
    return [h if isinstance(h, Column) else Column("" if h is None else str(h)) for h in headers]


def yes_no(value: bool) -> str:
    """How a page words a yes-or-no fact, and so every export."""
    return "Yes" if value else "No"


def _local(value: dt.datetime) -> dt.datetime:
    """A datetime as the wall-clock time in the portal's time zone, without a zone (Excel has none)."""
    if value.tzinfo is not None:
        from django.utils import timezone

        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def typed_value(value: Any, column: Column) -> Any:
    """``value`` as the column holds it: a yes-or-no fact as its word, a number of a number column as a
    number (``"-1.50"`` from the API too), a date of a date column as a date. Other text stays text."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return yes_no(value)
    kind = column.kind
    if kind == Kind.TEXT:
        return str(value)
    if kind in (Kind.MONEY, Kind.NUMBER, Kind.INTEGER) and isinstance(value, str) and _NUMBER.fullmatch(value):
        value = Decimal(value)
    if kind == Kind.INTEGER and isinstance(value, _NUMERIC) and value == int(value):
        return int(value)
    if kind == Kind.MONEY and isinstance(value, float):
        return Decimal(f"{value:.2f}")
    if kind in (Kind.DATE, Kind.DATETIME) and isinstance(value, str):
        try:
            value = (dt.date if kind == Kind.DATE else dt.datetime).fromisoformat(value)
        except ValueError:
            return value
    if kind == Kind.DATE and isinstance(value, dt.datetime):
        return _local(value).date()
    if isinstance(value, dt.datetime):
        return _local(value)
    return value


def csv_value(value: Any, column: Column) -> Any:
    """What a CSV writes: ISO dates (2018-03-31), plain numbers (516249.00, no separators, no £), words."""
    value = typed_value(value, column)
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise_cell(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes" if not value.second else "seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if column.kind == Kind.MONEY:
        return f"{Decimal(value):.2f}"
    if column.kind == Kind.NUMBER and column.decimals is not None:
        return f"{Decimal(str(value)):.{column.decimals}f}"
    if isinstance(value, Decimal) and column.kind == Kind.NUMBER and value == value.to_integral_value():
        return format(value.to_integral_value(), "f")  # a whole number in a six-place field: 9500, not 9500.000000
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def write_csv(headers: Sequence[Any], rows: Iterable[Sequence[Any]], *, bom: bool = True) -> bytes:
    """A CSV in UTF-8 (with a byte order mark for Excel unless ``bom`` is False), CRLF lines.

    ``headers`` are headings or ``Column``s, which say how their cells are written (``csv_value``).
    """
    cols = columns(headers)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise_cell(c.heading) for c in cols])
    for row in rows:
        writer.writerow([csv_value(v, c) for v, c in zip(row, cols, strict=False)])
    return out.getvalue().encode("utf-8-sig" if bom else "utf-8")


@dataclass
class Sheet:
    """One worksheet of an XLSX: a frozen bold header row, then ``rows``; ``headers`` are headings or ``Column``s."""

    title: str
    headers: Sequence[Any]
    rows: Iterable[Sequence[Any]]


def _sheet_title(title: str, index: int) -> str:
    cleaned = _SHEET_TITLE_REFUSED.sub("-", str(title or "")).strip()[:31]
    return cleaned or f"Sheet{index + 1}"


def _xlsx_cell(worksheet, value: Any, column: Column):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(worksheet)
    value = typed_value(value, column)
    if value is None:
        return cell
    if isinstance(value, str):
        text = _NOT_IN_XML.sub("", value)
        cell.value = text
        cell.data_type = "s"  # openpyxl makes any str beginning with '=' a formula unless told
        if is_formula_like(text):
            cell.quotePrefix = True
        return cell
    cell.value = value
    number_format = column.number_format
    if number_format is None and isinstance(value, dt.datetime):
        number_format = NUMBER_FORMATS[Kind.DATETIME]
    elif number_format is None and isinstance(value, dt.date):
        number_format = NUMBER_FORMATS[Kind.DATE]
    elif isinstance(value, dt.date) and column.kind not in (Kind.DATE, Kind.DATETIME):
        number_format = NUMBER_FORMATS[Kind.DATE]
    if number_format:
        cell.number_format = number_format
    return cell


def _shown_width(value: Any, column: Column) -> int:
    value = typed_value(value, column)
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 17
    if isinstance(value, dt.date):
        return 11
    if isinstance(value, _NUMERIC):
        return len(f"{value:,.2f}") + (1 if column.kind == Kind.MONEY else 0)
    return max((len(line) for line in str(value).splitlines()), default=0)


def _write_sheet(workbook, sheet: Sheet, index: int) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    worksheet = workbook.create_sheet(_sheet_title(sheet.title, index))
    cols = columns(sheet.headers)
    rows = iter(sheet.rows)
    ahead = list(islice(rows, WIDTH_SAMPLE_ROWS))
    for number, column in enumerate(cols, start=1):
        widest = max([len(column.heading), *(_shown_width(r[number - 1], column) for r in ahead if len(r) >= number)])
        worksheet.column_dimensions[get_column_letter(number)].width = max(MIN_WIDTH, min(MAX_WIDTH, widest + 2))
    worksheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in cols:
        cell = WriteOnlyCell(worksheet, value=_NOT_IN_XML.sub("", column.heading))
        cell.data_type = "s"
        cell.font = bold
        if is_formula_like(column.heading):
            cell.quotePrefix = True
        header.append(cell)
    worksheet.append(header)
    for row in chain(ahead, rows):
        worksheet.append([_xlsx_cell(worksheet, v, c) for v, c in zip(row, cols, strict=False)])


def write_xlsx(*sheets: Sheet) -> bytes:
    """An XLSX of one or more sheets, written row by row (openpyxl's write-only mode, so a big export
    does not hold a workbook of cells): text as text, numbers as numbers, dates as Excel dates, each
    in its column's number format; the header row frozen and the columns sized to what they hold."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for index, sheet in enumerate(sheets):
        _write_sheet(workbook, sheet, index)
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
) -> bytes:
    """One table as CSV or XLSX; ``headers`` are headings or ``Column``s."""
    if file_format not in FORMATS:
        raise ValueError(f"Write one of {FORMATS}.")
    if file_format == "csv":
        return write_csv(headers, rows, bom=bom)
    return write_xlsx(Sheet(title, headers, rows))


def write_dataset(data, file_format: str, *, bom: bool = True, typed: Iterable[Column] = ()) -> bytes:
    """A ``tablib.Dataset`` (or, as XLSX, a ``tablib.Databook``) as CSV or XLSX, through the writers here.

    ``typed``: the ``Column`` of any heading whose kind its values do not say (money, a date written as text).
    tablib's own export writes a text beginning with '=' as a live formula; never call it for a download.
    """
    by_heading = {c.heading: c for c in typed}

    def headers(dataset) -> list[Column]:
        return [by_heading.get(c.heading, c) for c in columns(dataset.headers or [])]

    if file_format not in FORMATS:
        raise ValueError(f"Write one of {FORMATS}.")
    datasets = data.sheets() if hasattr(data, "sheets") else [data]
    if file_format == "csv":
        if len(datasets) != 1:
            raise ValueError("A CSV holds one table.")
        return write_csv(headers(datasets[0]), list(datasets[0]), bom=bom)
    return write_xlsx(*(Sheet(d.title or "", headers(d), list(d)) for d in datasets))


def download(content: bytes, *, file_format: str, filename: str, content_type: str | None = None) -> HttpResponse:
    """A file download: ``filename`` is used as given (the caller slugifies it)."""
    response = HttpResponse(content, content_type=content_type or CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
