"""``portal.exports`` writes what a commissioner can analyse: in an XLSX real dates with a date format,
numbers as numbers, money with a £ format; in a CSV ISO dates and plain numbers; a yes-or-no fact
as the page's word. Read back with openpyxl and csv."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from portal import exports

COLUMNS = [
    exports.text("Practice"),
    exports.date("Due date"),
    exports.integer("List size (patients, 1 Jan 2018)"),
    exports.money("Amount (£)"),
    exports.number("FTE", 2),
    "Overdue",
    "Recorded at",
]
ROW = [
    "The Medici Medical Practice",
    dt.date(2018, 3, 31),
    Decimal("12345"),
    Decimal("516249.5"),
    Decimal("3.2"),
    True,
    dt.datetime(2018, 6, 1, 8, 30, tzinfo=dt.UTC),  # 09:30 in London (BST)
]


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).worksheets[0]


def test_xlsx_cells_are_real_dates_numbers_and_money_with_their_formats():
    sheet = _sheet(exports.write_table(headers=COLUMNS, rows=[ROW], file_format="xlsx", title="Actions"))
    practice, due, size, amount, fte, overdue, recorded = sheet[2]
    assert [c.value for c in sheet[1]] == [c if isinstance(c, str) else c.heading for c in COLUMNS]
    assert (practice.data_type, practice.value) == ("s", "The Medici Medical Practice")
    assert due.value == dt.datetime(2018, 3, 31) and due.is_date and due.number_format == "d mmm yyyy"
    assert (size.value, size.data_type, size.number_format) == (12345, "n", "#,##0")
    assert isinstance(size.value, int)
    assert (amount.value, amount.data_type) == (516249.5, "n")
    assert amount.number_format == '"£"#,##0.00;-"£"#,##0.00'
    assert (fte.value, fte.number_format) == (3.2, "#,##0.00")
    assert overdue.value == "Yes"
    assert recorded.value == dt.datetime(2018, 6, 1, 9, 30) and recorded.number_format == "d mmm yyyy hh:mm"


def test_xlsx_freezes_the_header_row_and_sizes_columns_to_their_contents():
    long_name = "The Surgery at the Top of the Very Long Hill"
    sheet = _sheet(exports.write_table(headers=COLUMNS, rows=[[long_name, *ROW[1:]]], file_format="xlsx"))
    assert sheet.freeze_panes == "A2"
    assert sheet[1][0].font.bold
    assert sheet.column_dimensions["A"].width == len(long_name) + 2
    assert sheet.column_dimensions["C"].width == len("List size (patients, 1 Jan 2018)") + 2
    assert exports.MIN_WIDTH <= sheet.column_dimensions["F"].width <= exports.MAX_WIDTH


def test_a_big_xlsx_is_streamed_and_every_row_arrives():
    rows = ([f"P{n}", dt.date(2018, 4, 1), n, Decimal(n), Decimal("1.5"), n % 2 == 0, None] for n in range(5000))
    sheet = _sheet(exports.write_table(headers=COLUMNS, rows=rows, file_format="xlsx"))
    assert sheet.max_row == 5001
    assert [c.value for c in sheet[5001]][:4] == ["P4999", dt.datetime(2018, 4, 1), 4999, 4999]


def test_csv_has_iso_dates_plain_numbers_and_words():
    content = exports.write_table(headers=COLUMNS, rows=[ROW], file_format="csv")
    header, row = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert header[2:4] == ["List size (patients, 1 Jan 2018)", "Amount (£)"]
    assert row == ["The Medici Medical Practice", "2018-03-31", "12345", "516249.50", "3.20", "Yes", "2018-06-01 09:30"]


def test_number_columns_take_numbers_given_as_text_and_leave_other_text_alone():
    money = exports.money("Amount (£)")
    assert exports.typed_value("-1.50", money) == Decimal("-1.50")
    assert exports.csv_value("-1.50", money) == "-1.50"
    assert exports.csv_value(1234.5, money) == "1234.50"
    assert exports.typed_value("2018-03-31", exports.date("Due")) == dt.date(2018, 3, 31)
    assert exports.csv_value("=1+1", money) == "'=1+1"
    assert exports.csv_value(None, money) == ""


def test_a_datetime_in_a_date_column_is_the_day_in_london():
    late = dt.datetime(2018, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert exports.typed_value(late, exports.date("Decided")) == dt.date(2018, 7, 1)
