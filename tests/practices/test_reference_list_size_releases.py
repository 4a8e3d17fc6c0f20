"""Patients Registered at a GP Practice, each layout the portal knows, on cuts of real files:
the CCG era's totals of January 2021 (data/reference) and the ICB era's of April 2026
(tests/practices/releases, see its PROVENANCE.md). Expected figures are read from the files."""

import csv
import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from practices.models import ListSize
from practices.reference import import_reference
from tests.factories import CCGFactory, PracticeFactory

RELEASES = Path(__file__).parent / "releases"
ICB_ERA = RELEASES / "gp-reg-pat-prac-all-2026-04-cut.csv"
CCG_ERA = Path(settings.BASE_DIR) / "data" / "reference" / "gp-reg-pat-prac-all" / "gp-reg-pat-prac-all.csv"

pytestmark = pytest.mark.django_db


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def practices_for(rows) -> None:
    ccgs = {}
    for row in rows:
        code = row.get("SUB_ICB_LOCATION_CODE") or row["CCG_CODE"]
        ccg = ccgs.get(code) or ccgs.setdefault(code, CCGFactory(ods_code=code))
        PracticeFactory(ods_code=row["CODE"], ccg=ccg)


def test_the_icb_era_totals_are_recognised_by_their_sub_icb_columns_and_every_patient_stored():
    rows = rows_of(ICB_ERA)
    practices_for(rows)
    report = import_reference("list-sizes", ICB_ERA)

    assert (report.rows, report.created, report.rejected) == (12, 12, 0)
    stored = ListSize.objects.filter(extract_date=dt.date(2026, 4, 1), sex=ListSize.Sex.ALL, age_band="all")
    assert sum(s.patients for s in stored) == sum(int(r["NUMBER_OF_PATIENTS"]) for r in rows) == 125605
    assert stored.get(practice__ods_code="A83001").patients == 15941
    notes = " ".join(report.notes)
    assert "Recognised by its columns as Patients Registered at a GP Practice, totals, ICB era" in notes
    assert "Columns not imported: PUBLICATION, ONS_SUB_ICB_LOCATION_CODE, POSTCODE." in notes
    assert "does not know" not in notes


def test_only_ccgs_picks_rows_by_the_sub_icb_location_code():
    practices_for(rows_of(ICB_ERA))
    report = import_reference("list-sizes", ICB_ERA, only_ccgs={"84H"})
    assert (report.created, report.skipped) == (2, 10)


def test_the_ccg_era_totals_are_recognised_by_their_ccg_columns(tmp_path):
    lines = CCG_ERA.read_text(encoding="utf-8").splitlines()
    cut = [lines[0], *(line for line in lines[1:] if line.split(",")[3] in ("06P", "84H"))]
    path = tmp_path / "gp-reg-pat-prac-all.csv"
    path.write_text("\r\n".join(cut) + "\r\n")
    rows = rows_of(path)
    practices_for(rows)
    report = import_reference("list-sizes", path)

    assert report.created == len(rows) == 26 + 61
    total = sum(s.patients for s in ListSize.objects.filter(extract_date=dt.date(2021, 1, 1)))
    assert total == sum(int(r["NUMBER_OF_PATIENTS"]) for r in rows)
    notes = " ".join(report.notes)
    assert "Recognised by its columns as Patients Registered at a GP Practice, totals, CCG era" in notes
    assert "does not know" not in notes


def test_a_layout_no_release_has_is_reported_by_its_columns_and_still_read(tmp_path):
    """The April 2026 cut with its commissioner columns renamed as no release names them, made here."""
    text = ICB_ERA.read_text(encoding="utf-8").replace(
        "SUB_ICB_LOCATION_CODE,ONS_SUB_ICB_LOCATION_CODE", "COMMISSIONER_CODE,COMMISSIONER_ONS_CODE", 1
    )
    path = tmp_path / "gp-reg-pat-prac-all.csv"
    path.write_text(text)
    practices_for(rows_of(ICB_ERA))
    report = import_reference("list-sizes", path)

    assert report.created == 12
    notes = " ".join(report.notes)
    assert "Its columns match no release the portal knows" in notes
    assert "Columns no known release has: COMMISSIONER_CODE, COMMISSIONER_ONS_CODE." in notes
    assert "Columns this import does not know, not imported: COMMISSIONER_ONS_CODE." in notes
