"""The capacity arithmetic: shares of sites, per 1,000 patients, the projection and the guide."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from estates.capacity import (
    SchemeAddition,
    cluster_figures,
    first_year_below,
    practice_figures,
    practice_space,
    project_capacity,
)
from estates.models import ClusterCapacity, EstatesSettings, PracticeCapacity, Premises, Scheme, per_1000
from estates.services import capacity_refresh
from practices.models import Practice, Site

from ..factories import ClusterFactory, ClusterMembershipFactory, ListSizeFactory, PracticeFactory, SiteFactory
from .factories import HousingGrowthFactory, PremisesFactory, SchemeFactory, SiteOccupancyFactory

ON = dt.date(2018, 6, 1)
pytestmark = pytest.mark.django_db


def practice_in(cluster, ods_code, patients):
    practice = PracticeFactory(ccg=cluster.ccg, ods_code=ods_code)
    ClusterMembershipFactory(practice=practice, cluster=cluster)
    ListSizeFactory(practice=practice, patients=patients)
    return practice


def site_of(practice, area, rooms, kind=Site.Kind.BRANCH, **site):
    premises = PremisesFactory(
        site=SiteFactory(practice=practice, kind=kind, **site),
        gross_internal_area_m2=Decimal(area),
        clinical_rooms=rooms,
    )
    return premises.site


def test_a_practice_with_two_sites_has_the_area_and_rooms_of_both(luton_cluster):
    practice = practice_in(luton_cluster, "E81010", 8000)
    site_of(practice, "600.0", 7, kind=Site.Kind.MAIN)
    site_of(practice, "200.0", 3)

    figures = practice_figures(Practice.objects.filter(pk=practice.pk), ON)[practice.pk]

    assert figures.space.area_m2 == Decimal("800.0")
    assert figures.space.clinical_rooms == 10
    assert figures.space.sites == 2
    assert figures.area_per_1000 == Decimal("100.00")  # 800 m² / 8,000 patients x 1,000
    assert figures.rooms_per_1000 == Decimal("1.25")


def test_a_site_shared_by_two_practices_is_split_by_share_and_counts_once_in_their_cluster(luton_cluster):
    host = practice_in(luton_cluster, "E81011", 6000)
    guest = practice_in(luton_cluster, "E81012", 4000)
    shared = site_of(host, "1000.0", 10, kind=Site.Kind.MAIN)
    site_of(guest, "150.0", 2, kind=Site.Kind.MAIN)
    SiteOccupancyFactory(site=shared, practice=guest, share_percent=Decimal("40"))

    spaces = practice_space([host.pk, guest.pk], ON)
    assert spaces[host.pk].area_m2 == Decimal("600.0")  # keeps 60% of the building
    assert spaces[host.pk].clinical_rooms == Decimal("6")
    assert spaces[guest.pk].area_m2 == Decimal("550.0")  # 40% of it, plus its own 150 m²
    assert spaces[guest.pk].sites == 2

    clusters, _ = cluster_figures([luton_cluster.pk], ON)
    cluster = clusters[luton_cluster.pk]
    assert cluster.space.area_m2 == Decimal("1150.0")  # 1,000 + 150, not 1,400 + 150
    assert cluster.space.clinical_rooms == Decimal("12")
    assert cluster.patients == 10000
    assert cluster.area_per_1000 == Decimal("115.00")


def test_a_site_shared_across_two_clusters_gives_each_cluster_its_share(luton, luton_cluster):
    other_cluster = ClusterFactory(ccg=luton, name="Luton South")
    host = practice_in(luton_cluster, "E81013", 5000)
    guest = practice_in(other_cluster, "E81014", 5000)
    shared = site_of(host, "800.0", 8, kind=Site.Kind.MAIN)
    SiteOccupancyFactory(site=shared, practice=guest, share_percent=Decimal("25"))

    clusters, _ = cluster_figures([luton_cluster.pk, other_cluster.pk], ON)

    assert clusters[luton_cluster.pk].space.area_m2 == Decimal("600.0")
    assert clusters[other_cluster.pk].space.area_m2 == Decimal("200.0")


def test_a_share_that_has_ended_goes_back_to_the_host(luton_cluster):
    host = practice_in(luton_cluster, "E81015", 5000)
    guest = practice_in(luton_cluster, "E81016", 5000)
    shared = site_of(host, "500.0", 5, kind=Site.Kind.MAIN)
    SiteOccupancyFactory(
        site=shared, practice=guest, share_percent=Decimal("50"), start_date=dt.date(2016, 4, 1),
        end_date=dt.date(2018, 4, 1),
    )  # fmt: skip

    spaces = practice_space([host.pk, guest.pk], ON)

    assert spaces[host.pk].area_m2 == Decimal("500.0")
    assert spaces[guest.pk].area_m2 == 0


def test_closed_sites_and_sites_without_details_add_no_space(luton_cluster):
    practice = practice_in(luton_cluster, "E81017", 5000)
    site_of(practice, "300.0", 4, kind=Site.Kind.MAIN)
    site_of(practice, "200.0", 2, close_date=dt.date(2018, 1, 31), name="Old branch")
    SiteFactory(practice=practice, name="New branch, no details")

    space = practice_space([practice.pk], ON)[practice.pk]

    assert space.area_m2 == Decimal("300.0")
    assert space.sites == 2
    assert space.sites_without_details == 1


def test_per_1000_uses_the_latest_list_size_on_or_before_the_day(luton_cluster):
    practice = practice_in(luton_cluster, "E81018", 8000)  # extract of 1 April 2018
    ListSizeFactory(practice=practice, extract_date=dt.date(2018, 7, 1), patients=10000)
    site_of(practice, "800.0", 8, kind=Site.Kind.MAIN)

    in_june = practice_figures(Practice.objects.filter(pk=practice.pk), ON)[practice.pk]
    in_august = practice_figures(Practice.objects.filter(pk=practice.pk), dt.date(2018, 8, 1))[practice.pk]

    assert (in_june.patients, in_june.area_per_1000) == (8000, Decimal("100.00"))
    assert (in_august.patients, in_august.area_per_1000) == (10000, Decimal("80.00"))


def test_per_1000_is_not_known_without_patients():
    assert per_1000(Decimal("500"), None) is None
    assert per_1000(Decimal("500"), 0) is None
    assert per_1000(Decimal("500"), 3000) == Decimal("166.67")


def test_the_projection_adds_dwellings_times_patients_per_dwelling_year_on_year():
    rows = project_capacity(
        base_year=2018,
        patients=10000,
        area_m2=Decimal("1100"),
        clinical_rooms=Decimal("11"),
        dwellings_by_year={2018: 999, 2019: 100, 2020: 250, 2022: 50},
        patients_per_dwelling=Decimal("2.4"),
        years=4,
    )

    assert [(r.year, r.is_projected, r.new_dwellings, r.patients) for r in rows] == [
        (2018, False, 0, 10000),  # the list sizes' own year: its dwellings are in the list already
        (2019, True, 100, 10240),
        (2020, True, 350, 10840),
        (2021, True, 350, 10840),
        (2022, True, 400, 10960),
    ]
    assert rows[2].area_per_1000 == Decimal("101.48")
    assert first_year_below(rows, Decimal("100")) is None
    assert first_year_below(rows, Decimal("101")) == 2022  # 100.36 m² per 1,000 by then
    assert first_year_below(rows, Decimal("102")) == 2020
    assert first_year_below(rows, Decimal("111")) == 2018  # already below


def test_approved_schemes_add_their_space_from_the_year_they_open():
    rows = project_capacity(
        base_year=2018, patients=10000, area_m2=Decimal("900"), clinical_rooms=Decimal("9"), dwellings_by_year={},
        patients_per_dwelling=Decimal("2.4"), schemes=[SchemeAddition(2020, Decimal("300"), 4)], years=3,
    )  # fmt: skip

    assert [(r.year, r.area_m2, r.scheme_area_m2, r.clinical_rooms) for r in rows] == [
        (2018, Decimal("900"), 0, Decimal("9")),
        (2019, Decimal("900"), 0, Decimal("9")),
        (2020, Decimal("1200"), Decimal("300"), Decimal("13")),
        (2021, Decimal("1200"), Decimal("300"), Decimal("13")),
    ]


def test_capacity_refresh_stores_practice_and_cluster_rows_and_the_year_below_the_guide(luton, luton_cluster):
    practice = practice_in(luton_cluster, "E81019", 10000)
    site_of(practice, "1050.0", 12, kind=Site.Kind.MAIN)
    EstatesSettings.objects.create(
        ccg=luton, area_guide_per_1000=Decimal("100"), patients_per_dwelling=Decimal("2.5"), projection_years=5
    )
    for year in range(2018, 2024):
        HousingGrowthFactory(cluster=luton_cluster, year=year, new_dwellings=100)
    # An idea adds nothing to the projection, whatever it would add once built.
    SchemeFactory(
        ccg=luton, cluster=luton_cluster, status=Scheme.Status.IDEA, area_added_m2=Decimal("500"),
        expected_open_date=dt.date(2020, 6, 1),
    )  # fmt: skip

    capacity_refresh(ccg=luton, on=ON)

    stored = PracticeCapacity.objects.get(practice=practice)
    assert (stored.patients, stored.area_m2, stored.area_per_1000) == (10000, Decimal("1050.0"), Decimal("105.00"))
    years = list(ClusterCapacity.objects.filter(cluster=luton_cluster).order_by("year"))
    assert [(y.year, y.patients) for y in years] == [
        (2018, 10000), (2019, 10250), (2020, 10500), (2021, 10750), (2022, 11000), (2023, 11250),
    ]  # fmt: skip
    assert [y.below_area_guide for y in years] == [False, False, False, True, True, True]
    assert first_year_below(years, Decimal("100")) == 2021


def test_capacity_refresh_twice_gives_the_same_rows(luton, luton_cluster):
    practice = practice_in(luton_cluster, "E81020", 6000)
    site_of(practice, "500.0", 5, kind=Site.Kind.MAIN)

    capacity_refresh(ccg=luton, on=ON)
    first = list(ClusterCapacity.objects.values_list("cluster", "year", "patients", "area_m2"))
    capacity_refresh(ccg=luton, on=ON)

    assert list(ClusterCapacity.objects.values_list("cluster", "year", "patients", "area_m2")) == first
    assert PracticeCapacity.objects.count() == 1


def test_capacity_refresh_reads_a_fixed_number_of_queries_whatever_the_number_of_practices(luton, luton_cluster):
    def queries_with(practices: int) -> int:
        for n in range(practices):
            site_of(practice_in(luton_cluster, f"E{practices:02d}{n:03d}", 5000), "500.0", 5)
        with CaptureQueriesContext(connection) as context:
            capacity_refresh(ccg=luton, on=ON)
        return len(context)

    assert queries_with(2) == queries_with(12)


def test_void_saving_compares_the_same_sites_then_and_now_from_their_history(luton_site):
    from django.utils import timezone

    from estates.capacity import void_saving

    premises = PremisesFactory.build(
        site=luton_site, gross_internal_area_m2=Decimal("700"), void_area_m2=Decimal("100"),
        void_cost_per_year=Decimal("24000"),
    )  # fmt: skip
    premises._history_date = timezone.make_aware(dt.datetime(2017, 4, 1, 9))
    premises.save()
    premises.void_area_m2, premises.void_cost_per_year = Decimal("20"), Decimal("4800")
    premises._history_date = timezone.make_aware(dt.datetime(2018, 4, 1, 9))
    premises.save()
    PremisesFactory(void_area_m2=Decimal("50"), void_cost_per_year=Decimal("9000"))  # recorded only today

    saving = void_saving(Premises.objects.values_list("pk", flat=True), dt.date(2017, 6, 1))

    assert (saving.sites, saving.area_then, saving.cost_then) == (1, Decimal("100"), Decimal("24000"))
    assert (saving.area_now, saving.cost_now, saving.saving) == (Decimal("20"), Decimal("4800"), Decimal("19200"))
    assert void_saving([premises.pk], dt.date(2016, 1, 1)).sites == 0
