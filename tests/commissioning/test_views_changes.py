"""The plan's "Compare two dates" page: the dates as a GET form, its errors, what it lists, who may open it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Action, TrajectoryPoint
from commissioning.services import action_status_record
from tests.commissioning.factories import ActionFactory, PlanFactory, RiskFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db


def at(day: dt.date):
    return time_machine.travel(timezone.make_aware(dt.datetime.combine(day, dt.time(12))), tick=False)


@pytest.fixture
def plan(luton):
    with at(dt.date(2017, 6, 1)):
        return PlanFactory(ccg=luton)


def url(plan, **dates) -> str:
    query = "&".join(f"{key}={value}" for key, value in dates.items())
    return reverse("commissioning:plan_changes", args=[plan.pk]) + (f"?{query}" if query else "")


def compare(plan, **dates):
    return url(plan, **{"from": "2018-01-24", "to": "2018-04-30", **dates})


def busy_plan(plan, count: int) -> None:
    """``count`` actions, each achieved in March 2018 with a trajectory actual and a rescored risk."""
    with at(dt.date(2017, 6, 1)):
        actions = [ActionFactory(plan=plan, local_code=f"PC{n:03d}") for n in range(count)]
        risks = [RiskFactory(plan=plan, reference=f"R{n:03d}", likelihood=2, impact=2) for n in range(count)]
        points = [
            TrajectoryPoint.objects.create(
                trajectory=TrajectoryFactory(action=action), period=dt.date(2018, 1, 1), planned=Decimal(10)
            )
            for action in actions
        ]
    with at(dt.date(2018, 3, 1)):
        for action, risk, point in zip(actions, risks, points, strict=True):
            action.status = Action.Status.ACHIEVED
            action.save()
            action_status_record(action=action)
            risk.impact = 4
            risk.save()
            point.actual, point.actual_source = Decimal(11), "typed"
            point.save()


def test_an_action_whose_status_moved_shows_in_the_comparison(client, alice, plan):
    with at(dt.date(2017, 6, 1)):
        action = ActionFactory(plan=plan, local_code="PC07", title="Recruit clinical pharmacists")
    with at(dt.date(2018, 3, 1)):
        action.status = Action.Status.ACHIEVED
        action.save()
        action_status_record(action=action)
    client.force_login(alice)
    page = client.get(compare(plan)).text
    table = page.split('id="table-changed-actions"')[1].split("</table>")[0]
    assert "PC07 Recruit clinical pharmacists" in table
    cell = '<td class="nhsuk-table__cell">'
    assert f"{cell}In progress</td>{cell}<strong>Achieved and closed</strong></td>" in table
    assert "Changes after 24 January 2018 up to 30 April 2018" in page
    # Not in a window that ends before the change.
    assert "PC07" not in client.get(compare(plan, to="2018-02-28")).text.split('id="table-changed-actions"')[1]


def test_a_rescored_risk_shows_old_and_new_score(client, alice, plan):
    with at(dt.date(2017, 6, 1)):
        risk = RiskFactory(plan=plan, reference="R01", likelihood=3, impact=4)
    with at(dt.date(2018, 2, 14)):
        risk.likelihood = 4
        risk.save()
    client.force_login(alice)
    table = client.get(compare(plan)).text.split('id="table-changed-risks"')[1].split("</table>")[0]
    assert "Rescored" in table and "12 &rarr; 16" in table


@pytest.mark.parametrize(
    "dates, error",
    [
        ({"from": "2018-13-01"}, "Enter a valid date."),
        ({"to": "not a date"}, "Enter a valid date."),
        ({"from": ""}, "This field is required."),
        ({"from": "2018-05-01"}, "The second date must be on or after the first."),
    ],
)
def test_bad_dates_give_an_error_next_to_the_field(client, alice, plan, dates, error):
    client.force_login(alice)
    response = client.get(compare(plan, **dates))
    assert response.status_code == 200
    assert error in response.text and "nhsuk-form-group--error" in response.text
    assert 'aria-invalid="true"' in response.text
    assert response.context["changes"] is None and 'id="table-changed-actions"' not in response.text


def test_the_page_has_labelled_date_fields_and_is_linked_from_the_plan(client, alice, plan):
    client.force_login(alice)
    page = client.get(url(plan)).text
    assert '<label class="nhsuk-label" for="id_from"' in page and '<label class="nhsuk-label" for="id_to"' in page
    assert 'method="get"' in page and 'type="date"' in page and 'aria-describedby="id_from-hint"' in page
    assert '<div class="nhsuk-hint" id="id_from-hint">' in page
    assert url(plan) in client.get(plan.get_absolute_url()).text


def test_another_ccgs_commissioner_cannot_open_the_comparison(client, erin, plan):
    client.force_login(erin)
    assert client.get(compare(plan)).status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_compare_page_queries_do_not_grow_with_actions(client, alice, plan, count, django_assert_max_num_queries):
    busy_plan(plan, count)
    client.force_login(alice)
    client.get(compare(plan))  # warm the session and role caches
    with django_assert_max_num_queries(20):
        response = client.get(compare(plan))
    changes = response.context["changes"]
    assert len(changes.actions) == len(changes.rescored_risks) == len(changes.actuals) == count


def test_compare_page_reads_the_same_number_of_queries_for_few_and_many_actions(client, alice, luton):
    counts = []
    for n, size in enumerate([2, 20]):
        with at(dt.date(2017, 6, 1)):
            plan = PlanFactory(ccg=luton, first_year=2017 + n * 10, last_year=2018 + n * 10)
        busy_plan(plan, size)
        client.force_login(alice)
        client.get(compare(plan))
        with CaptureQueriesContext(connection) as queries:
            client.get(compare(plan))
        counts.append(len(queries))
    assert counts[0] == counts[1]
