"""QOF CCG figures of a year are summed under that year's CCGs, never under the practices' CCGs of today.

Small cuts of the real 2016-17 and 2018-19 files: Ivy Grove Surgery (C81004) and Jessop
Medical Practice (C81005) were in NHS Southern Derbyshire CCG (04R) in 2016-17 and in NHS
Derby and Derbyshire CCG (15M), formed from 04R and three others, by 2018-19.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from practices.models import CCG, CCGMembership, Practice
from practices.reference import import_reference
from quality.models import PrevalenceBenchmark
from quality.prevalence import practice_prevalence
from tests.factories import CCGFactory, PracticeFactory

QOF = Path(settings.BASE_DIR) / "data" / "reference" / "qof-prevalence"
DERBYSHIRE = ("C81004", "C81005")
YEAR_1617 = dt.date(2016, 4, 1)
YEAR_1819 = dt.date(2018, 4, 1)

pytestmark = pytest.mark.django_db


def cut(name: str, tmp_path: Path, *codes: str, to: str | None = None) -> Path:
    lines = (QOF / name).read_text(encoding="utf-8-sig").splitlines()
    path = tmp_path / (to or name)
    path.parent.mkdir(exist_ok=True)
    path.write_text("\r\n".join([lines[0]] + [line for line in lines[1:] if line.split(",")[0] in codes]) + "\r\n")
    return path


def dm(tmp_path, name, *codes) -> tuple[int, int]:
    rows = [line.split(",") for line in cut(name, tmp_path, *codes, to=f"sums/{name}").read_text().splitlines()[1:]]
    rows = [r for r in rows if r[1] == "DM"]
    return sum(int(r[2]) for r in rows), sum(int(r[4]) for r in rows)


@pytest.fixture
def both_years(tmp_path):
    for name in ("ORGANISATION_REFERENCE_1617.csv", "ORGANISATION_REFERENCE_1819_v2.csv"):
        import_reference("qof-organisations", cut(name, tmp_path, *DERBYSHIRE))
    for name in ("PREVALENCE_1617.csv", "PREVALENCE_1819_v2.csv"):
        import_reference("qof-prevalence", cut(name, tmp_path, *DERBYSHIRE))


def benchmark(ccg: str, year: dt.date, group: str = "DM") -> PrevalenceBenchmark | None:
    return PrevalenceBenchmark.objects.filter(ccg__ods_code=ccg, year_start=year, group=group).first()


def test_a_practice_that_moved_ccg_counts_under_its_old_ccg_for_the_old_year(both_years, tmp_path):
    assert Practice.objects.get(ods_code="C81004").ccg.ods_code == "15M"
    southern = benchmark("04R", YEAR_1617)
    assert (southern.register, southern.list_size, southern.practices) == (1722, 23015, 2)
    assert (southern.register, southern.list_size) == dm(tmp_path, "PREVALENCE_1617.csv", *DERBYSHIRE)
    derby = benchmark("15M", YEAR_1819)
    assert (derby.register, derby.list_size, derby.practices) == (1766, 22799, 2)


def test_a_merged_ccg_gets_no_figure_for_a_year_before_it_existed(both_years):
    assert benchmark("15M", YEAR_1617) is None
    assert benchmark("04R", YEAR_1819) is None  # 2018-19's reference already names 15M
    assert not PrevalenceBenchmark.objects.filter(ccg__ods_code="15M", year_start=YEAR_1617).exists()


def test_without_the_years_reference_the_membership_on_the_years_first_day_decides(tmp_path):
    old, new = CCGFactory(ods_code="04R"), CCGFactory(ods_code="15M")
    practice = PracticeFactory(ods_code="C81004", ccg=new)
    CCGMembership.objects.create(
        practice=practice, ccg=old, start_date=dt.date(2013, 4, 1), end_date=dt.date(2019, 4, 1)
    )
    CCGMembership.objects.create(practice=practice, ccg=new, start_date=dt.date(2019, 4, 1))
    report = import_reference("qof-prevalence", cut("PREVALENCE_1617.csv", tmp_path, "C81004"))
    assert benchmark("04R", YEAR_1617).register == 662
    assert benchmark("15M", YEAR_1617) is None
    assert any("summed under each practice's CCG of that year" in note for note in report.notes)


def test_a_ccg_figure_written_under_the_wrong_ccg_before_is_removed(tmp_path):
    old, new = CCGFactory(ods_code="04R"), CCGFactory(ods_code="15M")
    practice = PracticeFactory(ods_code="C81004", ccg=new)
    CCGMembership.objects.create(
        practice=practice, ccg=old, start_date=dt.date(2013, 4, 1), end_date=dt.date(2019, 4, 1)
    )
    PrevalenceBenchmark.objects.create(ccg=new, year_start=YEAR_1617, group="DM", register=1, list_size=2, practices=1)
    report = import_reference("qof-prevalence", cut("PREVALENCE_1617.csv", tmp_path, "C81004"))
    assert benchmark("15M", YEAR_1617) is None
    assert benchmark("04R", YEAR_1617).register == 662
    assert any("no longer sum under their CCG" in note for note in report.notes)


def test_the_practice_profile_sets_an_old_year_against_the_ccg_of_that_year(tmp_path):
    for name in ("ORGANISATION_REFERENCE_1617.csv", "PREVALENCE_1617.csv"):
        dataset = "qof-organisations" if name.startswith("ORG") else "qof-prevalence"
        import_reference(dataset, cut(name, tmp_path, *DERBYSHIRE))
    practice = Practice.objects.get(ods_code="C81004")
    practice.ccg = CCGFactory(ods_code="15M", name="NHS Derby and Derbyshire CCG")
    practice.save()
    prevalence = practice_prevalence(practice)
    assert (prevalence.year, prevalence.ccg) == ("2016-17", CCG.objects.get(ods_code="04R"))
    line = next(line for line in prevalence.lines if line.code == "DM")
    assert line.ccg == pytest.approx(100 * 1722 / 23015)


def test_a_second_run_of_both_years_changes_nothing(both_years, tmp_path):
    before = set(PrevalenceBenchmark.objects.values_list("ccg__ods_code", "year_start", "group", "register"))
    again = import_reference("qof-prevalence", cut("PREVALENCE_1617.csv", tmp_path, *DERBYSHIRE))
    assert (again.created, again.updated) == (0, 0)
    assert set(PrevalenceBenchmark.objects.values_list("ccg__ods_code", "year_start", "group", "register")) == before
