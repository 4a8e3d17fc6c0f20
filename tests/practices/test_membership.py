import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from practices.membership import practice_move_cluster

from ..factories import ClusterFactory


@pytest.fixture
def luton_south(luton):
    return ClusterFactory(ccg=luton, name="Luton South")


def test_move_ends_the_old_membership_the_day_the_new_one_starts(alice, luton_practice, luton_cluster, luton_south):
    new = practice_move_cluster(practice=luton_practice, cluster=luton_south, on=dt.date(2021, 4, 1), user=alice)
    old = luton_practice.cluster_memberships.get(cluster=luton_cluster)
    assert old.end_date == dt.date(2021, 4, 1)
    assert (new.start_date, new.end_date) == (dt.date(2021, 4, 1), None)
    assert luton_practice.cluster_on(dt.date(2021, 3, 31)) == luton_cluster
    assert luton_practice.cluster_on(dt.date(2021, 4, 1)) == luton_south


def test_move_records_who_made_it(alice, luton_practice, luton_cluster, luton_south):
    new = practice_move_cluster(practice=luton_practice, cluster=luton_south, on=dt.date(2021, 4, 1), user=alice)
    old = luton_practice.cluster_memberships.get(cluster=luton_cluster)
    assert new.history.get().history_user == alice
    assert old.history.order_by("-history_id").first().history_user == alice


def test_move_of_a_practice_in_no_cluster_only_starts_a_membership(alice, luton_south, wolverhampton_practice, luton):
    wolverhampton_practice.ccg = luton
    on = dt.date(2021, 4, 1)
    new = practice_move_cluster(practice=wolverhampton_practice, cluster=luton_south, on=on, user=alice)
    assert list(wolverhampton_practice.cluster_memberships.all()) == [new]


def test_move_to_another_ccgs_cluster_is_refused(alice, luton_practice, wolverhampton):
    elsewhere = ClusterFactory(ccg=wolverhampton)
    with pytest.raises(ValidationError, match="practice's own CCG"):
        practice_move_cluster(practice=luton_practice, cluster=elsewhere, on=dt.date(2021, 4, 1), user=alice)


def test_move_on_the_day_the_current_membership_started_is_refused(alice, luton_practice, luton_south):
    with pytest.raises(ValidationError, match="joined Luton North on that date"):
        practice_move_cluster(practice=luton_practice, cluster=luton_south, on=dt.date(2016, 4, 1), user=alice)


def test_move_before_a_later_membership_is_refused(alice, luton_practice, luton_south):
    practice_move_cluster(practice=luton_practice, cluster=luton_south, on=dt.date(2021, 4, 1), user=alice)
    with pytest.raises(ValidationError, match="starting after this date"):
        practice_move_cluster(practice=luton_practice, cluster=luton_south, on=dt.date(2020, 4, 1), user=alice)
    assert luton_practice.cluster_memberships.count() == 2
