"""load_demo: the real practices of the demo CCGs, the GPFV-era groups the planning documents
describe, one account per role, and nothing new on a second run.

The demo is loaded once for the module, inside a transaction rolled back at the end, so
that the other test modules never see it.
"""

import datetime as dt
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest

from practices.demo import load_demo
from practices.demo.loader import area_of
from practices.demo.spec import DEMO_PASSWORD
from practices.models import CCG, STP, Cluster, Federation, ListSize, Practice, Role, Site, StatedPopulation, User
from practices.populations import population_on
from practices.visibility import ccgs_for, practices_for

GPFV_YEAR = dt.date(2018, 4, 1)

EXPECTED_CCGS = {
    "06P": ("NHS Luton CCG", "E54000024"),
    "06F": ("NHS Bedfordshire CCG", "E54000024"),
    "04F": ("NHS Milton Keynes CCG", "E54000024"),
    "06V": ("NHS North Norfolk CCG", "E54000022"),
    "06Y": ("NHS South Norfolk CCG", "E54000022"),
    "06A": ("NHS Wolverhampton CCG", "E54000016"),
    "00J": ("NHS North Durham CCG", "E54000049"),
    "00D": ("NHS Durham Dales, Easington and Sedgefield CCG", "E54000049"),
    "11J": ("NHS Dorset CCG", "E54000041"),
}
EXPECTED_STPS = {
    "E54000024": "Milton Keynes, Bedfordshire and Luton STP",
    "E54000022": "Norfolk and Waveney STP",
    "E54000016": "The Black Country STP",
    "E54000049": "Cumbria and North East STP",
    "E54000041": "Dorset STP",
}
# The dates the planning documents give; the other CCGs' statuses are invented.
EXPECTED_STATUS = {
    "06A": ("delegated", dt.date(2016, 4, 1)),
    "06P": ("delegated", dt.date(2017, 4, 1)),
    "11J": ("delegated", dt.date(2016, 4, 1)),
}
# Appendix 1 of the Wolverhampton report (004): "Primary Care Home 1 c72k patients ..."
WOLVERHAMPTON_GROUPS = {
    "Primary Care Home 1": 72_000,
    "Primary Care Home 2": 67_000,
    "Medical Chambers": 96_000,
    "Vertical Integration": 52_000,
}
# username: {(role, CCG, practice)}
EXPECTED_ROLES = {
    "commissioner": {("commissioner", "06P", None)},
    "governing.body": {("governing_body", "06P", None)},
    "practice.manager": {("practice_manager", None, "E81073")},
    "commissioner.wolverhampton": {("commissioner", "06A", None)},
    "practice.manager.wolverhampton": {("practice_manager", None, "M92016")},
    "commissioner.norfolk": {("commissioner", "06V", None), ("commissioner", "06Y", None)},
    "admin": {("administrator", None, None)},
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        output = StringIO()
        call_command("load_demo", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo_db(demo, db):
    return demo


def test_load_demo_prints_what_it_did(demo_db):
    assert "qof-organisations" in demo_db
    assert "NHS Luton CCG (06P): 26 open practices" in demo_db
    assert "Demo loaded." in demo_db


def test_demo_ccgs_sit_in_their_stp_footprints_with_their_commissioning_status(demo_db):
    ccgs = {c.ods_code: c for c in CCG.objects.filter(ods_code__in=EXPECTED_CCGS).select_related("stp")}
    assert {code: (c.name, c.stp.ons_code) for code, c in ccgs.items()} == EXPECTED_CCGS
    assert dict(STP.objects.filter(ons_code__in=EXPECTED_STPS).values_list("ons_code", "name")) == EXPECTED_STPS
    found = {}
    for code in EXPECTED_STATUS:
        status = ccgs[code].status_on(dt.date(2018, 4, 30))
        found[code] = (status.status, status.effective_from)
    assert found == EXPECTED_STATUS
    assert all(c.status_on(dt.date(2018, 4, 1)) for c in ccgs.values())


def test_demo_commissioning_statuses_are_dated_and_cite_their_documents(demo_db):
    luton = CCG.objects.get(ods_code="06P")
    assert luton.status_on(dt.date(2016, 9, 30)) is None
    assert luton.status_on(dt.date(2016, 10, 1)).status == "joint"
    assert luton.status_on(dt.date(2017, 4, 1)).status == "delegated"
    assert "003_a55b64613d8b5875.txt" in luton.status_on(dt.date(2016, 10, 1)).source
    norfolk = CCG.objects.get(ods_code="06V")
    assert [(c.status, c.effective_from) for c in norfolk.status_changes.order_by("effective_from")] == [
        ("joint", dt.date(2016, 4, 1)),
        ("delegated", dt.date(2017, 4, 1)),
    ]
    assert "002_12d8ddf2ca54dd40.txt" in norfolk.status_on(dt.date(2017, 4, 1)).source
    assert "001_18a970c1fc2dd05d.txt" in CCG.objects.get(ods_code="11J").status_on(dt.date(2016, 4, 1)).source
    assert "004_6041cdbc5481370b.txt" in CCG.objects.get(ods_code="06A").status_on(dt.date(2018, 4, 30)).source


def test_demo_stated_populations_are_the_documents_figures_with_their_sources(demo_db):
    stated = {
        (p.ccg.ods_code if p.ccg else p.cluster.name): (p.population, p.source_file)
        for p in StatedPopulation.objects.select_related("ccg", "cluster")
    }
    assert stated["06P"] == (230_000, "003_a55b64613d8b5875.txt")
    assert stated["06V"] == (172_083, "002_12d8ddf2ca54dd40.txt")
    assert stated["06Y"] == (234_063, "002_12d8ddf2ca54dd40.txt")
    assert stated["Luton North"] == (55_249, "003_a55b64613d8b5875.txt")
    assert {name: stated[name][0] for name in WOLVERHAMPTON_GROUPS} == WOLVERHAMPTON_GROUPS


def test_a_cluster_population_on_1_april_2017_is_counted_from_the_2016_17_files(demo_db):
    cluster = Cluster.objects.get(ccg__ods_code="06A", name="Primary Care Home 1")
    population = population_on(cluster, dt.date(2017, 4, 1))
    assert population.patients > 30_000
    assert population.latest_extract == dt.date(2017, 1, 1)
    assert population.sources <= {
        "NHS Digital, NHS Payments to General Practice, England, 2016/17, registered patients (last known figure)",
        "NHS Digital, Quality and Outcomes Framework 2016-17, practice list size",
    }
    assert "nhs-payments-gp-2016-17-registered-patients.csv" in population.source_file
    luton = population_on(CCG.objects.get(ods_code="06P"), dt.date(2017, 4, 1))
    assert 200_000 <= luton.patients <= 260_000


def test_wolverhampton_has_its_four_practice_groups_from_april_2016(demo_db):
    groups = Cluster.objects.filter(ccg__ods_code="06A").exclude(kind=Cluster.Kind.PRIMARY_CARE_NETWORK)
    found = {
        g.name: (g.kind, g.stated_population, Practice.objects.in_cluster(g, dt.date(2016, 4, 1)).count())
        for g in groups
    }
    assert found == {
        "Primary Care Home 1": ("primary_care_home", 72_000, 9),
        "Primary Care Home 2": ("primary_care_home", 67_000, 8),
        "Medical Chambers": ("practice_group", 96_000, 16),
        "Vertical Integration": ("practice_group", 52_000, 8),
    }


def test_every_luton_practice_is_in_one_of_four_clusters(demo_db):
    clusters = Cluster.objects.filter(ccg__ods_code="06P", kind=Cluster.Kind.CLUSTER)
    assert clusters.count() == 4
    luton = Practice.objects.filter(ccg__ods_code="06P").open_on(GPFV_YEAR)
    assert luton.count() >= 26
    counts = luton.annotate(
        n=Count(
            "cluster_memberships",
            filter=Q(cluster_memberships__cluster__in=clusters)
            & Q(cluster_memberships__start_date__lte=GPFV_YEAR)
            & (Q(cluster_memberships__end_date__isnull=True) | Q(cluster_memberships__end_date__gt=GPFV_YEAR)),
        )
    )
    assert {p.ods_code: p.n for p in counts if p.n != 1} == {}


def test_county_durham_has_six_federations_with_matching_localities(demo_db):
    durham = Practice.objects.filter(ccg__ods_code__in=["00J", "00D"], status=Practice.Status.ACTIVE)
    assert not durham.filter(federation__isnull=True).exists()
    federations = Federation.objects.filter(practices__in=durham).distinct()
    assert federations.count() == 6
    practice = Practice.objects.get(ods_code="A83049")  # Queens Road Surgery, Consett
    assert practice.federation.name == "Derwentside GP Federation"
    assert practice.cluster_memberships.get(cluster__kind=Cluster.Kind.LOCALITY).cluster.name == "Derwentside"


def test_list_sizes_contract_types_and_sites_come_from_the_reference_files(demo_db):
    luton_total = sum(
        ListSize.objects.totals()
        .filter(practice__ccg__ods_code="06P", extract_date=dt.date(2021, 1, 1))
        .values_list("patients", flat=True)
    )
    assert 200_000 <= luton_total <= 260_000
    medici = Practice.objects.get(ods_code="E81073")
    assert (medici.contract_type, medici.clinical_system, medici.postcode) == ("GMS", "systmone", "LU1 3UA")
    demo_practices = Practice.objects.filter(ccg__ods_code__in=EXPECTED_CCGS)
    assert not demo_practices.exclude(sites__kind=Site.Kind.MAIN).exists()
    branches = Site.objects.filter(practice__ods_code="D82028", kind=Site.Kind.BRANCH)
    assert list(branches.values_list("name", flat=True)) == ["Stalham Green Surgery"]


def test_each_demo_account_has_its_role_and_can_sign_in(demo_db, client):
    for username, expected in EXPECTED_ROLES.items():
        roles = Role.objects.filter(user__username=username)
        assert {(r.kind, r.ccg and r.ccg.ods_code, r.practice and r.practice.ods_code) for r in roles} == expected
        assert client.login(request=HttpRequest(), username=username, password=DEMO_PASSWORD), username
        client.logout()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff


def test_demo_accounts_see_their_own_organisations(demo_db):
    norfolk = User.objects.get(username="commissioner.norfolk")
    assert set(ccgs_for(norfolk).values_list("ods_code", flat=True)) == {"06V", "06Y"}
    manager = User.objects.get(username="practice.manager")
    assert list(practices_for(manager).values_list("ods_code", flat=True)) == ["E81073"]


def test_a_second_run_changes_nothing(demo_db):
    models = [m for m in apps.get_models() if m._meta.app_label not in ("sessions", "axes")]
    before = {m._meta.label: m._default_manager.count() for m in models}
    report = load_demo(password="another-password-2017")
    assert not report.changed_anything
    assert {m._meta.label: m._default_manager.count() for m in models} == before
    assert User.objects.get(username="commissioner").check_password(DEMO_PASSWORD)


def test_a_postcode_sector_rule_wins_over_its_district():
    areas = {"LU1 1": "Luton Central", "LU1": "Luton South and East"}
    assert area_of("lu11bw", areas) == "Luton Central"
    assert area_of("LU1 3UA", areas) == "Luton South and East"
    assert area_of("LU4 9FJ", areas) is None
    assert area_of("", areas) is None
