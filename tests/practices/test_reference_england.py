"""The four reference importers on the real national files, loaded once for the module.

Facts checked come from each file's PROVENANCE.md or are counted from the file itself.
The module's fixture imports all of England once inside a transaction it rolls back at
the end, and every test runs in a savepoint within it.
"""

import csv
import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.db.models import Sum

from practices.models import (
    CCG,
    ICB,
    STP,
    CCGMembership,
    Cluster,
    ClusterMembership,
    ListSize,
    Practice,
    SubICBLocation,
)
from practices.reference import import_reference

pytestmark = pytest.mark.slow

DATA = Path(settings.BASE_DIR) / "data" / "reference"
EPRACCUR = DATA / "epraccur" / "epraccur.csv"
QOF_ORGANISATIONS = DATA / "qof-prevalence" / "ORGANISATION_REFERENCE_1819_v2.csv"
LIST_SIZES = DATA / "gp-reg-pat-prac-all" / "gp-reg-pat-prac-all.csv"
PRACTICE_MAP = DATA / "gp-reg-pat-prac-map" / "gp-reg-pat-prac-map.csv"
ORDER = [
    ("epraccur", EPRACCUR),
    ("qof-organisations", QOF_ORGANISATIONS),
    ("list-sizes", LIST_SIZES),
    ("practice-map", PRACTICE_MAP),
]
HISTORIES = [Practice, CCG, STP, CCGMembership, Cluster, ClusterMembership, ListSize, ICB, SubICBLocation]


def history_count() -> int:
    return sum(model.history.count() for model in HISTORIES)


def csv_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def england(django_db_setup, django_db_blocker):
    """All four files imported once, then each imported again; rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        first = {dataset: import_reference(dataset, path) for dataset, path in ORDER}
        histories = history_count()
        second = {dataset: import_reference(dataset, path) for dataset, path in ORDER}
        yield {"first": first, "second": second, "histories": (histories, history_count())}
        transaction.set_rollback(True)


def test_epraccur_imports_every_english_gp_practice_and_skips_the_rest(england, db):
    report = england["first"]["epraccur"]
    assert report.rows == 14_357
    assert (report.created, report.rejected) == (8_204, 0)
    assert report.skipped == 14_357 - 8_204  # other prescribing settings and the 721 Welsh rows
    assert Practice.objects.filter(status=Practice.Status.ACTIVE).count() == 6_830
    assert not Practice.objects.filter(ods_code__startswith="W").exists()


@pytest.mark.parametrize(
    "ccg, active", [("06P", 26), ("06V", 19), ("06Y", 24), ("06A", 39), ("11J", 80), ("00J", 30), ("00C", 11)]
)
def test_epraccur_active_practices_per_ccg_match_the_provenance(england, db, ccg, active):
    assert Practice.objects.filter(ccg__ods_code=ccg, status=Practice.Status.ACTIVE).count() == active


def test_epraccur_keeps_a_known_practices_fields_and_dated_ccg_membership(england, db):
    practice = Practice.objects.get(ods_code="E81001")
    assert practice.name == "DR I SALEH'S PRACTICE"
    assert (practice.address_line_1, practice.address_line_2) == ("THE SURGERY", "40 WENLOCK STREET")
    assert (practice.town, practice.county, practice.postcode) == ("LUTON", "BEDFORDSHIRE", "LU2 0NN")
    assert practice.telephone == "01582 343347"
    assert practice.open_date == dt.date(1974, 4, 1) and practice.close_date is None
    assert practice.status == Practice.Status.ACTIVE
    assert practice.ccg.ods_code == "06P"
    membership = practice.ccg_memberships.get()
    assert (membership.ccg.ods_code, membership.start_date, membership.end_date) == ("06P", dt.date(2013, 4, 1), None)


def test_epraccur_closed_practice_keeps_its_close_date_and_membership_end(england, db):
    practice = Practice.objects.get(ods_code="A81003")
    assert practice.status == Practice.Status.CLOSED
    assert practice.close_date == dt.date(2017, 10, 31)
    assert practice.ccg_memberships.get().end_date == dt.date(2017, 10, 31)


def test_epraccur_imports_a_practice_with_an_invalid_postcode_without_it_and_warns(england, db):
    report = england["first"]["epraccur"]
    assert report.warnings[0].line == 87
    assert "Postcode (column 10) 'LA14 2IB' is not a UK postcode" in report.warnings[0].reason
    with open(EPRACCUR, newline="") as handle:
        code = list(csv.reader(handle))[86][0]
    assert Practice.objects.get(ods_code=code).postcode == ""


def test_qof_organisations_names_every_ccg_and_stp(england, db):
    assert STP.objects.count() == 42
    assert CCG.objects.exclude(stp=None).count() == 191
    luton = CCG.objects.get(ods_code="06P")
    assert (luton.name, luton.ons_code) == ("NHS Luton CCG", "E38000102")
    assert (luton.stp.ons_code, luton.stp.name) == ("E54000024", "Milton Keynes, Bedfordshire and Luton STP")


@pytest.mark.parametrize(
    "ccg, count", [("06P", 27), ("06V", 19), ("06Y", 24), ("06A", 40), ("11J", 84), ("00J", 30), ("00C", 11)]
)
def test_qof_organisations_puts_each_practice_in_its_ccg_on_1_april_2018(england, db, ccg, count):
    codes = {r["PRACTICE_CODE"] for r in csv_rows(QOF_ORGANISATIONS) if r["CCG_CODE"] == ccg}
    assert len(codes) == count
    in_ccg = set(
        CCGMembership.objects.current(dt.date(2018, 4, 1))
        .filter(ccg__ods_code=ccg, practice__ods_code__in=codes)
        .values_list("practice__ods_code", flat=True)
    )
    assert in_ccg == codes


def test_list_sizes_store_every_known_practices_total(england, db):
    report = england["first"]["list-sizes"]
    assert report.rows == 6_658
    assert (report.created, report.rejected) == (6_636, 22)
    rejected_codes = {r["CODE"] for r in csv_rows(LIST_SIZES)} - set(
        ListSize.objects.values_list("practice__ods_code", flat=True)
    )
    rejected_patients = sum(int(r["NUMBER_OF_PATIENTS"]) for r in csv_rows(LIST_SIZES) if r["CODE"] in rejected_codes)
    assert ListSize.objects.aggregate(total=Sum("patients"))["total"] + rejected_patients == 60_606_345
    assert ListSize.objects.filter(practice__ccg__ods_code="06P").count() == 26


def test_list_sizes_reject_unknown_practices_with_the_line_number_as_counted_with_the_header(england, db):
    rejection = england["first"]["list-sizes"].rejections[0]
    lines = LIST_SIZES.read_text().splitlines()
    code = lines[rejection.line - 1].split(",")[5]
    assert rejection.reason == f"CODE {code} is not in the portal: import epraccur first"
    assert not Practice.objects.filter(ods_code=code).exists()


def test_list_size_of_a_known_practice(england, db):
    size = ListSize.objects.get(practice__ods_code="E81001")
    assert (size.extract_date, size.sex, size.age_band, size.patients) == (dt.date(2021, 1, 1), "all", "all", 3492)
    assert size.source == "NHS Digital, Patients Registered at a GP Practice, January 2021"


def test_practice_map_builds_icbs_sub_icb_locations_and_pcns(england, db):
    report = england["first"]["practice-map"]
    assert (ICB.objects.count(), SubICBLocation.objects.count()) == (42, 106)
    rows = csv_rows(PRACTICE_MAP)
    known = set(Practice.objects.values_list("ods_code", flat=True))
    pcns = {r["PCN_CODE"] for r in rows if r["PRACTICE_CODE"] in known and r["PCN_CODE"] != "U"}
    assert set(Cluster.objects.filter(kind=Cluster.Kind.PRIMARY_CARE_NETWORK).values_list("code", flat=True)) == pcns
    assert report.rejected == sum(1 for r in rows if r["PRACTICE_CODE"] not in known)
    assert all(r.reason.endswith("is not in the portal: import epraccur first") for r in report.rejections)


def test_practice_map_puts_a_practice_in_its_pcn_from_the_extract_date(england, db):
    stockton = Cluster.objects.get(code="U89141")
    assert (stockton.name, stockton.kind, stockton.ccg.ods_code) == ("STOCKTON PCN", "pcn", "00K")
    membership = ClusterMembership.objects.get(practice__ods_code="A81001")
    assert (membership.cluster, membership.start_date, membership.end_date) == (stockton, dt.date(2025, 10, 1), None)


@pytest.mark.parametrize("ccg, successor", [("06P", "M1J4Y"), ("06A", "D2P2L"), ("11J", "11J"), ("00J", "84H")])
def test_practice_map_records_each_ccgs_successor(england, db, ccg, successor):
    assert CCG.objects.get(ods_code=ccg).successor.ods_code == successor


def test_second_run_of_every_file_changes_nothing_and_adds_no_history(england, db):
    for dataset, report in england["second"].items():
        first = england["first"][dataset]
        assert (report.created, report.updated) == (0, 0), dataset
        assert report.unchanged == first.created + first.updated + first.unchanged, dataset
        assert report.rejected == first.rejected, dataset
        assert not report.changed_anything, dataset
    before, after = england["histories"]
    assert before == after
