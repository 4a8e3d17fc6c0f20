"""``populations_on`` counts many CCGs or clusters in one query and agrees with ``population_on``."""

import datetime as dt

import pytest

from practices.populations import population_on, populations_on
from tests.factories import (
    CCGMembershipFactory,
    ClusterFactory,
    ClusterMembershipFactory,
    ListSizeFactory,
    PracticeFactory,
)

pytestmark = pytest.mark.django_db

ON = dt.date(2017, 6, 1)


@pytest.fixture
def organisations(luton, luton_cluster):
    """Luton North: a practice with two list sizes, one closed, one joining later, one with no list size."""
    other = ClusterFactory(ccg=luton, name="Luton South")
    kept = PracticeFactory(ccg=luton, ods_code="E81002")
    ListSizeFactory(practice=kept, extract_date=dt.date(2017, 1, 1), patients=6000)
    ListSizeFactory(practice=kept, extract_date=dt.date(2018, 1, 1), patients=6500)
    closed = PracticeFactory(ccg=luton, ods_code="E81003", close_date=dt.date(2017, 3, 31))
    ListSizeFactory(practice=closed, extract_date=dt.date(2017, 1, 1), patients=3000)
    later = PracticeFactory(ccg=luton, ods_code="E81004")
    ListSizeFactory(practice=later, extract_date=dt.date(2017, 1, 1), patients=4000)
    unknown = PracticeFactory(ccg=luton, ods_code="E81005")
    for practice in (kept, closed, unknown):
        ClusterMembershipFactory(practice=practice, cluster=luton_cluster)
        CCGMembershipFactory(practice=practice)
    ClusterMembershipFactory(practice=later, cluster=luton_cluster, start_date=dt.date(2017, 7, 1))
    CCGMembershipFactory(practice=later, start_date=dt.date(2017, 7, 1))
    ClusterMembershipFactory(practice=PracticeFactory(ccg=luton), cluster=other)
    return luton, luton_cluster, other


def test_many_populations_in_one_query_agree_with_one_at_a_time(organisations, django_assert_num_queries):
    luton, north, south = organisations

    with django_assert_num_queries(1):
        clusters = populations_on([north, south], ON)
    with django_assert_num_queries(1):
        ccgs = populations_on([luton], ON)

    for organisation, population in ((north, clusters[north.pk]), (south, clusters[south.pk]), (luton, ccgs[luton.pk])):
        single = population_on(organisation, ON)
        assert (population.patients, population.practices, population.without_list_size, population.extract_dates) == (
            single.patients, single.practices, single.without_list_size, single.extract_dates,
        ), organisation  # fmt: skip
    assert (clusters[north.pk].patients, clusters[north.pk].practices) == (6000, 2)
    assert clusters[north.pk].without_list_size == ["E81005"]
    assert (clusters[south.pk].patients, clusters[south.pk].practices) == (0, 1)


def test_no_organisations_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert populations_on([], ON) == {}
