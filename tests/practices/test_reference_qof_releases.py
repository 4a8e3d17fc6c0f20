"""QOF prevalence 2019-20, on a cut of the real file shipped in tests/practices/releases (see its
PROVENANCE.md): the release that renamed INDICATOR_GROUP_CODE to GROUP_CODE."""

import csv
import shutil
from pathlib import Path

import pytest

from practices.reference import import_reference
from quality.models import Prevalence
from tests.factories import CCGFactory, PracticeFactory

RELEASES = Path(__file__).parent / "releases"

pytestmark = pytest.mark.django_db


def test_2019_20_is_recognised_by_its_renamed_group_column_and_every_register_stored(tmp_path):
    path = tmp_path / "PREVALENCE_1920.csv"  # the publisher's name gives the QOF year
    shutil.copy(RELEASES / "PREVALENCE_1920-cut.csv", path)
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    PracticeFactory(ods_code="A81001", ccg=CCGFactory(ods_code="16C"))

    report = import_reference("qof-prevalence", path)

    assert report.rejected == 0
    stored = Prevalence.objects.filter(year_start__year=2019, practice__ods_code="A81001")
    assert stored.count() == len(rows) == 21
    assert sum(p.register for p in stored) == sum(int(r["REGISTER"]) for r in rows) == 3057
    assert stored.get(group="DM").list_size == 3307
    notes = " ".join(report.notes)
    assert "Recognised by its columns as the QOF prevalence file of 2019-20" in notes
