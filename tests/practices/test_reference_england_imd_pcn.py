"""The IMD and ePCN importers on the whole national files, after epraccur and the QOF
organisation reference and before the 2025 practice map, in the order they were published;
loaded once for the module and rolled back after it."""

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from practices.models import Cluster, ClusterMembership, DeprivationScore
from practices.reference import import_reference

pytestmark = pytest.mark.slow

DATA = Path(settings.BASE_DIR) / "data" / "reference"
IMD = DATA / "imd-by-practice" / "fingertips_93553_IMD2019_gp_practices.csv"
EPCN = DATA / "pcn-core-list" / "ePCN_2019-12-04.xlsx"
ORDER = [
    ("epraccur", DATA / "epraccur" / "epraccur.csv"),
    ("qof-organisations", DATA / "qof-prevalence" / "ORGANISATION_REFERENCE_1819_v2.csv"),
    ("imd", IMD),
    ("pcn-designations", EPCN),
]
PRACTICE_MAP = DATA / "gp-reg-pat-prac-map" / "gp-reg-pat-prac-map.csv"
OCT_2019 = dt.date(2019, 10, 1)


@pytest.fixture(scope="module")
def england(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        first = {dataset: import_reference(dataset, path) for dataset, path in ORDER}
        second = {dataset: import_reference(dataset, path) for dataset, path in ORDER[2:]}
        before_map = set(
            ClusterMembership.objects.filter(start_date=OCT_2019).values_list("practice_id", "cluster__code")
        )
        after_map = import_reference("practice-map", PRACTICE_MAP)
        yield {"first": first, "second": second, "before_map": before_map, "map": after_map}
        transaction.set_rollback(True)


def test_imd_scores_every_practice_of_the_file_the_portal_holds(england, db):
    report = england["first"]["imd"]
    with open(IMD, encoding="utf-8-sig", newline="") as handle:
        practices = sum(1 for row in csv.DictReader(handle) if row["Area Type"] == "GP")
    assert practices == 6_545
    assert report.created + report.rejected == practices
    assert all("is not in the portal" in r.reason for r in report.rejections)
    deciles = Counter(DeprivationScore.objects.values_list("decile", flat=True))
    assert sorted(deciles) == list(range(1, 11))
    assert DeprivationScore.objects.filter(practices_ranked=practices).count() == report.created


def test_epcn_loads_every_pcn_and_core_practice_with_odss_dates(england, db):
    report = england["first"]["pcn-designations"]
    assert report.created + report.rejected == 6_757
    assert all("is not in the portal" in r.reason for r in report.rejections)
    assert report.records["PCNs"]["created"] == 1_250
    starts = Counter(ClusterMembership.objects.filter(cluster__kind="pcn").values_list("start_date", flat=True))
    assert set(starts) >= {OCT_2019, dt.date(2019, 12, 1)}


def test_a_second_run_of_each_changes_nothing(england, db):
    for dataset in ("imd", "pcn-designations"):
        report = england["second"][dataset]
        assert (report.created, report.updated) == (0, 0), dataset
        assert not report.changed_anything, dataset


def test_the_2025_map_keeps_the_2019_memberships(england, db):
    after = set(ClusterMembership.objects.filter(start_date=OCT_2019).values_list("practice_id", "cluster__code"))
    assert after == england["before_map"]
    assert england["map"].rejected == 0 or all("not in the portal" in r.reason for r in england["map"].rejections)
    assert Cluster.objects.filter(kind="pcn").count() >= 1_250
