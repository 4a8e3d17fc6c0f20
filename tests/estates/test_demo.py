"""load_demo_estates on a small copy of the demo CCGs: the named schemes, a shared site, housing
growth and checklists, capacity computed, and nothing new on a second run."""

import datetime as dt
from decimal import Decimal

import pytest

from estates.demo import load_demo_estates
from estates.models import ClusterCapacity, HousingGrowth, PracticeIT, Premises, Scheme, SiteOccupancy
from practices.models import Cluster, Practice, Site
from returns.models import Collection

from ..factories import ClusterFactory, ClusterMembershipFactory, ListSizeFactory, PracticeFactory, SiteFactory

pytestmark = pytest.mark.django_db


def demo_practice(ccg, cluster, ods_code, name, postcode, **fields):
    practice = PracticeFactory(ccg=ccg, ods_code=ods_code, name=name, postcode=postcode, **fields)
    ClusterMembershipFactory(practice=practice, cluster=cluster)
    ListSizeFactory(practice=practice, patients=9000)
    SiteFactory(
        practice=practice, name=name, kind=Site.Kind.MAIN, postcode=postcode, close_date=fields.get("close_date")
    )
    return practice


@pytest.fixture
def demo_ccgs(luton, wolverhampton):
    lea_vale = ClusterFactory(ccg=luton, name="Lea Vale PCN")
    stopsley = ClusterFactory(ccg=luton, name="Stopsley")
    demo_practice(luton, lea_vale, "E81032", "Lea Vale Medical Practice", "LU1 1HH")
    demo_practice(
        luton, lea_vale, "Y02477", "Whipperley Medical Centre", "LU1 5QY", contract_type="APMS",
        status=Practice.Status.CLOSED, close_date=dt.date(2018, 4, 30),
    )  # fmt: skip
    demo_practice(luton, stopsley, "E81006", "Stopsley Village Practice", "LU2 9AU")
    demo_practice(luton, stopsley, "E81617", "Dr PS Bath's Practice", "LU2 9AU")
    west = ClusterFactory(ccg=wolverhampton, name="Primary Care Home 2")
    centre = ClusterFactory(ccg=wolverhampton, name="Medical Chambers")
    demo_practice(wolverhampton, west, "M92029", "Newbridge Surgery", "WV6 0DE")
    demo_practice(wolverhampton, centre, "M92630", "East Park Medical Practice", "WV1 2LW")


def test_the_demo_loads_the_named_schemes_with_their_figures(demo_ccgs):
    load_demo_estates()

    farley = Scheme.objects.get(name="Farley Hill new build")
    assert (farley.status, farley.capital_cost, farley.capital_cost_includes_vat) == (
        Scheme.Status.IN_BUILD,
        Decimal("2100000"),
        False,
    )
    assert farley.expected_rent_per_year == Decimal("127000") and farley.is_ettf
    assert set(farley.practices.values_list("ods_code", flat=True)) == {"E81032", "Y02477"}
    assert farley.cluster.name == "Lea Vale PCN"
    assert list(farley.status_changes.values_list("to_status", flat=True)) == [
        "idea", "bid", "business_case", "approved", "in_build",
    ]  # fmt: skip
    assert set(Scheme.objects.filter(ccg__ods_code="06A").values_list("name", flat=True)) == {
        "Newbridge Surgery extension",
        "East Park Medical Practice new premises",
    }


def test_the_demo_shares_stopsleys_building_and_counts_it_once(demo_ccgs):
    load_demo_estates()

    share = SiteOccupancy.objects.get()
    assert (share.site.practice.ods_code, share.practice.ods_code, share.share_percent) == (
        "E81006",
        "E81617",
        Decimal("40"),
    )
    assert not Premises.objects.filter(site__practice__ods_code="E81617").exists()
    stopsley = ClusterCapacity.objects.get(cluster__name="Stopsley", is_projected=False)
    assert stopsley.area_m2 == share.site.premises.gross_internal_area_m2


def test_the_demo_gives_open_practices_premises_growth_and_checklists_and_a_second_run_adds_nothing(demo_ccgs):
    first = load_demo_estates()
    second = load_demo_estates()

    assert first["premises"] == 4  # every open practice's main site but the guest at Stopsley
    assert first["checklists"] == 5 and PracticeIT.objects.count() == 5
    assert first["collections"] == 2  # the 2018/19 estates return of Luton and Wolverhampton
    assert Collection.objects.get(ccg__ods_code="06P").returns.count() == 4  # open for some of 2018/19
    assert HousingGrowth.objects.filter(cluster__name="Lea Vale PCN").count() == 20
    assert not Premises.objects.filter(site__practice__ods_code="Y02477").exists()
    assert ClusterCapacity.objects.filter(cluster__name="Lea Vale PCN").count() == 16
    assert set(second.values()) == {0}


def test_the_demo_gives_wolverhampton_about_100000_pounds_a_year_of_void_savings_since_april_2017(
    demo_ccgs, wolverhampton
):
    from estates.capacity import void_saving

    centre = Cluster.objects.get(name="Medical Chambers")
    for n in range(20):  # enough NHS Property Services sites to have given up that much space
        demo_practice(wolverhampton, centre, f"M927{n:02d}", f"Surgery {n}", "WV1 1AA")
    load_demo_estates()

    ids = Premises.objects.filter(site__practice__ccg=wolverhampton).values_list("pk", flat=True)
    saving = void_saving(ids, dt.date(2017, 4, 1))
    assert saving.sites >= 3
    assert Decimal("100000") <= saving.saving < Decimal("160000")  # stops once past £100,000
    assert void_saving(ids, dt.date(2017, 3, 31)).sites == 0


def test_the_farley_hill_scheme_and_its_funding_bid_are_one_project_naming_the_same_practice(demo_ccgs):
    from commissioning.funding.demo import load_demo_funding

    load_demo_funding()
    first = load_demo_estates()
    assert first["links to funding bids"] == 1
    farley = Scheme.objects.get(name="Farley Hill new build")
    bid = farley.funding_scheme
    assert (bid.title, bid.stream_id, bid.ccg_id) == (farley.name, farley.funding_stream_id, farley.ccg_id)
    assert set(bid.practices.values_list("ods_code", flat=True)) <= set(
        farley.practices.values_list("ods_code", flat=True)
    )
    assert load_demo_estates()["links to funding bids"] == 0
