import pytest

from commissioning.models import Milestone
from commissioning.visibility import actions_for, plans_for, risks_for
from tests.factories import ClusterFactory, ClusterMembershipFactory

from .factories import ActionFactory, PlanFactory, RiskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def luton_plan(luton):
    return PlanFactory(ccg=luton)


def test_commissioners_and_governing_body_see_their_ccgs_plan_only(alice, carol, erin, luton_plan):
    assert list(plans_for(alice)) == [luton_plan]
    assert list(plans_for(carol)) == [luton_plan]
    assert not plans_for(erin).exists()


def test_practice_manager_sees_only_actions_naming_their_practice_or_cluster(
    bob, luton_plan, luton_practice, luton_cluster
):
    named_practice = ActionFactory(plan=luton_plan)
    named_practice.practices.set([luton_practice])
    named_cluster = ActionFactory(plan=luton_plan)
    named_cluster.clusters.set([luton_cluster])
    ActionFactory(plan=luton_plan)  # names nobody
    other_cluster = ActionFactory(plan=luton_plan)
    other_cluster.clusters.set([ClusterFactory(ccg=luton_plan.ccg)])

    assert set(actions_for(bob)) == {named_practice, named_cluster}
    assert not plans_for(bob).exists()
    assert not risks_for(bob).exists()


def test_practice_manager_does_not_see_actions_of_a_cluster_left_before_the_plans_years(
    bob, luton_plan, luton_practice
):
    old = ClusterFactory(ccg=luton_plan.ccg, name="Old cluster")
    ClusterMembershipFactory(practice=luton_practice, cluster=old, start_date="2015-04-01", end_date="2017-04-01")
    action = ActionFactory(plan=luton_plan)  # a 2017/18-2018/19 plan
    action.clusters.set([old])
    assert not actions_for(bob).exists()


def test_practice_manager_sees_actions_of_a_cluster_they_were_in_during_the_plan_though_not_today(
    bob, luton_plan, luton_practice
):
    gpfv = ClusterFactory(ccg=luton_plan.ccg, name="GPFV-era cluster")
    ClusterMembershipFactory(practice=luton_practice, cluster=gpfv, start_date="2016-04-01", end_date="2019-07-01")
    action = ActionFactory(plan=luton_plan)
    action.clusters.set([gpfv])
    assert list(actions_for(bob)) == [action]


def test_practice_manager_does_not_see_a_clusters_actions_from_a_plan_before_they_joined(bob, luton, luton_practice):
    newer = ClusterFactory(ccg=luton, name="Joined in 2019")
    ClusterMembershipFactory(practice=luton_practice, cluster=newer, start_date="2019-04-01")
    action = ActionFactory(plan=PlanFactory(ccg=luton, first_year=2016, last_year=2018))
    action.clusters.set([newer])
    assert not actions_for(bob).exists()


def test_only_the_ccgs_commissioners_change_its_plan(alice, carol, erin, bob, root, luton_plan):
    action = ActionFactory(plan=luton_plan)
    risk = RiskFactory(plan=luton_plan)
    milestone = Milestone.objects.create(action=action, title="Hub open", due_date="2018-10-01")
    for obj, perm in [(luton_plan, "change_plan"), (action, "change_action"), (risk, "change_risk"),
                      (milestone, "change_milestone")]:  # fmt: skip
        assert alice.has_perm(f"commissioning.{perm}", obj)
        assert root.has_perm(f"commissioning.{perm}", obj)
        for reader in (carol, erin, bob):
            assert not reader.has_perm(f"commissioning.{perm}", obj), (reader, perm)
