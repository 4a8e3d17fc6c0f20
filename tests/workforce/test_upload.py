"""Uploading a workforce return: checked whole, every bad row and column in plain words,
nothing saved unless the whole file is good; files parsed safely."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from returns.models import Return, Revision
from returns.registry import return_type
from returns.upload import MAX_UPLOAD_BYTES, UploadFileError, read_upload, write_table

from ..returns.helpers import workforce_values

WORKFORCE = return_type("workforce")


def template_rows(values=None):
    headers, rows = WORKFORCE.template_table(values or workforce_values())
    return headers, [list(row) for row in rows]


def as_csv(headers, rows) -> bytes:
    return write_table(headers=headers, rows=rows, file_format="csv")


def row_of(rows, label):
    return next(row for row in rows if row[1] == label)


def upload(client, user, ret, name, content, button="upload"):
    client.force_login(user)
    return client.post(
        reverse("returns:return_upload", args=[ret.pk]), {"file": SimpleUploadedFile(name, content), button: ""}
    )


def test_the_downloaded_template_uploads_back_unchanged(ret, bob, client):
    headers, rows = template_rows()
    response = upload(client, bob, ret, "workforce.csv", as_csv(headers, rows))
    assert response.status_code == 302
    revision = ret.revisions.get()
    assert (revision.source, revision.upload_name) == (Revision.Source.UPLOAD, "workforce.csv")
    assert WORKFORCE.load(revision) == WORKFORCE.load(revision) and WORKFORCE.load(revision) == workforce_values()


def test_a_file_with_errors_on_several_rows_saves_nothing_and_reports_each(ret, bob, client):
    headers, rows = template_rows()
    fte = headers.index("FTE")
    row_of(rows, "GP partner")[fte] = "lots"  # row 2: not a number
    row_of(rows, "Practice nurse")[headers.index("Headcount")] = -1  # not negative
    row_of(rows, "Receptionist")[headers.index("Vacant FTE")] = "0.333"  # too many decimals
    rows.append(["GPs", "Chief of staff"] + [0] * (len(headers) - 2))  # unknown role
    rows.append(list(row_of(rows, "Salaried GP")))  # the same role twice

    response = upload(client, bob, ret, "workforce.csv", as_csv(headers, rows))

    assert response.status_code == 200
    errors = [(e.row, e.column, e.message) for e in response.context["errors"]]
    assert errors == [
        (2, "FTE", "Enter a number, such as 2.5."),
        (7, "Headcount", "Cannot be negative."),
        (19, "Vacant FTE", "Give at most two decimal places."),
        (22, "Role", "'Chief of staff' is not one of the rows of this return (GP partner; Salaried GP; Locum GP; "
                     "GP registrar; GP retainer; Practice nurse; Advanced nurse practitioner; Nurse specialist; "
                     "Health care assistant; Phlebotomist; Clinical pharmacist; Physician associate; Mental health "
                     "therapist; Physiotherapist; Paramedic or emergency care practitioner; Other direct patient care; "
                     "Practice manager; Receptionist; Medical secretary; Other admin and non-clinical)."),
        (23, "Role", "'Salaried GP' is also on row 3: give each once."),
    ]  # fmt: skip
    assert "Nothing has been saved" in response.content.decode()
    assert not ret.revisions.exists()
    ret.refresh_from_db()
    assert ret.status == Return.Status.NOT_STARTED


def test_rule_errors_in_a_file_are_reported_by_row_and_column_and_save_nothing(ret, bob, client):
    headers, rows = template_rows()
    row_of(rows, "GP partner")[headers.index("FTE")] = 9  # more than 1.5 x headcount 4
    row_of(rows, "Receptionist")[headers.index("Aged under 30")] = 5  # ages add up to 9, headcount 6

    response = upload(client, bob, ret, "workforce.csv", as_csv(headers, rows))

    errors = [(e.row, e.column) for e in response.context["errors"]]
    assert errors == [(2, "FTE"), (19, "Aged under 30")]
    assert not ret.revisions.exists()


def test_a_file_that_has_warnings_is_saved_and_says_so(ret, bob, client, q3_list_size):
    q3_list_size.patients = 1000  # 4.7 GP FTE per 1,000 patients is far above the usual range
    q3_list_size.save()
    headers, rows = template_rows()
    response = upload(client, bob, ret, "workforce.csv", as_csv(headers, rows), button="check")
    assert response.status_code == 200
    assert [w.code for w in response.context["warnings"]] == ["gp-fte-per-1000"]
    assert not ret.revisions.exists(), "checking a file saves nothing"
    response = upload(client, bob, ret, "workforce.csv", as_csv(headers, rows))
    assert response.status_code == 302 and ret.revisions.count() == 1


def test_a_missing_column_is_reported_on_the_header_row(ret, bob, client):
    headers, rows = template_rows()
    index = headers.index("Leavers")
    headers.pop(index)
    for row in rows:
        row.pop(index)
    response = upload(client, bob, ret, "workforce.csv", as_csv(headers, rows))
    assert [(e.row, e.column) for e in response.context["errors"]] == [(1, "Header row")]
    assert "'Leavers'" in response.context["errors"][0].message


def test_an_xlsx_formula_is_read_as_its_saved_value_and_never_run(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    headers, rows = template_rows()
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    sheet["D2"] = "=SUM(1,2)"  # no saved value: openpyxl wrote the formula only
    out = io.BytesIO()
    workbook.save(out)

    table = read_upload(content=out.getvalue(), filename="workforce.xlsx")
    values, errors = WORKFORCE.parse_upload(table)

    assert table.rows[0][1]["FTE"] is None, "no value was saved with the formula, and it is not calculated"
    assert errors == []
    assert values["gp_partner"]["fte"] == 0


def test_an_xlsx_template_round_trips(ret, bob, client):
    headers, rows = template_rows()
    content = write_table(headers=headers, rows=rows, file_format="xlsx")
    response = upload(client, bob, ret, "workforce.xlsx", content)
    assert response.status_code == 302
    assert WORKFORCE.load(ret.revisions.get()) == workforce_values()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("workforce.xlsm", b"PK...", "without macros"),
        ("workforce.pdf", b"%PDF", ".xlsx or .csv"),
        ("workforce.xlsx", b"not a zip at all", "could not be read as a spreadsheet"),
        ("workforce.csv", "Rôle".encode("latin-1"), "not in UTF-8"),
        ("workforce.csv", b"", "empty"),
    ],
)
def test_files_that_are_not_a_safe_spreadsheet_are_refused(name, content, message):
    with pytest.raises(UploadFileError, match=message):
        read_upload(content=content, filename=name)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(ret, bob, client):
    response = upload(client, bob, ret, "workforce.csv", b"x" * (MAX_UPLOAD_BYTES + 1))
    assert response.status_code == 200
    assert "larger than 2 MB" in response.content.decode()
    assert not ret.revisions.exists()


def test_a_csv_formula_is_just_text_and_fails_as_a_number(ret, bob, client):
    headers, rows = template_rows()
    row_of(rows, "GP partner")[headers.index("Headcount")] = '=HYPERLINK("http://evil","4")'
    response = upload(client, bob, ret, "workforce.csv", as_csv(headers, rows))
    assert [(e.row, e.column, e.message) for e in response.context["errors"]] == [
        (2, "Headcount", "Enter a whole number, such as 3.")
    ]
