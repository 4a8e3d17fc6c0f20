"""Plans and funding on a commissioner's home page: actions newly overdue (with the total), open
actions rated red, tracker uploads that reported problems and funding bids awaiting a
decision; for the commissioner's own CCG only, counted exactly, linking to exactly those."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from commissioning.funding.models import Scheme
from commissioning.models import Action, Risk, TrackerImportRun
from commissioning.todo import (
    funding_bids_to_decide,
    overdue_actions,
    red_actions,
    risks_due_for_review,
    tracker_problems,
)
from portal.todo import ADMINISTRATOR, COMMISSIONER, Urgency

from ..dashboards.helpers import set_today
from .factories import ActionFactory, PlanFactory, RiskFactory
from .funding.factories import SchemeFactory

TODAY = dt.date(2019, 4, 10)


@pytest.fixture
def plans(luton, wolverhampton, time_machine):
    """Luton's plan: PC01 due 31 Mar 2019 (went overdue 11 days ago), PC02 due 31 Jan 2019 (overdue
    for longer), PC03 achieved, PC04 due in June and red, PC05 achieved and still marked red.
    Wolverhampton's plan: WV01, newly overdue and red. Today is 10 April 2019."""
    set_today(time_machine, TODAY)
    luton_plan = PlanFactory(ccg=luton, title="Luton GPFV plan")
    wolverhampton_plan = PlanFactory(ccg=wolverhampton, title="Wolverhampton GPFV plan")
    red = {"rag": Action.RAG.RED, "rag_reason": "Recruitment has stalled."}
    ActionFactory(plan=luton_plan, local_code="PC01", due_date=dt.date(2019, 3, 31))
    ActionFactory(plan=luton_plan, local_code="PC02", due_date=dt.date(2019, 1, 31))
    ActionFactory(plan=luton_plan, local_code="PC03", due_date=dt.date(2019, 3, 31), status=Action.Status.ACHIEVED)
    ActionFactory(plan=luton_plan, local_code="PC04", due_date=dt.date(2019, 6, 30), **red)
    ActionFactory(plan=luton_plan, local_code="PC05", due_date=dt.date(2019, 6, 30), status=Action.Status.ACHIEVED,
                  **red)  # fmt: skip
    ActionFactory(plan=wolverhampton_plan, local_code="WV01", due_date=dt.date(2019, 4, 1), **red)
    return luton_plan, wolverhampton_plan


def action_codes(client, url: str) -> set[str]:
    html = client.get(url).text
    table = html.split("<tbody")[1].split("</tbody>")[0]
    return {code for code in ("PC01", "PC02", "PC03", "PC04", "PC05", "WV01") if f">{code}<" in table}


def test_newly_overdue_actions_with_the_total_overdue_for_the_commissioners_ccg_only(client, plans, alice):
    luton_plan, _ = plans
    [item] = overdue_actions(alice, TODAY)
    assert (item.role, item.text, item.urgency, item.due_date) == (
        COMMISSIONER, "1 action newly overdue", Urgency.OVERDUE, dt.date(2019, 3, 31)
    )  # fmt: skip
    assert item.note == "Luton GPFV plan (2017/18-2018/19): went overdue in the last 14 days, was due 31 March 2019"
    assert item.more_text == "2 overdue in all"
    client.force_login(alice)
    assert action_codes(client, item.url) == {"PC01"}
    assert action_codes(client, item.more_url) == {"PC01", "PC02"}


def test_overdue_actions_none_newly_show_the_total(plans, alice, time_machine):
    later = dt.date(2019, 5, 1)
    set_today(time_machine, later)
    [item] = overdue_actions(alice, later)
    assert item.text == "2 actions overdue" and item.url.endswith("?overdue=yes")
    assert item.note.endswith("none went overdue in the last 14 days; the oldest was due 31 January 2019")


def test_newly_means_due_in_the_last_fourteen_days(plans, alice, time_machine):
    # PC01 was due 31 March: on 14 April it went overdue 14 days ago (still new), on 15 April 15 days ago.
    assert overdue_actions(alice, dt.date(2019, 4, 14))[0].text == "1 action newly overdue"
    assert overdue_actions(alice, dt.date(2019, 4, 15))[0].text == "2 actions overdue"


def test_open_red_actions_count_only_open_ones_and_the_link_shows_them(client, plans, alice):
    [item] = red_actions(alice, TODAY)
    assert item.text == "1 open action rated red"
    client.force_login(alice)
    assert action_codes(client, item.url) == {"PC04"}


def test_another_ccgs_commissioner_sees_only_their_own_plan(plans, erin):
    [overdue] = overdue_actions(erin, TODAY)
    [red] = red_actions(erin, TODAY)
    assert overdue.text == "1 action newly overdue" and overdue.more_text == "1 overdue in all"
    assert str(plans[1].pk) in overdue.url and str(plans[1].pk) in red.url


def test_governing_body_and_practice_managers_get_no_commissioner_items(plans, carol, bob):
    for provider in (overdue_actions, red_actions, tracker_problems, funding_bids_to_decide):
        assert provider(carol, TODAY) == [] and provider(bob, TODAY) == []


def run(plan, *, days_ago=1, **fields):
    return TrackerImportRun.objects.create(
        plan=plan, file="imports/tracker/t.xlsx", file_name="tracker.xlsx",
        queued_at=timezone.now() - dt.timedelta(days=days_ago), **fields,
    )  # fmt: skip


def test_tracker_uploads_that_reported_problems_recently(client, plans, alice, root):
    luton_plan, wolverhampton_plan = plans
    problem = [{"row": 3, "column": "Status", "message": "Not a status"}]
    failed = run(luton_plan, status=TrackerImportRun.Status.FAILED, error="Not a spreadsheet")
    with_errors = run(luton_plan, status=TrackerImportRun.Status.DONE, errors=problem)
    run(luton_plan, status=TrackerImportRun.Status.DONE, errors=problem, dry_run=True)  # a check: meant to find them
    run(luton_plan, status=TrackerImportRun.Status.DONE, saved=True)
    run(luton_plan, status=TrackerImportRun.Status.FAILED, days_ago=15)
    run(wolverhampton_plan, status=TrackerImportRun.Status.FAILED)

    [item] = tracker_problems(alice, TODAY)
    assert (item.role, item.text) == (COMMISSIONER, "2 action tracker uploads reported problems")
    assert item.url == f"{reverse('commissioning:tracker_import', args=[luton_plan.pk])}?problems=yes"
    client.force_login(alice)
    runs = client.get(item.url).text.split('id="tracker-runs"')[1].split("</ul>")[0]
    assert runs.count("<li>") == 2
    assert failed.get_absolute_url() in runs and with_errors.get_absolute_url() in runs

    admin_items = tracker_problems(root, TODAY)
    assert [(i.role, i.count) for i in admin_items] == [(ADMINISTRATOR, 2), (ADMINISTRATOR, 1)]


def test_funding_bids_awaiting_a_decision_for_the_commissioners_ccg(client, plans, luton, wolverhampton, alice):
    submitted_at = timezone.make_aware(dt.datetime(2019, 3, 20, 10))
    SchemeFactory(ccg=luton, title="Care navigation", status=Scheme.Status.SUBMITTED, submitted_at=submitted_at)
    SchemeFactory(ccg=luton, title="Online consultation", status=Scheme.Status.SUBMITTED, submitted_at=timezone.now())
    SchemeFactory(ccg=luton, title="Draft idea")
    SchemeFactory(ccg=wolverhampton, title="Wolverhampton bid", status=Scheme.Status.SUBMITTED)

    [item] = funding_bids_to_decide(alice, TODAY)
    assert item.text == "2 funding bids awaiting a decision"
    assert item.note == "the first submitted 20 March 2019"
    client.force_login(alice)
    html = client.get(item.url).text
    assert "Care navigation" in html and "Online consultation" in html
    assert "Draft idea" not in html and "Wolverhampton bid" not in html


def test_a_commissioner_of_two_ccgs_reads_each_plan_after_its_ccg(plans, alice, wolverhampton):
    from practices.models import Role
    from tests.factories import RoleFactory

    RoleFactory(user=alice, kind=Role.Kind.COMMISSIONER, ccg=wolverhampton)
    notes = [item.note.split(":")[0] for item in overdue_actions(alice, TODAY)]
    assert notes == ["NHS Luton CCG", "NHS Wolverhampton CCG"]


def test_risks_due_for_review_of_the_commissioners_ccg_only_link_to_exactly_those(client, plans, alice):
    luton_plan, wolverhampton_plan = plans
    RiskFactory(plan=luton_plan, reference="R01", review_due=dt.date(2019, 3, 1))  # overdue
    RiskFactory(plan=luton_plan, reference="R02", review_due=TODAY)  # due today
    RiskFactory(plan=luton_plan, reference="R03", review_due=dt.date(2019, 5, 1))  # not yet
    RiskFactory(plan=luton_plan, reference="R04", review_due=dt.date(2019, 3, 1), status=Risk.Status.CLOSED)
    RiskFactory(plan=luton_plan, reference="R05")  # no review date
    RiskFactory(plan=wolverhampton_plan, reference="W01", review_due=dt.date(2019, 3, 1))
    [item] = risks_due_for_review(alice, TODAY)
    assert (item.role, item.text, item.urgency, item.due_date) == (
        COMMISSIONER, "2 risks due for review", Urgency.OVERDUE, dt.date(2019, 3, 1)
    )  # fmt: skip
    assert item.note == "Luton GPFV plan (2017/18-2018/19): the oldest was due 1 March 2019"
    client.force_login(alice)
    html = client.get(item.url).text
    table = html.split("<tbody")[1].split("</tbody>")[0]
    assert {ref for ref in ("R01", "R02", "R03", "R04", "R05", "W01") if ref in table} == {"R01", "R02"}


def test_a_risk_due_today_only_is_due_not_overdue(plans, alice):
    luton_plan, _ = plans
    RiskFactory(plan=luton_plan, reference="R01", review_due=TODAY)
    [item] = risks_due_for_review(alice, TODAY)
    assert (item.text, item.urgency, item.note) == (
        "1 risk due for review", Urgency.DUE, "Luton GPFV plan (2017/18-2018/19): due 10 April 2019"
    )  # fmt: skip
