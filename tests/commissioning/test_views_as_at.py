"""The plan page and action list read as at ``?on=``."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commissioning.models import Action
from commissioning.services import action_status_record, plan_create

from .factories import ActionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(luton):
    return plan_create(ccg=luton, title="Luton GP Forward View plan", first_year=2017, last_year=2018)


@pytest.fixture
def achieved_late(plan):
    action = ActionFactory(plan=plan, local_code="PC01", due_date=dt.date(2018, 3, 31))
    action.status = Action.Status.ACHIEVED
    action.save()
    action_status_record(action=action, effective_on=dt.date(2018, 6, 15))
    return action


def test_plan_page_as_at_a_past_date_counts_the_statuses_then(client, alice, plan, achieved_late):
    client.force_login(alice)
    url = reverse("commissioning:plan_detail", args=[plan.pk])

    then = client.get(url, {"on": "2018-04-30"})
    assert (then.context["totals"].overdue, then.context["totals"].achieved) == (1, 0)
    assert "as at 30 April 2018" in then.content.decode()
    later = client.get(url, {"on": "2018-07-01"}).context["totals"]
    assert (later.overdue, later.achieved) == (0, 1)


@pytest.mark.parametrize("bad", ["30/04/2018", "2018-02-30", "2999-01-01"])
def test_a_bad_date_says_so_and_shows_the_default(client, alice, plan, achieved_late, bad):
    client.force_login(alice)
    response = client.get(reverse("commissioning:plan_detail", args=[plan.pk]), {"on": bad})
    assert response.status_code == 200
    assert response.context["as_at"].error
    assert response.context["as_at"].on == response.context["as_at"].default
    assert 'role="alert"' in response.content.decode()


def test_action_list_filters_the_as_at_status_and_overdue(client, alice, plan, achieved_late):
    ActionFactory(plan=plan, local_code="PC02", due_date=dt.date(2019, 3, 31))
    client.force_login(alice)
    url = reverse("commissioning:action_list", args=[plan.pk])

    overdue_then = client.get(url, {"on": "2018-04-30", "overdue": "yes"})
    assert [a.local_code for a in overdue_then.context["filter"].qs] == ["PC01"]
    achieved_then = client.get(url, {"on": "2018-04-30", "status": "achieved"})
    assert list(achieved_then.context["filter"].qs) == []
    achieved_later = client.get(url, {"on": "2018-07-01", "status": "achieved"})
    assert [a.local_code for a in achieved_later.context["filter"].qs] == ["PC01"]
    assert "Achieved and closed" in achieved_later.content.decode()


@pytest.mark.parametrize("name", ["commissioning:plan_detail", "commissioning:action_list"])
def test_as_at_pages_query_count_is_flat_in_the_number_of_actions(
    client, alice, plan, name, django_assert_max_num_queries
):
    client.force_login(alice)
    url = reverse(name, args=[plan.pk])
    ActionFactory.create_batch(2, plan=plan)
    client.get(url, {"on": "2018-04-30"})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"on": "2018-04-30"})
    ActionFactory.create_batch(20, plan=plan)
    with django_assert_max_num_queries(len(few)):
        client.get(url, {"on": "2018-04-30"})


@pytest.mark.parametrize("page", ["commissioning:action_list", "commissioning:risk_list"])
def test_as_at_filter_forms_label_every_field(client, alice, plan, achieved_late, page):
    """A filter over an as-at annotation names its field itself: django-filter cannot, and wrote '[invalid name]'."""
    client.force_login(alice)
    html = client.get(reverse(page, args=[plan.pk]), {"on": "2018-04-30"}).text
    assert "[invalid name]" not in html
    assert re.search(r'<label\b[^>]*\sfor="id_status"[^>]*>\s*(.*?)\s*</label>', html, re.S).group(1) == "Status"
