"""The reference importers on small copies of the real files: broken rows, renamed headers,
re-runs, dry runs, and files that cannot be imported at all.

Most tests import only Luton (06P) with ``only_ccgs`` or a handful of real rows written to
``tmp_path``; test_reference_england.py loads the national files whole.
"""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.conf import settings

from practices.models import (
    CCG,
    CCGMembership,
    Cluster,
    ClusterMembership,
    ListSize,
    Practice,
    ReferenceImport,
)
from practices.reference import DATASETS, ReferenceFileError, import_reference
from practices.reference.sync import ModelSync
from tests.factories import CCGFactory, ClusterFactory, ClusterMembershipFactory, PracticeFactory

DATA = Path(settings.BASE_DIR) / "data" / "reference"
EPRACCUR = DATA / "epraccur" / "epraccur.csv"
QOF_ORGANISATIONS = DATA / "qof-prevalence" / "ORGANISATION_REFERENCE_1819_v2.csv"
LIST_SIZES = DATA / "gp-reg-pat-prac-all" / "gp-reg-pat-prac-all.csv"
PRACTICE_MAP = DATA / "gp-reg-pat-prac-map" / "gp-reg-pat-prac-map.csv"
LUTON = {"06P"}


def snapshot() -> dict:
    """Everything the importers write, and how much history there is, to compare runs."""
    return {
        "practices": sorted(
            Practice.objects.values_list(
                "ods_code", "name", "address_line_1", "town", "postcode", "status", "open_date", "ccg__ods_code"
            )
        ),
        "ccgs": sorted(CCG.objects.values_list("ods_code", "name", "ons_code", "stp__ons_code", "successor__ods_code")),
        "memberships": sorted(
            CCGMembership.objects.values_list("practice__ods_code", "ccg__ods_code", "start_date", "end_date")
        ),
        "list_sizes": sorted(ListSize.objects.values_list("practice__ods_code", "extract_date", "patients", "source")),
        "pcns": sorted(Cluster.objects.values_list("code", "name", "ccg__ods_code")),
        "pcn_memberships": sorted(
            ClusterMembership.objects.values_list("practice__ods_code", "cluster__code", "start_date", "end_date")
        ),
        "history": [m.history.count() for m in (Practice, CCG, CCGMembership, ListSize, Cluster, ClusterMembership)],
    }


def epraccur_rows(*codes: str) -> list[list[str]]:
    with open(EPRACCUR, newline="") as handle:
        by_code = {row[0]: row for row in csv.reader(handle)}
    return [list(by_code[code]) for code in codes]


def write_epraccur(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    path.write_text(buffer.getvalue())
    return path


def header_and_rows(path: Path, *, keep) -> list[str]:
    """The header line and the lines ``keep`` accepts, as published (quoted fields stay quoted)."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return [lines[0]] + [line for line in lines[1:] if keep(line)]


def write_lines(path: Path, lines: list[str], *, newline="\r\n", bom=False) -> Path:
    path.write_bytes(("\ufeff" if bom else "").encode() + newline.join(lines).encode() + newline.encode())
    return path


def test_every_dataset_has_a_reference_import_choice():
    assert set(DATASETS) == set(ReferenceImport.Dataset.values)


# epraccur


@pytest.mark.django_db
def test_epraccur_only_ccgs_imports_luton_and_names_the_placeholder_ccg():
    report = import_reference("epraccur", EPRACCUR, only_ccgs=LUTON)
    luton = CCG.objects.get()
    assert (luton.ods_code, luton.name) == ("06P", "06P")
    assert any("06P" in note and "qof-organisations" in note for note in report.notes)
    assert Practice.objects.filter(status=Practice.Status.ACTIVE).count() == 26
    assert report.created == Practice.objects.count()
    assert report.skipped == 14_357 - report.created


@pytest.mark.django_db
def test_epraccur_rejects_bad_rows_by_line_and_column_and_imports_the_good_ones(tmp_path):
    good, bad_code, bad_date, no_name, bad_commissioner, closes_early = epraccur_rows(
        "E81001", "E81005", "E81006", "E81010", "E81013", "E81016"
    )
    bad_code[0] = "E8100X"
    bad_date[10] = "19741301"
    no_name[1] = ""
    bad_commissioner[14] = "0-6P"
    closes_early[11] = "19700101"
    welsh, not_a_practice = epraccur_rows("W00001", "E81637")
    rows = [good, bad_code, welsh, bad_date, no_name, not_a_practice, bad_commissioner, closes_early]
    report = import_reference("epraccur", write_epraccur(tmp_path / "epraccur.csv", rows))

    assert [(r.line, r.reason) for r in report.rejections] == [
        (2, "Organisation Code (column 1) 'E8100X' is not an ODS practice code (a capital letter and five digits)"),
        (4, "Open Date (column 11) '19741301' is not a date"),
        (5, "Name (column 2) is empty"),
        (7, "Commissioner (column 15) '0-6P' is not an ODS commissioner code (three to five letters or digits)"),
        (8, "Close Date (column 12) is before its Open Date (column 11)"),
    ]
    assert (report.created, report.rejected, report.skipped) == (1, 5, 2)
    assert list(Practice.objects.values_list("ods_code", flat=True)) == ["E81001"]
    assert "Rejected rows were left out; every other row was imported." in report.summary()


@pytest.mark.django_db
def test_epraccur_rejects_a_practice_listed_twice(tmp_path):
    rows = epraccur_rows("E81001", "E81001")
    report = import_reference("epraccur", write_epraccur(tmp_path / "epraccur.csv", rows))
    assert report.rejections[0].line == 2
    assert report.rejections[0].reason == "Organisation Code (column 1) E81001 appears again (first on line 1)"


@pytest.mark.django_db
def test_epraccur_file_with_too_few_columns_changes_nothing(tmp_path):
    CCGFactory(ods_code="06P")
    before = snapshot()
    path = write_lines(tmp_path / "epraccur.csv", ['"E81001","DR I SALEH\'S PRACTICE","Y61"'])
    with pytest.raises(ReferenceFileError, match="has 3 columns; this file should have 27 columns and no header row"):
        import_reference("epraccur", path)
    assert snapshot() == before


@pytest.mark.django_db
def test_epraccur_with_bom_and_lf_imports_identically(tmp_path):
    import_reference("epraccur", EPRACCUR, only_ccgs=LUTON)
    original = snapshot()
    lines = [line for line in EPRACCUR.read_text().splitlines() if '"06P"' in line]
    variant = write_lines(tmp_path / "epraccur.csv", lines, newline="\n", bom=True)
    report = import_reference("epraccur", variant)
    assert report.unchanged == len([line for line in lines if line.split('","')[25] == "4"])
    assert (report.created, report.updated) == (0, 0)
    assert snapshot() == original


@pytest.mark.django_db
def test_epraccur_moves_a_practice_to_its_new_ccg_and_ends_the_old_membership(tmp_path):
    old = CCGFactory(ods_code="06F", name="NHS Bedfordshire CCG")
    practice = PracticeFactory(ods_code="E81001", ccg=old)
    CCGMembership.objects.create(practice=practice, ccg=old, start_date=dt.date(2002, 4, 1))
    row = epraccur_rows("E81001")[0]
    row[15] = "20190401"
    report = import_reference("epraccur", write_epraccur(tmp_path / "epraccur.csv", [row]))
    assert report.updated == 1
    practice.refresh_from_db()
    assert practice.ccg.ods_code == "06P"
    spans = list(practice.ccg_memberships.order_by("start_date").values_list("ccg__ods_code", "start_date", "end_date"))
    assert spans == [("06F", dt.date(2002, 4, 1), dt.date(2019, 4, 1)), ("06P", dt.date(2019, 4, 1), None)]


@pytest.mark.django_db
def test_epraccur_second_run_is_unchanged_and_writes_no_history():
    import_reference("epraccur", EPRACCUR, only_ccgs=LUTON)
    before = snapshot()
    report = import_reference("epraccur", EPRACCUR, only_ccgs=LUTON)
    assert (report.created, report.updated, report.rejected) == (0, 0, 0)
    assert report.unchanged == len(before["practices"])
    assert snapshot() == before


@pytest.mark.django_db
def test_epraccur_records_a_changed_practice_with_history_by_the_user(tmp_path, root):
    import_reference("epraccur", write_epraccur(tmp_path / "a.csv", epraccur_rows("E81001")))
    row = epraccur_rows("E81001")[0]
    row[17] = "01582 000000"
    report = import_reference("epraccur", write_epraccur(tmp_path / "b.csv", [row]), user=root)
    assert report.updated == 1
    practice = Practice.objects.get(ods_code="E81001")
    assert practice.telephone == "01582 000000"
    latest = practice.history.first()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~",
        root,
        "import_reference epraccur b.csv",
    )


@pytest.mark.django_db
def test_dry_run_reports_everything_and_changes_nothing():
    before = snapshot()
    report = import_reference("epraccur", EPRACCUR, only_ccgs=LUTON, dry_run=True)
    assert report.created > 0 and report.dry_run
    assert "Dry run: nothing was saved." in report.summary()
    assert snapshot() == before


@pytest.mark.django_db
def test_an_error_part_way_leaves_the_database_as_it_was(monkeypatch):
    before = snapshot()
    real_write = ModelSync.write

    def fail_on_memberships(self, report, **kwargs):
        if self.model is CCGMembership:
            raise RuntimeError("disk full")
        return real_write(self, report, **kwargs)

    monkeypatch.setattr(ModelSync, "write", fail_on_memberships)
    with pytest.raises(RuntimeError):
        import_reference("epraccur", EPRACCUR, only_ccgs=LUTON)
    assert snapshot() == before


def test_unknown_dataset_is_refused():
    with pytest.raises(ReferenceFileError, match="There is no dataset 'gp-earnings'"):
        import_reference("gp-earnings", EPRACCUR)


# qof-organisations


@pytest.mark.django_db
def test_qof_organisations_names_the_placeholder_ccg_and_creates_missing_practices():
    import_reference("epraccur", EPRACCUR, only_ccgs=LUTON)
    epraccur_practices = Practice.objects.count()
    report = import_reference("qof-organisations", QOF_ORGANISATIONS, only_ccgs=LUTON)
    luton = CCG.objects.get(ods_code="06P")
    assert (luton.name, luton.ons_code, luton.stp.ons_code) == ("NHS Luton CCG", "E38000102", "E54000024")
    assert report.created + report.updated + report.unchanged == 27
    assert Practice.objects.count() == epraccur_practices + report.created
    assert report.records["CCGs"]["updated"] == 1 and report.records["STP footprints"]["created"] == 1


@pytest.mark.django_db
def test_qof_organisations_with_renamed_lower_case_headers_bom_and_lf_imports_identically(tmp_path):
    import_reference("qof-organisations", QOF_ORGANISATIONS, only_ccgs=LUTON)
    original = snapshot()
    lines = header_and_rows(QOF_ORGANISATIONS, keep=lambda line: ",06P," in line)
    lines[0] = lines[0].replace("PRACTICE_CODE", " code").replace("CCG_ONS_CODE", "ons ccg code").lower()
    report = import_reference(
        "qof-organisations", write_lines(tmp_path / "ORGANISATION_REFERENCE_1819_v2.csv", lines, newline="\n", bom=True)
    )
    assert (report.created, report.updated, report.unchanged) == (0, 0, 27)
    assert snapshot() == original


@pytest.mark.django_db
def test_qof_organisations_missing_a_required_column_names_it_and_changes_nothing(tmp_path):
    CCGFactory(ods_code="06P", name="NHS Luton CCG")
    before = snapshot()
    lines = header_and_rows(QOF_ORGANISATIONS, keep=lambda line: ",06P," in line)
    lines[0] = lines[0].replace("STP_ONS_CODE", "STP")
    with pytest.raises(ReferenceFileError, match="has no STP_ONS_CODE column"):
        import_reference("qof-organisations", write_lines(tmp_path / "ORGANISATION_REFERENCE_1819_v2.csv", lines))
    assert snapshot() == before


@pytest.mark.django_db
def test_qof_organisations_rejects_a_row_without_a_ccg_name(tmp_path):
    lines = header_and_rows(QOF_ORGANISATIONS, keep=lambda line: ",06P," in line)
    lines[3] = lines[3].replace("NHS Luton CCG", "")
    report = import_reference("qof-organisations", write_lines(tmp_path / "ORGANISATION_REFERENCE_1819_v2.csv", lines))
    assert [(r.line, r.reason) for r in report.rejections] == [(4, "CCG_NAME is empty")]
    assert report.created == 26


# list-sizes


@pytest.fixture
def luton_practices(db):
    import_reference("epraccur", EPRACCUR, only_ccgs=LUTON)


def test_list_sizes_only_ccgs_loads_luton(luton_practices):
    report = import_reference("list-sizes", LIST_SIZES, only_ccgs=LUTON)
    assert (report.created, report.rejected) == (26, 0)
    assert ListSize.objects.get(practice__ods_code="E81001").patients == 3492


def test_list_sizes_reject_bad_rows_by_line_and_column(luton_practices, tmp_path):
    lines = header_and_rows(LIST_SIZES, keep=lambda line: ",06P," in line)[:7]
    lines[1] = lines[1].replace("01JAN2021", "32JAN2021")
    lines[2] = lines[2].rsplit(",", 1)[0] + ",lots"
    lines[3] = lines[3].rsplit(",", 1)[0] + ","
    code = lines[4].split(",")[5]
    lines[4] = lines[4].replace(code, "E89999")
    lines[5] = lines[5].replace(lines[5].split(",")[5], "E8100")
    report = import_reference("list-sizes", write_lines(tmp_path / "sizes.csv", lines))
    assert [(r.line, r.reason) for r in report.rejections] == [
        (2, "EXTRACT_DATE '32JAN2021' is not a date"),
        (3, "NUMBER_OF_PATIENTS 'lots' is not a whole number"),
        (4, "NUMBER_OF_PATIENTS is empty"),
        (5, "CODE E89999 is not in the portal: import epraccur first"),
        (6, "CODE 'E8100' is not an ODS practice code (a capital letter and five digits)"),
    ]
    assert report.created == 1 and ListSize.objects.count() == 1


@pytest.mark.parametrize("written", ["01May2022", "2022-05-01", "01/05/2022", "01MAY2022"])
def test_list_sizes_read_each_published_date_style(luton_practices, tmp_path, written):
    lines = header_and_rows(LIST_SIZES, keep=lambda line: ",E81001," in line)
    lines[1] = lines[1].replace("01JAN2021", written)
    import_reference("list-sizes", write_lines(tmp_path / "sizes.csv", lines))
    size = ListSize.objects.get()
    assert size.extract_date == dt.date(2022, 5, 1)
    assert size.source == "NHS Digital, Patients Registered at a GP Practice, May 2022"


def test_list_sizes_store_sex_and_age_band_breakdowns(luton_practices, tmp_path):
    lines = [
        "PUBLICATION,EXTRACT_DATE,TYPE,CCG_CODE,ONS_CCG_CODE,ORG_CODE,POSTCODE,SEX,AGE_GROUP_5,NUMBER_OF_PATIENTS",
        "GP_PRAC_PAT_LIST,01JAN2021,GP,06P,E38000102,E81001,LU2 0NN,ALL,ALL,3492",
        "GP_PRAC_PAT_LIST,01JAN2021,GP,06P,E38000102,E81001,LU2 0NN,MALE,0_4,120",
        "GP_PRAC_PAT_LIST,01JAN2021,GP,06P,E38000102,E81001,LU2 0NN,FEMALE,95+,3",
        "GP_PRAC_PAT_LIST,01JAN2021,CCG,06P,E38000102,06P,,ALL,ALL,250000",
    ]
    report = import_reference("list-sizes", write_lines(tmp_path / "quin.csv", lines))
    assert (report.created, report.skipped) == (3, 1)
    assert sorted(ListSize.objects.values_list("sex", "age_band", "patients")) == [
        ("all", "all", 3492),
        ("female", "95+", 3),
        ("male", "0-4", 120),
    ]
    assert Practice.objects.get(ods_code="E81001").list_size_on().patients == 3492


def test_list_sizes_update_a_revised_figure_and_second_run_is_unchanged(luton_practices, tmp_path):
    import_reference("list-sizes", LIST_SIZES, only_ccgs=LUTON)
    lines = header_and_rows(LIST_SIZES, keep=lambda line: ",06P," in line)
    lines[1] = lines[1].rsplit(",", 1)[0] + ",9999"
    revised = write_lines(tmp_path / "revised.csv", lines)
    first = import_reference("list-sizes", revised)
    # Every row now names the revised file; one also has a new figure.
    assert (first.updated, first.unchanged) == (26, 0)
    assert set(ListSize.objects.values_list("source_file", flat=True)) == {"revised.csv"}
    assert ListSize.objects.filter(patients=9999).count() == 1
    before = snapshot()
    again = import_reference("list-sizes", revised)
    assert (again.updated, again.unchanged) == (0, 26)
    assert snapshot() == before


def test_list_sizes_missing_the_patients_column_names_it_and_changes_nothing(luton_practices, tmp_path):
    before = snapshot()
    lines = header_and_rows(LIST_SIZES, keep=lambda line: ",06P," in line)
    lines[0] = lines[0].replace("NUMBER_OF_PATIENTS", "COUNT")
    with pytest.raises(ReferenceFileError, match="has no NUMBER_OF_PATIENTS column"):
        import_reference("list-sizes", write_lines(tmp_path / "sizes.csv", lines))
    assert snapshot() == before


def test_list_sizes_read_a_windows_1252_file(luton_practices, tmp_path):
    lines = header_and_rows(LIST_SIZES, keep=lambda line: ",E81001," in line)
    lines[1] = lines[1].replace("GP_PRAC_PAT_LIST", "GP_PRAC_PAT_LIST \u2013 January")
    path = tmp_path / "sizes.csv"
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    assert import_reference("list-sizes", path).created == 1


# practice-map


def test_practice_map_only_ccgs_builds_luton_pcns_and_successor(luton_practices):
    report = import_reference("practice-map", PRACTICE_MAP, only_ccgs=LUTON)
    assert report.rejected == 0
    assert CCG.objects.get(ods_code="06P").successor.ods_code == "M1J4Y"
    medics = Cluster.objects.get(code="U51229")
    assert (medics.name, medics.kind, medics.ccg.ods_code) == ("MEDICS PCN", "pcn", "06P")
    assert ClusterMembership.objects.get(practice__ods_code="E81005").start_date == dt.date(2025, 10, 1)
    before = snapshot()
    again = import_reference("practice-map", PRACTICE_MAP, only_ccgs=LUTON)
    assert (again.created, again.updated) == (0, 0)
    assert snapshot() == before


def test_practice_map_rejects_practices_not_in_the_portal(luton_practices, tmp_path):
    lines = header_and_rows(PRACTICE_MAP, keep=lambda line: ",E81005," in line or ",E81002," in line)
    report = import_reference("practice-map", write_lines(tmp_path / "map.csv", lines, newline="\n"))
    assert [(r.line, r.reason) for r in report.rejections] == [
        (2, "PRACTICE_CODE E81002 is not in the portal: import epraccur first")
    ]
    assert report.created == 1


def test_practice_map_moves_a_practice_to_its_new_pcn_and_ends_the_old_membership(luton_practices, tmp_path):
    practice = Practice.objects.get(ods_code="E81005")
    old_pcn = ClusterFactory(ccg=practice.ccg, code="U00001", name="OLD PCN", kind=Cluster.Kind.PRIMARY_CARE_NETWORK)
    locality = ClusterFactory(ccg=practice.ccg, name="Luton South", kind=Cluster.Kind.LOCALITY)
    ClusterMembershipFactory(practice=practice, cluster=old_pcn, start_date=dt.date(2019, 7, 1))
    ClusterMembershipFactory(practice=practice, cluster=locality, start_date=dt.date(2016, 4, 1))
    lines = header_and_rows(PRACTICE_MAP, keep=lambda line: ",E81005," in line)
    report = import_reference("practice-map", write_lines(tmp_path / "map.csv", lines))
    assert report.created == 1
    spans = sorted(practice.cluster_memberships.values_list("cluster__name", "start_date", "end_date"))
    assert spans == [
        ("Luton South", dt.date(2016, 4, 1), None),
        ("MEDICS PCN", dt.date(2025, 10, 1), None),
        ("OLD PCN", dt.date(2019, 7, 1), dt.date(2025, 10, 1)),
    ]


def test_practice_map_ends_the_pcn_membership_of_an_unallocated_practice(luton_practices, tmp_path):
    practice = Practice.objects.get(ods_code="E81005")
    pcn = ClusterFactory(ccg=practice.ccg, code="U51229", name="MEDICS PCN", kind=Cluster.Kind.PRIMARY_CARE_NETWORK)
    ClusterMembershipFactory(practice=practice, cluster=pcn, start_date=dt.date(2019, 7, 1))
    lines = header_and_rows(PRACTICE_MAP, keep=lambda line: ",E81005," in line)
    lines[1] = lines[1].replace("U51229,MEDICS PCN", "U,Unallocated")
    report = import_reference("practice-map", write_lines(tmp_path / "map.csv", lines))
    assert report.updated == 1
    assert practice.cluster_memberships.get().end_date == dt.date(2025, 10, 1)


def test_practice_map_renames_a_pcn_whose_name_another_cluster_in_the_ccg_has(luton_practices, tmp_path):
    practice = Practice.objects.get(ods_code="E81005")
    ClusterFactory(ccg=practice.ccg, name="MEDICS PCN", kind=Cluster.Kind.CLUSTER)
    lines = header_and_rows(PRACTICE_MAP, keep=lambda line: ",E81005," in line)
    report = import_reference("practice-map", write_lines(tmp_path / "map.csv", lines))
    assert Cluster.objects.get(code="U51229").name == "MEDICS PCN (U51229)"
    assert "MEDICS PCN (U51229)" in " ".join(report.notes)
    again = import_reference("practice-map", write_lines(tmp_path / "map.csv", lines))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_practice_map_with_ccg_code_header_alias_imports_identically(luton_practices, tmp_path):
    lines = header_and_rows(PRACTICE_MAP, keep=lambda line: ",M1J4Y," in line)
    import_reference("practice-map", write_lines(tmp_path / "map.csv", lines), only_ccgs=LUTON)
    original = snapshot()
    lines[0] = lines[0].replace("SUB_ICB_LOCATION_CODE", "CCG_CODE").replace("PRACTICE_CODE", "Code")
    report = import_reference("practice-map", write_lines(tmp_path / "renamed.csv", lines), only_ccgs=LUTON)
    assert (report.created, report.updated) == (0, 0)
    assert snapshot() == original
