"""A return upload is read within its limits: a small hostile spreadsheet is refused through the
page in little memory, with a message naming the limit, and nothing is saved; the size a sheet
declares is ignored, so a good file declaring the whole sheet still uploads."""

import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal import spreadsheets
from returns.registry import return_type
from returns.upload import UploadFileError, read_upload, write_table
from tests.spreadsheets import (
    MB,
    declared_everything,
    declared_with_a_far_row,
    declaring,
    far_cell,
    measured,
    workbook_bytes,
    zip_bomb,
)

from .helpers import workforce_values

WORKFORCE = return_type("workforce")
PEAK_MB = 50


def template():
    headers, rows = WORKFORCE.template_table(workforce_values())
    return [headers] + [list(row) for row in rows]


def upload(client, user, ret, name, content):
    client.force_login(user)
    return client.post(
        reverse("returns:return_upload", args=[ret.pk]), {"file": SimpleUploadedFile(name, content), "upload": ""}
    )


@pytest.mark.parametrize("build", [declared_with_a_far_row, far_cell], ids=["declared-and-far-row", "far-cell"])
def test_a_6_kb_workbook_reaching_the_last_row_is_refused_through_the_page_in_little_memory(ret, bob, client, build):
    content = build(template())
    assert len(content) < 8_000
    with measured(seconds=60) as memory:
        response = upload(client, bob, ret, "workforce.xlsx", content)
    assert response.status_code == 200
    assert "The file goes on past row 5,000: at most 5,000 rows are read." in response.content.decode()
    assert not ret.revisions.exists()
    assert memory.peak_mb < PEAK_MB, f"{memory.peak_mb:.0f} MB"


def test_a_workbook_declaring_the_whole_sheet_is_read_as_the_rows_it_holds(ret, bob, client):
    with measured(seconds=60) as memory:
        response = upload(client, bob, ret, "workforce.xlsx", declared_everything(template()))
    assert response.status_code == 302
    assert WORKFORCE.load(ret.revisions.get()) == workforce_values()
    assert memory.peak_mb < PEAK_MB


def test_thousands_of_rows_declared_16384_columns_wide_are_not_padded_to_that_width():
    content = declared_everything([["Role", "FTE"]] + [["GP partner", 1]] * 3_000)
    with measured(seconds=60) as memory:
        table = read_upload(content=content, filename="workforce.xlsx")
    assert len(table.rows) == 3_000
    assert memory.peak_mb < PEAK_MB, f"{memory.peak_mb:.0f} MB"


def test_a_zip_bomb_is_refused_through_the_page_before_it_is_unpacked(ret, bob, client):
    content = zip_bomb(template(), unpacked=150 * MB)
    with measured(seconds=60) as memory:
        response = upload(client, bob, ret, "workforce.xlsx", content)
    assert "The workbook unpacks to more than 40 MB, the most read" in response.content.decode()
    assert not ret.revisions.exists()
    assert memory.peak_mb < PEAK_MB, f"{memory.peak_mb:.0f} MB"


@pytest.mark.parametrize(
    "rows, message",
    [
        ([["Role"]] * 5_001, "The file goes on past row 5,000"),
        ([["Role"] + ["x"] * 256], "Row 1 goes on past column IV: at most 256 columns are read."),
    ],
    ids=["rows", "columns"],
)
@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_too_many_rows_or_columns_are_refused_naming_the_limit(rows, message, file_format):
    content = write_table(headers=rows[0], rows=rows[1:], file_format=file_format)
    with pytest.raises(UploadFileError, match=message):
        read_upload(content=content, filename=f"workforce.{file_format}")


def test_a_file_that_takes_too_long_to_read_is_refused_through_the_page(ret, bob, client, monkeypatch):
    clock = itertools.count(step=1.0)
    monkeypatch.setattr(spreadsheets, "_now", lambda: next(clock))
    response = upload(client, bob, ret, "workforce.xlsx", workbook_bytes(template()))
    assert "The file took more than 10 seconds to read" in response.content.decode()
    assert not ret.revisions.exists()


def test_a_good_workbook_with_a_small_wrong_declared_size_still_reads_every_row(ret, bob, client):
    response = upload(client, bob, ret, "workforce.xlsx", declaring(workbook_bytes(template()), "A1:B2"))
    assert response.status_code == 302
    assert WORKFORCE.load(ret.revisions.get()) == workforce_values()
