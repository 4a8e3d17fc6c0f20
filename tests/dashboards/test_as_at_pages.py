"""The dashboards, the practice profile and the funding summary read as at ``?on=``: the figures
move with the date, a bad date falls back with a warning, the CSV of a page as at a date gives
the page's figures, and the queries do not grow with the number of actions."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commissioning.funding.models import Allocation
from commissioning.models import Action, NationalCommitment, TrajectoryPoint
from commissioning.services import action_status_record
from tests.commissioning.factories import ActionFactory, TrajectoryFactory

from .helpers import Q3, set_today

pytestmark = pytest.mark.django_db

PERIOD = {"period": Q3.isoformat()}  # 2018/19 Q3, 1 October to 31 December 2018
BEFORE = "2018-11-30"  # in the quarter, before the action was achieved
AFTER = "2019-01-15"  # after the quarter: statuses are counted on 31 December 2018


@pytest.fixture
def achieved_late(luton_plan, luton_cluster, luton_practice):
    """Due 31 October 2018, achieved on 10 December 2018 (recorded on 20 January 2019)."""
    action = ActionFactory(plan=luton_plan, local_code="LATE1", due_date=dt.date(2018, 10, 31))
    action.clusters.add(luton_cluster)
    action.status = Action.Status.ACHIEVED
    action.save()
    action_status_record(action=action, effective_on=dt.date(2018, 12, 10))
    return action


def plan_totals(response) -> list:
    return response.context["dashboard"].section("plan").table.total


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# The CCG dashboard


def test_ccg_dashboard_counts_an_action_achieved_late_as_overdue_before_its_achieved_date(
    client, today, carol, luton, achieved_late
):
    client.force_login(carol)
    url = reverse("dashboards:ccg", args=[luton.pk])
    columns = ["Not started", "In progress", "On hold", "Overdue", "Achieved", "Total"]

    before = client.get(url, {**PERIOD, "on": BEFORE})
    assert dict(zip(columns, plan_totals(before)[1:], strict=True))["Overdue"] == 1
    assert dict(zip(columns, plan_totals(before)[1:], strict=True))["Achieved"] == 0
    page = before.content.decode()
    assert "as at 30 November 2018" in page
    assert "Statuses and overdue as at 30 November 2018" in page

    after = client.get(url, {**PERIOD, "on": AFTER})
    totals = dict(zip(columns, plan_totals(after)[1:], strict=True))
    assert (totals["Overdue"], totals["Achieved"]) == (0, 1)
    assert after.context["counted_on"] == dt.date(2018, 12, 31)
    assert "Statuses and overdue as at 31 December 2018, the last day of 2018/19 Q3" in after.content.decode()


def test_ccg_dashboard_keeps_the_quarter_and_carries_the_date_onto_its_csv_links(
    client, today, carol, luton, achieved_late
):
    client.force_login(carol)
    response = client.get(reverse("dashboards:ccg", args=[luton.pk]), {**PERIOD, "on": BEFORE})
    assert response.context["period"].start == Q3
    assert f"period={Q3.isoformat()}&amp;on={BEFORE}" in response.content.decode()
    assert 'name="on"' in response.content.decode() and 'name="period"' in response.content.decode()


def test_ccg_dashboard_without_a_quarter_opens_at_the_quarter_of_the_date_asked(
    client, today, carol, luton, achieved_late
):
    client.force_login(carol)
    response = client.get(reverse("dashboards:ccg", args=[luton.pk]), {"on": BEFORE})
    assert response.context["period"].start == Q3  # 30 November 2018 is in 2018/19 Q3
    latest = client.get(reverse("dashboards:ccg", args=[luton.pk])).context["period"]
    assert latest.start != Q3  # without a date, the latest quarter with figures


def test_ccg_dashboard_csv_as_at_a_date_gives_the_pages_figures(client, today, carol, luton, achieved_late, funding):
    client.force_login(carol)
    page = client.get(reverse("dashboards:ccg", args=[luton.pk]), {**PERIOD, "on": BEFORE})
    for key in ("plan", "funding"):
        download = client.get(reverse("dashboards:ccg_csv", args=[luton.pk, key]), {**PERIOD, "on": BEFORE})
        assert download.content.decode("utf-8") == page.context["dashboard"].section(key).table.to_csv()
    plan_csv = csv_rows(client.get(reverse("dashboards:ccg_csv", args=[luton.pk, "plan"]), {**PERIOD, "on": BEFORE}))
    today_csv = csv_rows(client.get(reverse("dashboards:ccg_csv", args=[luton.pk, "plan"]), {**PERIOD, "on": AFTER}))
    assert plan_csv != today_csv


@pytest.mark.parametrize("bad", ["30/11/2018", "2018-11-31", "2019-02-01"])
def test_ccg_dashboard_with_a_bad_date_warns_and_shows_today(client, today, carol, luton, achieved_late, bad):
    client.force_login(carol)
    response = client.get(reverse("dashboards:ccg", args=[luton.pk]), {**PERIOD, "on": bad})
    assert response.status_code == 200
    assert response.context["as_at"].error
    assert response.context["as_at"].on == today
    assert response.context["period"].start == Q3
    assert 'role="alert"' in response.content.decode()


def test_ccg_dashboard_returns_count_as_missing_only_where_due_by_the_date(
    client, today, carol, luton, workforce_collection
):
    client.force_login(carol)
    url = reverse("dashboards:ccg", args=[luton.pk])
    missing = "Missing (overdue)"

    def missing_on(on):
        table = client.get(url, {**PERIOD, "on": on}).context["dashboard"].section("returns").table
        return table.rows[0][[c.header for c in table.columns].index(missing)]

    assert missing_on("2019-01-10") == 0  # due 15 January 2019
    assert missing_on("2019-01-16") == 1


def test_ccg_dashboard_trajectory_actuals_are_those_recorded_by_the_date(client, time_machine, carol, luton,
                                                                         luton_plan):  # fmt: skip
    set_today(time_machine, dt.date(2018, 12, 1))
    action = ActionFactory(plan=luton_plan, local_code="TRAJ1")
    trajectory = TrajectoryFactory(action=action, measure="Extended access coverage")
    point = TrajectoryPoint.objects.create(trajectory=trajectory, period=Q3, planned=Decimal("60"))
    set_today(time_machine, dt.date(2019, 1, 10))
    point.actual, point.actual_source = Decimal("66"), TrajectoryPoint.Source.TYPED
    point.save()
    set_today(time_machine, dt.date(2019, 1, 20))
    client.force_login(carol)
    url = reverse("dashboards:ccg", args=[luton.pk])

    def actual_on(on):
        return client.get(url, {**PERIOD, "on": on}).context["dashboard"].section("trajectories").table.rows[0][5]

    assert actual_on("2019-01-09") is None
    assert actual_on("2019-01-10") == Decimal("66")
    detail = reverse("commissioning:trajectory_detail", args=[trajectory.pk])
    then = client.get(detail, {"on": "2019-01-09"})
    assert [p.actual for p in then.context["trajectory"].points.all()] == [None]
    assert "as at 9 January 2019" in then.content.decode()
    assert [p.actual for p in client.get(detail).context["trajectory"].points.all()] == [Decimal("66")]
    before_planned = client.get(detail, {"on": "2018-11-30"})
    assert list(before_planned.context["trajectory"].points.all()) == []


def test_ccg_dashboard_as_at_queries_do_not_grow_with_actions(
    client, today, carol, luton, luton_plan, achieved_late, django_assert_max_num_queries
):
    client.force_login(carol)
    url = reverse("dashboards:ccg", args=[luton.pk])
    ActionFactory.create_batch(2, plan=luton_plan)
    client.get(url, {**PERIOD, "on": BEFORE})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {**PERIOD, "on": BEFORE})
    ActionFactory.create_batch(20, plan=luton_plan)
    with django_assert_max_num_queries(len(few)):
        client.get(url, {**PERIOD, "on": BEFORE})


# The cluster dashboard


def test_cluster_dashboard_lists_the_action_as_open_and_overdue_until_it_was_achieved(
    client, today, carol, luton_cluster, achieved_late
):
    client.force_login(carol)
    url = reverse("dashboards:cluster", args=[luton_cluster.pk])

    before = client.get(url, {**PERIOD, "on": BEFORE})
    assert [(a.local_code, a.overdue, a.status) for a in before.context["actions"]] == [
        ("LATE1", True, Action.Status.IN_PROGRESS)
    ]
    assert "as at 30 November 2018" in before.content.decode()
    assert client.get(url, {**PERIOD, "on": AFTER}).context["actions"] == []


def test_cluster_csv_as_at_a_date_gives_the_pages_missing_returns(
    client, today, carol, luton_cluster, workforce_collection
):
    client.force_login(carol)
    page = reverse("dashboards:cluster", args=[luton_cluster.pk])
    download = reverse("dashboards:cluster_csv", args=[luton_cluster.pk])
    for on, missing in (("2019-01-10", 0), ("2019-01-16", 1)):
        response = client.get(page, {**PERIOD, "on": on})
        table = response.context["sections"][0].table
        assert sum(row[-1] for row in table.rows) == missing
        assert f"on={on}" in response.content.decode()
        assert client.get(download, {**PERIOD, "on": on}).content.decode("utf-8") == table.to_csv()


def test_cluster_dashboard_with_a_bad_date_warns_and_shows_today(client, today, carol, luton_cluster):
    client.force_login(carol)
    response = client.get(reverse("dashboards:cluster", args=[luton_cluster.pk]), {**PERIOD, "on": "tomorrow"})
    assert response.context["as_at"].error and response.context["as_at"].on == today
    assert 'role="alert"' in response.content.decode()


def test_cluster_dashboard_as_at_queries_do_not_grow_with_actions(
    client, today, carol, luton_plan, luton_cluster, achieved_late, django_assert_max_num_queries
):
    client.force_login(carol)
    url = reverse("dashboards:cluster", args=[luton_cluster.pk])
    for action in ActionFactory.create_batch(2, plan=luton_plan):
        action.clusters.add(luton_cluster)
    client.get(url, {**PERIOD, "on": BEFORE})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {**PERIOD, "on": BEFORE})
    for action in ActionFactory.create_batch(20, plan=luton_plan, due_date=dt.date(2018, 10, 1)):
        action.clusters.add(luton_cluster)
    with django_assert_max_num_queries(len(few)):
        client.get(url, {**PERIOD, "on": BEFORE})


# The practice profile


def profile_actions(response):
    item = next(i for i in response.context["sections"] if i["section"].key == "actions")
    return item["section"].context["table"]


def test_profile_shows_the_action_open_and_overdue_until_it_was_achieved(
    client, today, carol, luton_practice, achieved_late
):
    client.force_login(carol)
    url = reverse("dashboards:practice_profile", args=[luton_practice.pk])

    before = client.get(url, {"on": BEFORE})
    assert [row[4:6] for row in profile_actions(before).rows] == [["In progress", "Yes"]]
    assert "as at 30 November 2018" in before.content.decode()
    assert profile_actions(client.get(url, {"on": AFTER})).rows == []
    assert profile_actions(client.get(url)).rows == []


def test_profile_csv_as_at_a_date_gives_the_pages_figures(client, today, carol, luton_practice, achieved_late):
    client.force_login(carol)
    page = client.get(reverse("dashboards:practice_profile", args=[luton_practice.pk]), {"on": BEFORE})
    assert f"actions.csv?on={BEFORE}" in page.content.decode()
    download = client.get(reverse("dashboards:practice_profile_csv", args=[luton_practice.pk, "actions"]),
                          {"on": BEFORE})  # fmt: skip
    assert download.content.decode("utf-8") == profile_actions(page).to_csv()
    header, row = list(csv.reader(io.StringIO(download.content.decode("utf-8"))))
    assert (header[4:6], row[3:6]) == (["Status", "Overdue"], ["2018-10-31", "In progress", "Yes"])


def test_profile_with_a_bad_date_warns_and_shows_today(client, today, carol, luton_practice):
    client.force_login(carol)
    response = client.get(reverse("dashboards:practice_profile", args=[luton_practice.pk]), {"on": "2019-13-01"})
    assert response.context["as_at"].error and response.context["as_at"].on == today
    assert 'role="alert"' in response.content.decode()


def test_profile_as_at_queries_do_not_grow_with_actions(
    client, today, carol, luton_plan, luton_practice, achieved_late, django_assert_max_num_queries
):
    client.force_login(carol)
    url = reverse("dashboards:practice_profile", args=[luton_practice.pk])
    for action in ActionFactory.create_batch(2, plan=luton_plan):
        action.practices.add(luton_practice)
    client.get(url, {"on": BEFORE})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"on": BEFORE})
    for action in ActionFactory.create_batch(20, plan=luton_plan):
        action.practices.add(luton_practice)
    with django_assert_max_num_queries(len(few)):
        client.get(url, {"on": BEFORE})


# The funding summary


def funding_total(response):
    total = response.context["total"]
    return total.allocated, total.committed, total.spent


def test_funding_summary_counts_allocations_schemes_and_spend_by_their_dates(client, today, carol, luton, funding):
    Allocation.objects.filter(ccg=luton).update(notified_on=dt.date(2018, 5, 1))
    client.force_login(carol)
    url = reverse("commissioning:funding_summary", args=[luton.pk])

    assert funding_total(client.get(url, {"on": "2018-04-30"})) == (0, 0, 0)
    assert funding_total(client.get(url, {"on": "2018-05-01"})) == (Decimal("100000.00"), 0, 0)
    assert funding_total(client.get(url, {"on": "2018-06-01"})) == (Decimal("100000.00"), Decimal("40000.00"), 0)
    october = client.get(url, {"on": "2018-10-01"})
    assert funding_total(october) == (Decimal("100000.00"), Decimal("40000.00"), Decimal("10000.00"))
    assert "as at 1 October 2018" in october.content.decode()


def test_funding_summary_export_as_at_a_date_gives_the_pages_figures(client, today, carol, luton, funding):
    client.force_login(carol)
    url = reverse("commissioning:funding_summary", args=[luton.pk])
    page = client.get(url, {"on": "2018-07-01"})
    assert "summary.csv?on=2018-07-01" in page.content.decode()
    rows = list(csv.DictReader(io.StringIO(client.get(
        reverse("commissioning:funding_summary_export", args=[luton.pk, "csv"]), {"on": "2018-07-01"}
    ).content.decode("utf-8-sig"))))  # fmt: skip
    shown = {(r.year_label, r.allocated, r.committed, r.spent) for r in page.context["rows"]}
    exported = {
        (r["Financial year"], Decimal(r["Allocated (£)"]), Decimal(r["Committed (£)"]), Decimal(r["Spent (£)"]))
        for r in rows
    }
    assert exported == shown == {("2018/19", Decimal("100000"), Decimal("40000"), Decimal("0"))}
    assert {r["As at"] for r in rows} == {"2018-07-01"}


def test_funding_summary_with_a_bad_date_warns_and_shows_today(client, today, carol, luton, funding):
    client.force_login(carol)
    response = client.get(reverse("commissioning:funding_summary", args=[luton.pk]), {"on": "2030-01-01"})
    assert response.context["as_at"].error and response.context["as_at"].on == today
    assert funding_total(response)[2] == Decimal("10000.00")


# The alignment page


def test_alignment_shows_the_plans_actions_and_their_statuses_as_at_the_date(
    client, today, carol, luton_plan, achieved_late
):
    commitment = NationalCommitment.objects.first()
    achieved_late.commitments.add(commitment)
    later = ActionFactory(plan=luton_plan, local_code="LATE2", status_recorded_on=dt.date(2018, 12, 1))
    later.commitments.add(commitment)
    client.force_login(carol)
    url = reverse("commissioning:alignment", args=[luton_plan.pk])

    def answering(response):
        found = next(c for c in response.context["commitments"] if c.pk == commitment.pk)
        return [(a.local_code, a.status, a.overdue) for a in found.plan_actions]

    before = client.get(url, {"on": BEFORE})
    assert answering(before) == [("LATE1", Action.Status.IN_PROGRESS, True)]
    assert "as at 30 November 2018" in before.content.decode()
    assert answering(client.get(url, {"on": AFTER})) == [
        ("LATE1", Action.Status.ACHIEVED, False),
        ("LATE2", Action.Status.IN_PROGRESS, False),
    ]
    bad = client.get(url, {"on": "2018-02-30"})
    assert bad.context["as_at"].error and 'role="alert"' in bad.content.decode()


def test_alignment_as_at_queries_do_not_grow_with_actions(
    client, today, carol, luton_plan, django_assert_max_num_queries
):
    commitment = NationalCommitment.objects.first()
    client.force_login(carol)
    url = reverse("commissioning:alignment", args=[luton_plan.pk])
    for action in ActionFactory.create_batch(2, plan=luton_plan):
        action.commitments.add(commitment)
    client.get(url, {"on": BEFORE})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"on": BEFORE})
    for action in ActionFactory.create_batch(20, plan=luton_plan):
        action.commitments.add(commitment)
    with django_assert_max_num_queries(len(few)):
        client.get(url, {"on": BEFORE})


def test_a_point_read_as_at_a_date_cannot_be_saved(today, luton_plan):
    trajectory = TrajectoryFactory(action=ActionFactory(plan=luton_plan))
    TrajectoryPoint.objects.create(trajectory=trajectory, period=Q3, planned=Decimal("1"))
    point = TrajectoryPoint.objects.as_at(timezone.localdate()).get()
    with pytest.raises(ValueError):
        point.save()
