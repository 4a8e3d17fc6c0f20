"""The shared column matching and date reading that every reference import (and later the
payments and QOF prevalence imports) reads files through."""

import datetime as dt
from decimal import Decimal

import pytest

from practices.reference.columns import (
    Column,
    ReferenceFileError,
    normalise_header,
    parse_count,
    parse_date,
    read_table,
)

COLUMNS = [Column("PRACTICE_CODE", ("CODE",)), Column("CCG_CODE", ("SUB_ICB_LOCATION_CODE",), required=False)]


@pytest.mark.parametrize(
    "written",
    ["20210101", "01JAN2021", "01Jan2021", "01jan2021", "2021-01-01", "01/01/2021", "1/1/2021", "01-Jan-2021"],
)
def test_parse_date_reads_every_style_nhs_files_use(written):
    assert parse_date(written) == dt.date(2021, 1, 1)


@pytest.mark.parametrize("written", ["", "32JAN2021", "01XYZ2021", "2021-13-01", "13/13/2021", "yesterday"])
def test_parse_date_refuses_what_is_not_a_date(written):
    with pytest.raises(ValueError, match="is not a date"):
        parse_date(written)


def test_parse_count_allows_thousands_separators_but_not_fractions():
    assert parse_count("12,345") == 12345
    assert parse_count("7.0") == 7
    with pytest.raises(ValueError, match="is not a whole number"):
        parse_count("4095.25")


def test_headers_match_whatever_their_case_spacing_and_punctuation():
    assert normalise_header("\ufeff Practice Code ") == "PRACTICE_CODE"
    assert normalise_header("practice-code") == "PRACTICE_CODE"


def test_read_table_matches_aliases_and_counts_lines_with_the_header(tmp_path):
    path = tmp_path / "file.csv"
    path.write_bytes(b'\xef\xbb\xbfcode,Sub ICB Location Code\n\nE81001,M1J4Y\n"E81005","06P"\n')
    table = read_table(path, COLUMNS)
    assert [(row.line, row["PRACTICE_CODE"], row["CCG_CODE"]) for row in table.rows] == [
        (3, "E81001", "M1J4Y"),
        (4, "E81005", "06P"),
    ]
    assert table.heading("PRACTICE_CODE") == "code"


def test_read_table_names_a_missing_required_column_and_its_aliases(tmp_path):
    path = tmp_path / "file.csv"
    path.write_text("PRAC,CCG_CODE\r\nE81001,06P\r\n")
    with pytest.raises(ReferenceFileError, match=r"file.csv has no PRACTICE_CODE column \(or CODE\)"):
        read_table(path, COLUMNS)


def test_read_table_refuses_a_missing_or_empty_file(tmp_path):
    with pytest.raises(ReferenceFileError, match="Cannot read"):
        read_table(tmp_path / "missing.csv", COLUMNS)
    (tmp_path / "empty.csv").write_text("\r\n")
    with pytest.raises(ReferenceFileError, match="is empty"):
        read_table(tmp_path / "empty.csv", COLUMNS)


def test_read_table_stops_at_its_limits_and_names_the_file(tmp_path):
    from dataclasses import replace

    from practices.reference.columns import REFERENCE_FILE_LIMITS

    path = tmp_path / "file.csv"
    path.write_text("code\n" + "E81001\n" * 10)
    assert len(read_table(path, COLUMNS, limits=replace(REFERENCE_FILE_LIMITS, max_rows=11)).rows) == 10
    with pytest.raises(ReferenceFileError, match="^file.csv goes on past row 10: at most 10 rows are read"):
        read_table(path, COLUMNS, limits=replace(REFERENCE_FILE_LIMITS, max_rows=10))


def test_columns_left_out_are_totalled_when_every_value_is_a_number(tmp_path):
    path = tmp_path / "cut.csv"
    path.write_text(
        'CODE,Extra Pounds,Open Date,Note\nA81001,"1,000.10",20190701,x\nA81002,,20190801,y\nA81003,-0.05,20190901,\n'
    )
    table = read_table(path, [Column("CODE")])
    left_out = {c.heading: c for c in table.left_out}
    assert list(left_out) == ["Extra Pounds", "Open Date", "Note"]
    assert left_out["Extra Pounds"].is_numeric and left_out["Extra Pounds"].total == Decimal("1000.05")
    assert not left_out["Open Date"].is_numeric  # a date written as digits has no total worth saying
    assert not left_out["Note"].is_numeric
