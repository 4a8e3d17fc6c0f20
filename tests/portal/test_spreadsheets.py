"""The one reader of uploaded spreadsheets and CSV files: the size a sheet declares is ignored,
every limit refuses a file as soon as it is passed, in little memory, with a message naming it;
a good file still reads, as typed values by spreadsheet row."""

import datetime as dt
import io
import itertools

import pytest

from portal import spreadsheets
from portal.spreadsheets import SpreadsheetError, SpreadsheetLimits, read_rows
from tests.spreadsheets import (
    MB,
    declared_everything,
    declared_with_a_far_row,
    far_cell,
    measured,
    with_raw_rows,
    workbook_bytes,
    zip_bomb,
)

LIMITS = SpreadsheetLimits(
    max_bytes=2 * MB,
    max_rows=1_000,
    max_columns=20,
    max_cells=5_000,
    max_unpacked_bytes=20 * MB,
    max_seconds=10,
)
HEADER = ["Role", "Headcount", "FTE"]
PEAK_MB = 50


def rows_of(content, file_format="xlsx", limits=LIMITS, **kwargs):
    return list(read_rows(content, file_format=file_format, limits=limits, **kwargs))


def refusal(content, file_format="xlsx", limits=LIMITS, **kwargs) -> SpreadsheetError:
    with pytest.raises(SpreadsheetError) as caught:
        rows_of(content, file_format, limits, **kwargs)
    return caught.value


def test_a_good_workbook_reads_as_typed_values_by_spreadsheet_row():
    content = workbook_bytes(
        [HEADER, ["GP partner", 4, 3.5], [], ["Receptionist", 6, None, None], [None, None, dt.date(2018, 3, 31)]]
    )
    assert rows_of(content) == [
        (1, HEADER),
        (2, ["GP partner", 4, 3.5]),
        (4, ["Receptionist", 6]),  # row 3 is blank; trailing empty cells are left off
        (5, [None, None, dt.datetime(2018, 3, 31)]),
    ]


def test_a_good_csv_reads_as_text_by_row_or_by_the_line_it_starts_on():
    content = 'Role,Notes\r\n\r\nGP partner,"two\nlines"\r\nNurse,\r\n'.encode("utf-8-sig")
    assert rows_of(content, "csv") == [(1, ["Role", "Notes"]), (3, ["GP partner", "two\nlines"]), (4, ["Nurse", ""])]
    assert [n for n, _ in rows_of(content, "csv", line_numbers=True)] == [1, 3, 5]


def test_bytes_a_path_and_an_open_file_read_alike(tmp_path):
    content = workbook_bytes([HEADER, ["GP partner", 4, 3.5]])
    path = tmp_path / "return.xlsx"
    path.write_bytes(content)
    assert rows_of(content) == rows_of(path) == rows_of(io.BytesIO(content))


def test_the_size_a_sheet_declares_is_ignored_and_its_rows_read_in_little_memory():
    content = declared_everything([HEADER] + [["GP partner", n, 1.0] for n in range(900)])
    assert len(content) < 20_000
    with measured(seconds=60) as memory:
        rows = rows_of(content)
    assert len(rows) == 901 and rows[-1] == (901, ["GP partner", 899, 1.0])
    assert memory.peak_mb < PEAK_MB, f"{memory.peak_mb:.0f} MB"


@pytest.mark.parametrize("build", [declared_with_a_far_row, far_cell], ids=["declared-and-far-row", "far-cell"])
def test_a_value_on_the_last_row_of_the_sheet_is_refused_before_any_row_is_built(build):
    content = build([HEADER, ["GP partner", 4, 3.5]])
    assert len(content) < 8_000
    with measured(seconds=60) as memory:
        error = refusal(content)
    assert error.limit == "rows"
    assert str(error).startswith("The file goes on past row 1,000: at most 1,000 rows are read.")
    assert memory.peak_mb < PEAK_MB, f"{memory.peak_mb:.0f} MB"


def test_empty_rows_far_down_a_sheet_are_not_read_at_all():
    content = with_raw_rows(declared_everything([HEADER]), '<row r="1048575" ht="30" customHeight="1"/>')
    with measured(seconds=60) as memory:
        assert rows_of(content) == [(1, HEADER)]
    assert memory.peak_mb < PEAK_MB


def test_too_many_rows_are_refused_in_a_workbook_and_in_a_csv():
    rows = [HEADER] + [["GP partner", 1, 1]] * 1_000
    assert refusal(workbook_bytes(rows)).limit == "rows"
    text = "\n".join(",".join(map(str, row)) for row in rows).encode()
    assert refusal(text, "csv").limit == "rows"
    assert len(rows_of(workbook_bytes(rows[:-1]))) == 1_000, "the limit itself is allowed"


def test_too_many_columns_are_refused_naming_the_row_and_the_last_column_read():
    error = refusal(workbook_bytes([HEADER, ["GP partner"] + [1] * 20]))
    assert error.limit == "columns"
    assert str(error).startswith("Row 2 goes on past column T: at most 20 columns are read.")
    assert refusal(("a," * 25).encode(), "csv").limit == "columns"


def test_a_far_right_cell_is_refused_as_too_many_columns():
    content = with_raw_rows(workbook_bytes([HEADER]), '<row r="2"><c r="XFD2"><v>1</v></c></row>')
    assert refusal(content).limit == "columns"


def test_formatted_empty_cells_after_the_data_do_not_count_as_columns():
    content = with_raw_rows(
        workbook_bytes([HEADER]), '<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c><c r="XFD2" s="0"/></row>'
    )
    assert rows_of(content) == [(1, HEADER), (2, ["x"])]


def test_too_many_cells_are_refused_even_when_they_are_empty():
    empty_cells = "".join(f'<row r="{n}">' + "<c/>" * 10 + "</row>" for n in range(2, 600))
    error = refusal(with_raw_rows(workbook_bytes([HEADER]), empty_cells))
    assert error.limit == "cells"
    assert "more than 5,000 cells" in str(error)


def test_a_workbook_that_unpacks_past_its_limit_is_refused_before_it_is_parsed():
    content = zip_bomb([HEADER], unpacked=100 * MB)
    assert len(content) < 300_000
    with measured(seconds=60) as memory:
        error = refusal(content)
    assert error.limit == "unpacked bytes"
    assert "unpacks to more than 20 MB" in str(error)
    assert memory.peak_mb < PEAK_MB, f"{memory.peak_mb:.0f} MB"


def test_a_cell_longer_than_excel_allows_is_refused():
    long_cell = f'<row r="2"><c r="A2" t="inlineStr"><is><t>{"x" * 32_768}</t></is></c></row>'  # openpyxl cuts it
    assert refusal(with_raw_rows(workbook_bytes([HEADER]), long_cell)).limit == "cell characters"
    assert refusal(("a," + "x" * 40_000).encode(), "csv").limit == "cell characters"
    assert refusal(("a," + "x" * 200_000).encode(), "csv").limit == "cell characters"  # past csv's own limit too


def test_a_csv_row_of_a_million_commas_is_refused_before_csv_builds_it():
    content = b"Role,FTE\n" + b"," * (1_900_000)
    with measured(seconds=60) as memory:
        error = refusal(content, "csv")
    assert error.limit == "row characters"
    assert memory.peak_mb < PEAK_MB


def test_a_csv_row_spread_over_quoted_lines_counts_all_its_lines():
    field = '"' + ("x" * 1_000 + "\n") * 20 + '"'  # 20,000 characters over 20 lines
    row = ",".join([field] * 60) + "\n"
    assert refusal(row.encode(), "csv").limit == "row characters"


def test_a_file_over_its_bytes_is_refused_before_it_is_read():
    error = refusal(b"x" * (2 * MB + 1), "csv")
    assert (error.limit, str(error)) == ("bytes", "The file is larger than 2 MB.")


def test_a_file_that_takes_too_long_is_stopped_at_its_deadline(monkeypatch):
    clock = itertools.count(step=0.5)  # each look at the clock is half a second later
    monkeypatch.setattr(spreadsheets, "_now", lambda: next(clock))
    rows = [HEADER] + [["GP partner", 1, 1]] * 30
    for content, file_format in [(workbook_bytes(rows), "xlsx"), ("\n".join(["a,b"] * 30).encode(), "csv")]:
        error = refusal(content, file_format)
        assert error.limit == "seconds"
        assert str(error).startswith("The file took more than 10 seconds to read")


def test_a_csv_in_the_wrong_encoding_says_which_it_should_be():
    cp1252 = "Role\nCafé\n".encode("cp1252")
    assert str(refusal(cp1252, "csv")) == "The CSV file is not in UTF-8: save it again as 'CSV UTF-8'."
    assert rows_of(cp1252, "csv", encodings=("utf-8-sig", "cp1252"))[1] == (2, ["Café"])
    assert str(refusal(b"\x81\n", "csv", encodings=("utf-8-sig", "cp1252"))) == (
        "The file is neither UTF-8 nor Windows-1252 text."
    )


def test_a_broken_workbook_is_refused_as_unreadable():
    error = refusal(b"PK not really a zip")
    assert (error.limit, str(error)) == ("", "The file could not be read as a spreadsheet (BadZipFile).")


def test_an_open_file_passed_in_is_left_open(tmp_path):
    handle = io.BytesIO(b"a,b\n1,2\n")
    rows_of(handle, "csv")
    assert not handle.closed


def _two_sheets() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "First"
    book.active.append(["Role", "Headcount"])
    second = book.create_sheet("PCN Core Partner Details")
    second.append(["Partner Organisation Code", "PCN Code"])
    second.append(["E81005", "U51229"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_named_sheet_is_read_by_its_own_rows():
    assert rows_of(_two_sheets(), sheet="PCN Core Partner Details") == [
        (1, ["Partner Organisation Code", "PCN Code"]),
        (2, ["E81005", "U51229"]),
    ]
    assert rows_of(_two_sheets()) == [(1, ["Role", "Headcount"])]


def test_a_sheet_the_workbook_lacks_is_refused_naming_the_sheets_it_has():
    error = refusal(_two_sheets(), sheet="PCN Details")
    assert (
        str(error) == "The workbook has no sheet called 'PCN Details'. Its sheets are: First, PCN Core Partner Details."
    )
