"""The IMD importer (``import_reference imd``) on a few rows of the real Fingertips export
(indicator 93553, Deprivation score (IMD 2019)) written to ``tmp_path``."""

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from practices.models import DeprivationScore, Practice
from practices.reference import import_reference
from practices.reference.imd import national_deciles
from tests.factories import CCGFactory, PracticeFactory

FINGERTIPS = Path(settings.BASE_DIR) / "data" / "reference" / "imd-by-practice"
FILE = FINGERTIPS / "fingertips_93553_IMD2019_gp_practices.csv"


def real_lines(*codes: str) -> tuple[list[str], dict[str, list[str]]]:
    """The header, the England row and the rows of these practices, as the file has them."""
    with open(FILE, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = {row[4]: row for row in reader if row[4] in codes or row[6] == "England"}
    return header, rows


def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


CODES = ("A81001", "A81002", "A81004", "A81005", "A81006")


@pytest.fixture
def practices(db):
    ccg = CCGFactory(ods_code="00K")
    return {code: PracticeFactory(ods_code=code, ccg=ccg) for code in CODES}


def small_file(tmp_path, *, change=None, extra_columns=()):
    header, by_code = real_lines(*CODES)
    rows = [by_code["E92000001"], *[list(by_code[c]) for c in CODES]]
    if change:
        change(header, rows)
    header = [*header, *extra_columns]
    rows = [[*row, *("x" for _ in extra_columns)] for row in rows]
    return write(tmp_path / "imd.csv", header, rows)


def test_imd_import_stores_each_practices_score_decile_source_and_period(practices, tmp_path):
    report = import_reference("imd", small_file(tmp_path))

    assert (report.created, report.skipped, report.rejected) == (5, 1, 0)
    score = DeprivationScore.objects.get(practice__ods_code="A81001")
    assert score.score == Decimal("32.361")  # 32.3609392614188 in the file
    assert (score.index, score.period, score.practices_ranked) == ("IMD 2019", "2019", 5)
    assert score.source == "OHID Fingertips indicator 93553: Deprivation score (IMD 2019)"
    assert score.source_file == "imd.csv"
    # A81001 32.36, A81002 31.92, A81004 28.02: the highest score is decile 1.
    ranked = sorted(DeprivationScore.objects.all(), key=lambda s: -s.score)
    assert [s.decile for s in ranked] == [2, 4, 6, 8, 10]
    assert any("deciles worked out among the 5 practices" in note for note in report.notes)


def test_imd_import_names_the_columns_it_leaves_out_and_those_it_does_not_know(practices, tmp_path):
    report = import_reference("imd", small_file(tmp_path, extra_columns=["Practice list size"]))

    assert any(n.startswith("Columns not imported: Parent Name, Area Name, Age, Category,") for n in report.notes)
    assert "Columns this import does not know, not imported: Practice list size." in report.notes


def test_imd_second_run_is_unchanged_and_writes_no_history(practices, tmp_path):
    path = small_file(tmp_path)
    import_reference("imd", path)
    history = DeprivationScore.history.count()

    report = import_reference("imd", path)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 5)
    assert DeprivationScore.history.count() == history


def test_imd_revised_score_updates_the_record(practices, tmp_path):
    import_reference("imd", small_file(tmp_path))

    def revise(header, rows):
        rows[1][header.index("Value")] = "10.5"

    report = import_reference("imd", small_file(tmp_path, change=revise))

    assert report.updated >= 1
    assert DeprivationScore.objects.get(practice__ods_code="A81001").score == Decimal("10.500")
    assert DeprivationScore.objects.get(practice__ods_code="A81001").decile == 10


def test_imd_bad_value_is_rejected_by_line_and_column_and_the_rest_imported(practices, tmp_path):
    def spoil(header, rows):
        rows[2][header.index("Value")] = "high"  # A81002, line 4 of the file (England on line 2)
        rows[3][header.index("Area Code")] = "A8100"

    report = import_reference("imd", small_file(tmp_path, change=spoil))

    assert [str(r) for r in report.rejections] == [
        "line 4: Value 'high' is not a number",
        "line 5: Area Code 'A8100' is not an ODS practice code (a capital letter and five digits)",
    ]
    assert DeprivationScore.objects.count() == 3
    assert DeprivationScore.objects.get(practice__ods_code="A81001").practices_ranked == 3


def test_imd_practice_not_in_the_portal_is_rejected_unless_outside_only_ccgs(practices, tmp_path):
    Practice.objects.filter(ods_code="A81006").delete()
    path = small_file(tmp_path)

    everything = import_reference("imd", path, dry_run=True)
    scoped = import_reference("imd", path, only_ccgs={"00K"})

    assert [str(r) for r in everything.rejections] == [
        "line 7: Area Code A81006 is not in the portal: import epraccur first"
    ]
    assert (scoped.created, scoped.rejected, scoped.skipped) == (4, 0, 2)
    # The decile is national: A81006 still counts among the practices ranked.
    assert DeprivationScore.objects.get(practice__ods_code="A81001").practices_ranked == 5


def test_equal_scores_share_a_decile():
    deciles = national_deciles(
        {"A": Decimal("40"), "B": Decimal("30"), "C": Decimal("30"), "D": Decimal("20"), "E": Decimal("10")}
    )

    assert deciles == {"A": 2, "B": 4, "C": 4, "D": 8, "E": 10}


def test_deciles_split_practices_into_tenths_highest_score_first():
    scores = {f"P{n:05d}": Decimal(n) / 100 for n in range(1, 1001)}

    deciles = national_deciles(scores)

    assert [list(deciles.values()).count(d) for d in range(1, 11)] == [100] * 10
    assert deciles["P01000"] == 1 and deciles["P00001"] == 10
