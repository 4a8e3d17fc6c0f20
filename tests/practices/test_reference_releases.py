"""Each release of ODS epraccur and the QOF organisation reference, on small cuts of the real files.

The mid-2018 epraccur and QOF 2016-17 still name the Derbyshire CCGs that merged into NHS
Derby and Derbyshire CCG (15M) on 1 April 2019: Southern Derbyshire (04R) is one. Its
practices C81004 and C81005 are in 04R in the 2018 files and in 15M in the later ones.
"""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.conf import settings

from practices.models import CCG, CCGMembership, Practice, QOFYearMembership
from practices.reference import ReferenceFileError, import_reference

DATA = Path(settings.BASE_DIR) / "data" / "reference"
EPRACCUR_2018 = DATA / "epraccur" / "epraccur-2018.csv"
EPRACCUR_2019 = DATA / "epraccur" / "epraccur.csv"
QOF = DATA / "qof-prevalence"
ORGANISATIONS_1617 = QOF / "ORGANISATION_REFERENCE_1617.csv"
ORGANISATIONS_1819 = QOF / "ORGANISATION_REFERENCE_1819_v2.csv"
DERBYSHIRE = ("C81004", "C81005")

pytestmark = pytest.mark.django_db


def epraccur_cut(source: Path, tmp_path: Path, *codes: str, name: str = "epraccur.csv", change=None) -> Path:
    """The rows of ``codes`` from a real epraccur file, as published: headerless, quoted, CRLF."""
    with source.open(newline="") as handle:
        rows = [row for row in csv.reader(handle) if row[0] in codes]
    if change:
        for row in rows:
            change(row)
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    path = tmp_path / name
    path.write_text(buffer.getvalue())
    return path


def csv_cut(source: Path, tmp_path: Path, *codes: str, name: str | None = None, header=None, column=0) -> Path:
    lines = source.read_text(encoding="utf-8-sig").splitlines()
    kept = [header(lines[0]) if header else lines[0]]
    kept += [line for line in lines[1:] if line.split(",")[column] in codes]
    path = tmp_path / (name or source.name)
    path.parent.mkdir(exist_ok=True)
    path.write_text("\r\n".join(kept) + "\r\n")
    return path


def memberships(code: str) -> list[tuple]:
    return list(
        CCGMembership.objects.filter(practice__ods_code=code)
        .order_by("start_date")
        .values_list("ccg__ods_code", "start_date", "end_date")
    )


# epraccur


def test_the_headerless_2018_epraccur_loads_its_practices_in_ccgs_since_dissolved(tmp_path):
    report = import_reference("epraccur", epraccur_cut(EPRACCUR_2018, tmp_path, *DERBYSHIRE))
    assert (report.created, report.rejected) == (2, 0)
    practice = Practice.objects.get(ods_code="C81004")
    assert (practice.name, practice.ccg.ods_code, practice.status) == ("IVY GROVE SURGERY", "04R", "active")
    assert practice.ods_file_date == dt.date(2013, 4, 1)  # the latest date in this two-row cut
    assert memberships("C81004") == [("04R", dt.date(2013, 4, 1), None)]
    assert "Recognised by its shape as ODS epraccur (27 columns, no header row)" in report.notes[0]


def test_a_later_epraccur_dissolves_the_merged_ccg_and_keeps_its_history(tmp_path):
    import_reference("epraccur", epraccur_cut(EPRACCUR_2018, tmp_path, *DERBYSHIRE, name="2018.csv"))
    report = import_reference("epraccur", epraccur_cut(EPRACCUR_2019, tmp_path, *DERBYSHIRE, name="2019.csv"))

    assert memberships("C81004") == [
        ("04R", dt.date(2013, 4, 1), dt.date(2019, 4, 1)),
        ("15M", dt.date(2019, 4, 1), None),
    ]
    assert Practice.objects.get(ods_code="C81004").ccg.ods_code == "15M"
    southern = CCG.objects.get(ods_code="04R")
    assert (southern.merged_into.ods_code, southern.dissolved_on) == ("15M", dt.date(2019, 4, 1))
    assert "04R into 15M on 1 April 2019" in " ".join(report.notes)


def test_an_older_epraccur_loaded_after_a_newer_one_adds_its_memberships_and_keeps_the_newer_details(tmp_path):
    def renamed(row):
        row[1] = "IVY GROVE OLD NAME"

    import_reference("epraccur", epraccur_cut(EPRACCUR_2019, tmp_path, *DERBYSHIRE, name="2019.csv"))
    report = import_reference(
        "epraccur", epraccur_cut(EPRACCUR_2018, tmp_path, *DERBYSHIRE, name="2018.csv", change=renamed)
    )
    practice = Practice.objects.get(ods_code="C81004")
    assert (practice.name, practice.ccg.ods_code, practice.ods_file_date) == (
        "IVY GROVE SURGERY",
        "15M",
        dt.date(2019, 4, 1),
    )
    assert memberships("C81004") == [
        ("04R", dt.date(2013, 4, 1), dt.date(2019, 4, 1)),
        ("15M", dt.date(2019, 4, 1), None),
    ]
    assert CCG.objects.get(ods_code="04R").merged_into.ods_code == "15M"
    assert any("details from a newer ODS file" in note for note in report.notes)
    again = import_reference("epraccur", epraccur_cut(EPRACCUR_2019, tmp_path, *DERBYSHIRE, name="2019.csv"))
    assert (again.created, again.updated) == (0, 0)


def test_a_27_column_file_not_laid_out_as_epraccur_is_refused_and_changes_nothing(tmp_path):
    def shifted(row):
        row[10], row[12] = "A", "19740401"

    path = epraccur_cut(EPRACCUR_2018, tmp_path, "C81004", change=shifted)
    with pytest.raises(ReferenceFileError, match="not laid out as ODS epraccur: on line 1 column 13"):
        import_reference("epraccur", path)
    assert not Practice.objects.exists()


# CCG open counting is tested in test_populations_open.py; QOF figures by year in tests/quality.


# qof-organisations


def test_qof_2016_17_creates_its_dissolved_ccg_from_its_own_code_and_name(tmp_path):
    report = import_reference("qof-organisations", csv_cut(ORGANISATIONS_1617, tmp_path, *DERBYSHIRE))
    southern = CCG.objects.get(ods_code="04R")
    assert (southern.name, southern.ons_code, southern.stp.ons_code) == (
        "NHS SOUTHERN DERBYSHIRE CCG",
        "E38000169",
        "E54000012",
    )
    assert memberships("C81005") == [("04R", dt.date(2016, 4, 1), None)]
    assert sorted(QOFYearMembership.objects.values_list("practice__ods_code", "ccg__ods_code", "year_start")) == [
        ("C81004", "04R", dt.date(2016, 4, 1)),
        ("C81005", "04R", dt.date(2016, 4, 1)),
    ]
    assert "Recognised by its columns as the QOF organisation reference of 2016-17." in report.notes


def test_qof_2016_17_under_the_2018_19_column_names_imports_identically(tmp_path):
    import_reference("qof-organisations", csv_cut(ORGANISATIONS_1617, tmp_path, *DERBYSHIRE))
    before = sorted(CCG.objects.values_list("ods_code", "name", "ons_code", "stp__ons_code"))

    def renamed(header):
        return header.replace("CCG_GEOGRAPHY_CODE", "CCG_ONS_CODE").replace("STP_CODE", "STP_ONS_CODE")

    path = csv_cut(
        ORGANISATIONS_1617, tmp_path, *DERBYSHIRE, name="renamed/ORGANISATION_REFERENCE_1617.csv", header=renamed
    )
    report = import_reference("qof-organisations", path)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert sorted(CCG.objects.values_list("ods_code", "name", "ons_code", "stp__ons_code")) == before
    assert any("match no release the portal knows" in note for note in report.notes)


def test_an_unknown_column_is_named_and_the_rest_imported(tmp_path):
    def added(header):
        return header + ",PCN_CODE"

    report = import_reference("qof-organisations", csv_cut(ORGANISATIONS_1819, tmp_path, *DERBYSHIRE, header=added))
    assert "Recognised by its columns as the QOF organisation reference of 2018-19." in report.notes
    assert "Columns that release does not have: PCN_CODE." in report.notes
    assert report.created == 2


def test_qof_2016_17_loaded_after_2018_19_keeps_the_newer_names_and_adds_the_old_year(tmp_path):
    import_reference("qof-organisations", csv_cut(ORGANISATIONS_1819, tmp_path, *DERBYSHIRE))
    import_reference("qof-organisations", csv_cut(ORGANISATIONS_1617, tmp_path, *DERBYSHIRE))
    assert CCG.objects.get(ods_code="15M").name == "NHS Derby and Derbyshire CCG"
    assert CCG.objects.get(ods_code="04R").name == "NHS SOUTHERN DERBYSHIRE CCG"
    assert sorted(
        QOFYearMembership.objects.filter(practice__ods_code="C81004").values_list("year_start", "ccg__ods_code")
    ) == [
        (dt.date(2016, 4, 1), "04R"),
        (dt.date(2018, 4, 1), "15M"),
    ]
    assert Practice.objects.get(ods_code="C81004").ccg.ods_code == "15M"
    assert memberships("C81004") == [
        ("04R", dt.date(2016, 4, 1), dt.date(2018, 4, 1)),
        ("15M", dt.date(2018, 4, 1), None),
    ]


def test_every_release_in_publication_order_keeps_the_dissolved_ccgs_history(tmp_path):
    import_reference("qof-organisations", csv_cut(ORGANISATIONS_1617, tmp_path, *DERBYSHIRE))
    import_reference("epraccur", epraccur_cut(EPRACCUR_2018, tmp_path, *DERBYSHIRE, name="2018.csv"))
    import_reference("qof-organisations", csv_cut(ORGANISATIONS_1819, tmp_path, *DERBYSHIRE))
    import_reference("epraccur", epraccur_cut(EPRACCUR_2019, tmp_path, *DERBYSHIRE, name="2019.csv"))
    # ODS's join dates stand; QOF 2018-19 already lists the April 2019 CCG, which ODS dates from 1 April 2019.
    assert memberships("C81004") == [
        ("04R", dt.date(2013, 4, 1), dt.date(2019, 4, 1)),
        ("15M", dt.date(2019, 4, 1), None),
    ]
    assert CCG.objects.get(ods_code="04R").name == "NHS SOUTHERN DERBYSHIRE CCG"
    assert CCG.objects.get(ods_code="04R").merged_into.ods_code == "15M"


def test_a_qof_file_whose_name_gives_no_year_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(ReferenceFileError, match="org.csv does not say which QOF year it is"):
        import_reference("qof-organisations", csv_cut(ORGANISATIONS_1617, tmp_path, *DERBYSHIRE, name="org.csv"))
    assert not CCG.objects.exists()


def test_the_practice_map_gives_a_dissolved_ccg_the_successor_of_the_ccg_it_merged_into(tmp_path):
    import_reference("epraccur", epraccur_cut(EPRACCUR_2018, tmp_path, *DERBYSHIRE, name="2018.csv"))
    import_reference("epraccur", epraccur_cut(EPRACCUR_2019, tmp_path, *DERBYSHIRE, name="2019.csv"))
    import_reference("practice-map", csv_cut(DATA / "gp-reg-pat-prac-map" / "gp-reg-pat-prac-map.csv", tmp_path,
                                             *DERBYSHIRE, name="map.csv", column=2))  # fmt: skip
    assert CCG.objects.get(ods_code="15M").successor.ods_code == "15M"
    assert CCG.objects.get(ods_code="04R").successor.ods_code == "15M"


def test_the_ccg_page_of_a_dissolved_ccg_says_when_and_into_which_ccg(client, tmp_path, root):
    import_reference("epraccur", epraccur_cut(EPRACCUR_2018, tmp_path, *DERBYSHIRE, name="2018.csv"))
    import_reference("epraccur", epraccur_cut(EPRACCUR_2019, tmp_path, *DERBYSHIRE, name="2019.csv"))
    client.force_login(root)
    html = client.get(CCG.objects.get(ods_code="04R").get_absolute_url()).text
    assert "On 1 Apr 2019, its practices moving to 15M (15M), as ODS shows" in html
    assert "0 open on" in html
