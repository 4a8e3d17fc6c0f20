"""The read API as at ``?on=YYYY-MM-DD``: plan actions with the statuses, due dates and overdue
of that date, CCGs with their commissioning status and registered population then, clusters with
theirs; a bad or future date is a 400 naming ``on``; the visibility rule is unchanged."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from commissioning.models import Action
from commissioning.services import action_status_record
from practices.models import CCG, CommissioningStatusChange
from tests.commissioning.factories import ActionFactory, PlanFactory
from tests.factories import (
    CCGMembershipFactory,
    ClusterFactory,
    ClusterMembershipFactory,
    ListSizeFactory,
    PracticeFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2018, 9, 1)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(dt.datetime(2018, 9, 1, 10, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def api():
    return APIClient()


def rows(api, url, **params) -> list[dict]:
    response = api.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.fixture
def achieved_late(luton):
    """Due 31 March 2018, in progress until it was achieved on 15 June 2018."""
    action = ActionFactory(plan=PlanFactory(ccg=luton), local_code="PC01", due_date=dt.date(2018, 3, 31))
    action.status = Action.Status.ACHIEVED
    action.rag = Action.RAG.GREEN
    action.save()
    action_status_record(action=action, effective_on=dt.date(2018, 6, 15))
    return action


def test_an_action_achieved_late_is_overdue_before_its_achieved_date(api, alice, achieved_late):
    api.force_authenticate(alice)

    (before,) = rows(api, "/api/plan-actions/", on="2018-04-30")
    (after,) = rows(api, "/api/plan-actions/", on="2018-07-01")
    (today,) = rows(api, "/api/plan-actions/")

    assert (before["as_at"], before["status"], before["overdue"]) == ("2018-04-30", "in_progress", True)
    assert (after["as_at"], after["status"], after["rag"], after["overdue"]) == ("2018-07-01", "achieved", "green",
                                                                                 False)  # fmt: skip
    assert (today["as_at"], today["status"]) == (TODAY.isoformat(), "achieved")
    detail = api.get(f"/api/plan-actions/{achieved_late.pk}/", {"on": "2018-04-30"}).json()
    assert (detail["status"], detail["overdue"], detail["as_at"]) == ("in_progress", True, "2018-04-30")


def test_action_filters_use_the_statuses_as_at_the_date(api, alice, achieved_late):
    ActionFactory(plan=achieved_late.plan, local_code="PC02", due_date=dt.date(2019, 3, 31))
    api.force_authenticate(alice)

    overdue_then = rows(api, "/api/plan-actions/", on="2018-04-30", overdue="true")
    achieved_then = rows(api, "/api/plan-actions/", on="2018-04-30", status="achieved")
    achieved_later = rows(api, "/api/plan-actions/", on="2018-07-01", status="achieved")

    assert [r["local_code"] for r in overdue_then] == ["PC01"]
    assert achieved_then == []
    assert [r["local_code"] for r in achieved_later] == ["PC01"]


def test_a_due_date_moved_later_is_the_old_one_before_the_move(api, alice, luton):
    action = ActionFactory(plan=PlanFactory(ccg=luton), due_date=dt.date(2018, 3, 31))
    action.due_date = dt.date(2018, 12, 31)
    action.save()
    action_status_record(action=action, effective_on=dt.date(2018, 5, 1))
    api.force_authenticate(alice)

    (before,) = rows(api, "/api/plan-actions/", on="2018-04-30")
    (after,) = rows(api, "/api/plan-actions/", on="2018-05-01")

    assert (before["due_date"], before["overdue"]) == ("2018-03-31", True)
    assert (after["due_date"], after["overdue"]) == ("2018-12-31", False)


def test_an_action_not_yet_in_its_plan_on_the_date_is_left_out(api, alice, luton):
    action = ActionFactory(plan=PlanFactory(ccg=luton), status_recorded_on=dt.date(2018, 5, 1))
    api.force_authenticate(alice)

    assert rows(api, "/api/plan-actions/", on="2018-04-30") == []
    assert api.get(f"/api/plan-actions/{action.pk}/", {"on": "2018-04-30"}).status_code == 404
    assert [r["id"] for r in rows(api, "/api/plan-actions/", on="2018-05-01")] == [action.pk]


@pytest.mark.parametrize("url", ["/api/plan-actions/", "/api/ccgs/", "/api/clusters/"])
@pytest.mark.parametrize(
    ("bad", "says"),
    [("30/04/2018", "is not a date"), ("2018-02-30", "is not a date"), ("", "is not a date"),
     ("2018-09-02", "2 September 2018 has not come yet")],
)  # fmt: skip
def test_a_bad_or_future_date_is_a_400_naming_the_parameter(api, alice, luton_cluster, achieved_late, url, bad, says):
    api.force_authenticate(alice)

    response = api.get(url, {"on": bad})

    assert response.status_code == 400
    assert list(response.json()) == ["on"]
    assert says in response.json()["on"][0]


def test_a_bad_date_without_signing_in_is_still_a_401(api, achieved_late):
    assert api.get("/api/plan-actions/", {"on": "not-a-date"}).status_code == 401


def test_today_is_a_date_that_has_come(api, alice, achieved_late):
    api.force_authenticate(alice)

    assert [r["as_at"] for r in rows(api, "/api/plan-actions/", on=TODAY.isoformat())] == ["2018-09-01"]


@pytest.fixture
def luton_over_time(luton, luton_practice, luton_cluster):
    """Luton: joint commissioning from 2015, delegated from 1 April 2018; its one practice had
    9,000 patients in January 2017 and 9,500 in April 2018 (the conftest figure)."""
    CommissioningStatusChange.objects.create(ccg=luton, status=CCG.CommissioningStatus.JOINT,
                                             effective_from=dt.date(2015, 4, 1))  # fmt: skip
    CommissioningStatusChange.objects.create(ccg=luton, status=CCG.CommissioningStatus.DELEGATED,
                                             effective_from=dt.date(2018, 4, 1))  # fmt: skip
    CCGMembershipFactory(practice=luton_practice, ccg=luton)
    ListSizeFactory(practice=luton_practice, extract_date=dt.date(2017, 1, 1), patients=9000)
    return luton


def test_a_ccg_reads_its_commissioning_status_and_population_on_the_date(api, alice, luton_over_time):
    api.force_authenticate(alice)

    (then,) = rows(api, "/api/ccgs/", on="2017-06-01")
    (now,) = rows(api, "/api/ccgs/")
    before_any = api.get(f"/api/ccgs/{luton_over_time.pk}/", {"on": "2016-06-01"}).json()

    assert (then["as_at"], then["commissioning_status"], then["registered_population"]) == ("2017-06-01", "joint",
                                                                                             9000)  # fmt: skip
    assert then["population_list_size_date"] == "2017-01-01"
    assert (now["as_at"], now["commissioning_status"], now["registered_population"]) == ("2018-09-01", "delegated",
                                                                                          9500)  # fmt: skip
    assert (before_any["commissioning_status"], before_any["registered_population"]) == ("joint", 0)
    assert (before_any["population_practices"], before_any["population_list_size_date"]) == (1, None)


def test_a_cluster_reads_its_registered_population_on_the_date(api, alice, luton_over_time, luton_cluster):
    api.force_authenticate(alice)

    (then,) = rows(api, "/api/clusters/", on="2017-06-01")
    (now,) = rows(api, "/api/clusters/")
    before_membership = api.get(f"/api/clusters/{luton_cluster.pk}/", {"on": "2016-03-31"}).json()

    assert (then["as_at"], then["registered_population"], then["population_practices"]) == ("2017-06-01", 9000, 1)
    assert (now["registered_population"], now["stated_population"]) == (9500, 55000)
    assert (before_membership["registered_population"], before_membership["population_practices"]) == (0, 0)


def test_a_cluster_csv_carries_the_as_at_date(api, alice, luton_over_time):
    api.force_authenticate(alice)

    response = api.get("/api/clusters/", {"on": "2017-06-01", "format": "csv"})

    (row,) = csv.DictReader(io.StringIO(response.content.decode()))
    assert (row["as_at"], row["registered_population"]) == ("2017-06-01", "9000")


def test_another_ccgs_commissioner_sees_nothing_of_luton_at_any_date(api, erin, luton_over_time, luton_cluster,
                                                                     achieved_late):  # fmt: skip
    api.force_authenticate(erin)

    for url in ("/api/plan-actions/", "/api/clusters/"):
        assert rows(api, url, on="2018-04-30") == [], url
    assert [r["ods_code"] for r in rows(api, "/api/ccgs/", on="2018-04-30")] == ["06A"]
    assert api.get(f"/api/plan-actions/{achieved_late.pk}/", {"on": "2018-04-30"}).status_code == 404
    assert api.get(f"/api/clusters/{luton_cluster.pk}/", {"on": "2018-04-30"}).status_code == 404
    assert api.get(f"/api/ccgs/{luton_over_time.pk}/", {"on": "2018-04-30"}).status_code == 404


def _queries(api, url, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert api.get(url, params).status_code == 200
    return len(captured)


def test_plan_actions_as_at_a_date_take_as_many_queries_for_twenty_actions_as_for_two(
    api, alice, luton, django_assert_max_num_queries
):
    plan = PlanFactory(ccg=luton)
    ActionFactory.create_batch(2, plan=plan)
    api.force_authenticate(alice)
    few = _queries(api, "/api/plan-actions/", {"on": "2018-04-30"})
    ActionFactory.create_batch(20, plan=plan)

    with django_assert_max_num_queries(few):
        assert len(rows(api, "/api/plan-actions/", on="2018-04-30")) == 22


def test_clusters_and_ccgs_as_at_a_date_take_flat_queries(api, root, luton_over_time, django_assert_max_num_queries):
    api.force_authenticate(root)
    few = {url: _queries(api, url, {"on": "2017-06-01"}) for url in ("/api/clusters/", "/api/ccgs/")}
    for _ in range(5):  # five more CCGs, each with a cluster and a practice
        practice = PracticeFactory()
        ClusterMembershipFactory(practice=practice, cluster=ClusterFactory(ccg=practice.ccg))
        CCGMembershipFactory(practice=practice)
        ListSizeFactory(practice=practice, extract_date=dt.date(2017, 1, 1), patients=5000)
        CommissioningStatusChange.objects.create(ccg=practice.ccg, status=CCG.CommissioningStatus.JOINT,
                                                 effective_from=dt.date(2016, 4, 1))  # fmt: skip

    for url, count in few.items():
        with django_assert_max_num_queries(count):
            assert len(rows(api, url, on="2017-06-01")) == 6
    populations = {r["ods_code"]: r["registered_population"] for r in rows(api, "/api/ccgs/", on="2017-06-01")}
    assert sorted(populations.values()) == [5000] * 5 + [9000]
    assert {r["commissioning_status"] for r in rows(api, "/api/ccgs/", on="2017-06-01")} == {"joint"}


def test_the_schema_documents_on_and_as_at(api, alice):
    api.force_authenticate(alice)

    schema = api.get("/api/schema/", {"format": "json"}).json()

    for path in ("/api/plan-actions/", "/api/plan-actions/{id}/", "/api/ccgs/", "/api/clusters/{id}/"):
        operation = schema["paths"][path]["get"]
        assert "on" in {p["name"] for p in operation["parameters"]}, path
        assert "400" in operation["responses"], path
    assert "on" not in {p["name"] for p in schema["paths"]["/api/practices/"]["get"]["parameters"]}
    for component in ("Action", "CCG", "Cluster"):
        assert schema["components"]["schemas"][component]["properties"]["as_at"]["format"] == "date", component
    assert "overdue" in schema["components"]["schemas"]["Action"]["properties"]


def test_a_practice_manager_reads_the_actions_naming_their_practice_as_at_the_date(
    api, bob, luton_practice, luton_cluster, achieved_late
):
    achieved_late.practices.set([luton_practice])
    achieved_late.clusters.set([luton_cluster])  # named twice, listed once
    ActionFactory(plan=achieved_late.plan, local_code="PC09")  # names neither
    api.force_authenticate(bob)

    assert [(r["local_code"], r["status"], r["overdue"]) for r in rows(api, "/api/plan-actions/", on="2018-04-30")] == [
        ("PC01", "in_progress", True)
    ]
