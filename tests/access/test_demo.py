"""The demo access returns: two months of collections through the real workflow, a mix of
statuses in the last, the demo practice managers' own return left for them, and a second
load that changes nothing."""

import datetime as dt
from collections import Counter

import pytest

from access.demo import LEFT_FOR_THE_DEMO_MANAGERS, MONTHS, load_demo_access
from access.return_types import AccessReturnType
from metrics.models import MetricValue
from practices.models import Cluster, Practice, Role
from returns.models import Collection, Return
from tests.factories import ClusterMembershipFactory, ListSizeFactory, PracticeFactory, RoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_luton(luton, alice, luton_practice):
    hub = Cluster.objects.create(ccg=luton, name="Luton PCH", kind=Cluster.Kind.PRIMARY_CARE_HOME)
    practices = [luton_practice]
    for index in range(11):
        practice = PracticeFactory(ods_code=f"E8110{index:01d}" if index < 10 else "E81073", ccg=luton)
        ListSizeFactory(practice=practice, patients=5000 + 700 * index)
        if index % 2:
            ClusterMembershipFactory(practice=practice, cluster=hub, start_date=dt.date(2017, 4, 1))
        practices.append(practice)
    RoleFactory(kind=Role.Kind.PRACTICE_MANAGER, practice=practices[-1], ccg=None)
    return practices


def test_the_demo_opens_two_months_with_september_accepted_and_october_mixed(demo_luton, luton):
    counts = load_demo_access()
    assert counts == {"collections": 2, "returns": 24, "accepted": counts["accepted"]}
    collections = Collection.objects.filter(ccg=luton).order_by("period_start")
    assert [c.period_start for c in collections] == list(MONTHS)
    for earlier in collections[:1]:
        assert set(earlier.returns.values_list("status", flat=True)) == {Return.Status.ACCEPTED}
    october = Counter(collections[1].returns.values_list("status", flat=True))
    assert len(october) >= 3, october
    assert counts["accepted"] == 12 + october[Return.Status.ACCEPTED]
    assert MetricValue.objects.practices().metric("extended_access_full").count() == counts["accepted"]


def test_octobers_returns_are_checked_against_septembers_values_in_the_engine(demo_luton):
    load_demo_access()
    ret = Return.objects.get(collection__period_start=MONTHS[-1], practice__ods_code="E81073")
    rates = AccessReturnType().extra_context(ret=ret, revision=None)["ccg_rates"]
    assert len(rates) == 11, "the other eleven practices' September returns"


def test_the_demo_practice_managers_own_october_return_is_left_for_them(demo_luton):
    load_demo_access()
    ret = Return.objects.get(collection__period_start=MONTHS[-1], practice__ods_code="E81073")
    assert "E81073" in LEFT_FOR_THE_DEMO_MANAGERS
    assert ret.status == Return.Status.NOT_STARTED


def test_hub_practices_meet_the_weekend_through_their_group(demo_luton):
    load_demo_access()
    hub_practices = Practice.objects.filter(cluster_memberships__cluster__kind="primary_care_home")
    in_hub = MetricValue.objects.for_practices(hub_practices).metric("extended_access_through_group")
    assert in_hub.exists()
    assert all(value.value == 100 for value in in_hub)


def test_loading_the_demo_again_changes_nothing(demo_luton):
    load_demo_access()
    before = (Collection.objects.count(), Return.objects.count(), MetricValue.objects.count())
    assert load_demo_access() == {"collections": 0, "returns": 0, "accepted": 0}
    assert (Collection.objects.count(), Return.objects.count(), MetricValue.objects.count()) == before
