"""The QOF prevalence import on the real 2018-19 file (data/reference/qof-prevalence/).

Figures checked are counted from the file itself: 144,333 rows, 6,873 practices, 21
indicator groups. The practices come from the real QOF organisation reference, for Luton.
"""

import csv
import datetime as dt
import time
from pathlib import Path

import pytest
from django.conf import settings

from practices.models import Practice
from practices.reference import ReferenceFileError, import_reference
from quality.models import Prevalence, PrevalenceBenchmark

DATA = Path(settings.BASE_DIR) / "data" / "reference" / "qof-prevalence"
PREVALENCE = DATA / "PREVALENCE_1819_v2.csv"
ORGANISATIONS = DATA / "ORGANISATION_REFERENCE_1819_v2.csv"
YEAR = dt.date(2018, 4, 1)


@pytest.fixture
def luton_practices(db):
    import_reference("qof-organisations", ORGANISATIONS, only_ccgs={"06P"})
    return Practice.objects.filter(ccg__ods_code="06P")


def file_rows(code: str | None = None) -> list[dict]:
    with PREVALENCE.open(newline="") as handle:
        return [row for row in csv.DictReader(handle) if code is None or row["PRACTICE_CODE"] == code]


def test_the_real_file_loads_luton_and_england_in_seconds(luton_practices):
    started = time.perf_counter()
    report = import_reference("qof-prevalence", PREVALENCE, only_ccgs={"06P"})
    elapsed = time.perf_counter() - started

    assert luton_practices.count() == 27
    assert report.rows == 144_333
    assert report.created == 27 * 21
    assert report.rejected == 0
    assert any("no register" in note for note in report.notes)  # 19 practices published nothing
    assert Prevalence.objects.count() == 27 * 21
    assert elapsed < 20
    england = {b.group: b for b in PrevalenceBenchmark.objects.filter(ccg__isnull=True)}
    assert len(england) == 21
    assert england["DM"].practices == 6873 - 19  # 19 practices have no published figures
    dm = [r for r in file_rows() if r["INDICATOR_GROUP_CODE"] == "DM"]
    assert england["DM"].register == sum(int(r["REGISTER"] or 0) for r in dm)
    assert england["DM"].list_size == sum(int(r["PATIENT_LIST_SIZE"]) for r in dm if r["REGISTER"])
    luton = PrevalenceBenchmark.objects.get(ccg__ods_code="06P", group="DM")
    assert luton.practices == 27
    assert luton.year_start == YEAR


def test_a_practices_register_and_list_type_are_stored_as_published(luton_practices):
    import_reference("qof-prevalence", PREVALENCE, only_ccgs={"06P"})
    code = luton_practices.order_by("ods_code").first().ods_code
    published = {r["INDICATOR_GROUP_CODE"]: r for r in file_rows(code)}
    stored = {p.group: p for p in Prevalence.objects.filter(practice__ods_code=code)}
    assert set(stored) == set(published)
    diabetes = stored["DM"]
    assert diabetes.register == int(published["DM"]["REGISTER"])
    assert diabetes.list_type == "17OV"
    assert diabetes.list_size == int(published["DM"]["PATIENT_LIST_SIZE"])


def test_a_second_run_of_the_same_file_changes_nothing(luton_practices):
    import_reference("qof-prevalence", PREVALENCE, only_ccgs={"06P"})
    report = import_reference("qof-prevalence", PREVALENCE, only_ccgs={"06P"})
    assert report.created == 0
    assert report.updated == 0
    assert report.unchanged == 27 * 21
    assert not report.changed_anything


def test_bad_rows_are_rejected_with_their_line_and_the_rest_imported(luton_practices, tmp_path):
    code = luton_practices.order_by("ods_code").first().ods_code
    path = tmp_path / "PREVALENCE_1819_v2.csv"
    path.write_text(
        "PRACTICE_CODE,GROUP_CODE,REGISTER,PATIENT_LIST_TYPE,PATIENT_LIST_SIZE\r\n"
        f"{code},DM,500,17OV,8000\r\n"
        f"{code},AST,lots,TOTAL,9000\r\n"
        f"{code},CAN,9500,TOTAL,9000\r\n"
        f"{code},CHD,,TOTAL,9000\r\n"
        f"{code},DM,501,17OV,8000\r\n"
        "Z99999,DM,10,17OV,100\r\n"
    )
    report = import_reference("qof-prevalence", path)
    assert report.created == 2
    assert [r.line for r in report.rejections] == [3, 6]
    assert "REGISTER 'lots' is not a whole number" in report.rejections[0].reason
    assert "second DM row" in report.rejections[1].reason
    assert [w.line for w in report.warnings] == [4]  # published so: kept, with a warning
    assert report.skipped == 2  # CHD has no register; Z99999 is not in the portal but counts for England
    assert PrevalenceBenchmark.objects.get(ccg__isnull=True, group="DM").register == 510


def test_a_file_without_a_register_column_is_refused_before_anything_is_written(luton_practices, tmp_path):
    path = tmp_path / "PREVALENCE_1819_v2.csv"
    path.write_text("PRACTICE_CODE,INDICATOR_GROUP_CODE,PATIENT_LIST_SIZE\r\nE81001,DM,100\r\n")
    with pytest.raises(ReferenceFileError, match="no REGISTER column"):
        import_reference("qof-prevalence", path)
    assert not Prevalence.objects.exists()
