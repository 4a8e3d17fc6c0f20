"""Board papers as they stood at their meeting: the version approved by then, statuses and
missing returns on the meeting date, and what changed since the previous meeting."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from commissioning.models import Action, PlanVersion, Risk
from commissioning.services import action_status_record
from dashboards.models import BoardReport
from dashboards.selectors import Period
from dashboards.services import board_report_context, board_report_generate
from tests.commissioning.factories import ActionFactory, RiskFactory

from .helpers import Q3

pytestmark = pytest.mark.django_db

COMMITTEE = "Primary Care Commissioning Committee"


def at(day: dt.date):
    return time_machine.travel(timezone.make_aware(dt.datetime.combine(day, dt.time(12))), tick=False)


def approve(plan, number: int, day: dt.date, minute: str) -> PlanVersion:
    with at(day):
        version, _ = PlanVersion.objects.update_or_create(
            plan=plan, number=number,
            defaults={"status": "approved", "approving_committee": COMMITTEE, "approved_on": day,
                      "minute_reference": minute, "approved_at": timezone.now()},
        )  # fmt: skip
    return version


def paper(ccg, meeting_date: dt.date, made_on: dt.date) -> BoardReport:
    with at(made_on):
        report = BoardReport.objects.create(ccg=ccg, period=Q3, meeting=COMMITTEE, meeting_date=meeting_date)
        return board_report_generate(report_id=report.pk)


def test_a_version_approved_between_two_meetings_is_named_by_the_later_paper_only(luton, luton_plan):
    with at(dt.date(2018, 9, 1)):
        first = ActionFactory(plan=luton_plan, local_code="PC01", title="Recruit clinical pharmacists")
    approve(luton_plan, 1, dt.date(2018, 10, 10), "PCCC/18/10")
    with at(dt.date(2018, 12, 1)):
        ActionFactory(plan=luton_plan, local_code="PC02", title="Open a GP hub")
        first.status = Action.Status.ACHIEVED
        first.save()
        action_status_record(action=first)
    approve(luton_plan, 2, dt.date(2018, 12, 12), "PCCC/18/12")

    november = paper(luton, dt.date(2018, 11, 15), made_on=dt.date(2018, 11, 16))
    january = paper(luton, dt.date(2019, 1, 24), made_on=dt.date(2019, 1, 25))

    assert (
        "Version 1, approved by the Primary Care Commissioning Committee on 10 October 2018, minute PCCC/18/10"
        in november.html
    )
    assert "Open a GP hub" not in november.html.split('id="report-changes"')[0]
    assert (
        "Version 2, approved by the Primary Care Commissioning Committee on 12 December 2018, minute PCCC/18/12"
        in january.html
    )
    assert january.summary["plan_version"] == 2 and november.summary["plan_version"] == 1
    changes = january.html.split('id="report-changes"')[1]
    assert "From 15 November 2018 (the previous meeting) to 24 January 2019" in changes
    assert "Version 2 of the plan approved" in changes and "PC01 Recruit clinical pharmacists" in changes
    assert "Statuses as at 24 January 2019, the meeting date; returns counted as missing only where due" in january.html


def test_statuses_are_counted_on_the_meeting_date(luton, luton_plan):
    with at(dt.date(2018, 9, 1)):
        ActionFactory(plan=luton_plan, due_date=dt.date(2018, 12, 31), status=Action.Status.IN_PROGRESS)
    with at(dt.date(2019, 2, 1)):
        before = board_report_context(ccg=luton, period=Period(Q3), meeting_date=dt.date(2018, 12, 20))
        after = board_report_context(ccg=luton, period=Period(Q3), meeting_date=dt.date(2019, 1, 24))
    assert len(before["exceptions"].overdue_actions) == 0 and len(after["exceptions"].overdue_actions) == 1
    assert before["dashboard"].section("plan").table.total[4] == 0  # the overdue column
    assert after["dashboard"].section("plan").table.total[4] == 1


def test_a_return_due_after_the_meeting_is_not_counted_missing(luton, workforce_collection):
    """The census is due on 15 January 2019 and one practice never sent it."""
    with at(dt.date(2019, 2, 1)):
        early = board_report_context(ccg=luton, period=Period(Q3), meeting_date=dt.date(2019, 1, 10))
        late = board_report_context(ccg=luton, period=Period(Q3), meeting_date=dt.date(2019, 1, 24))
    assert early["exceptions"].missing_returns == []
    assert [r.pk for r in late["exceptions"].missing_returns] == [workforce_collection["missing"].pk]


def test_without_an_earlier_meeting_the_changes_run_from_the_last_approval(luton, luton_plan):
    approve(luton_plan, 1, dt.date(2018, 10, 10), "PCCC/18/10")
    with at(dt.date(2019, 2, 1)):
        context = board_report_context(ccg=luton, period=Period(Q3), meeting_date=dt.date(2019, 1, 24))
    assert context["since"] == dt.date(2018, 10, 10) and not context["since_meeting"]
    assert context["changes"] is not None


def test_the_papers_returns_table_counts_missing_on_the_meeting_date(luton, workforce_collection):
    with at(dt.date(2019, 2, 1)):
        early = board_report_context(ccg=luton, period=Period(Q3), meeting_date=dt.date(2019, 1, 10))
    section = early["dashboard"].section("returns")
    [row] = section.table.rows
    # On 10 January one return was in (accepted); the one submitted on 14 January was, like the
    # never-submitted one, not yet in and not yet due (due 15 January): none missing.
    assert (row[3], row[4], row[6], row[7]) == (1, 0, 0, 2)
    assert section.as_at.startswith("Statuses as at 10 January 2019, the meeting date")


def test_the_form_asks_for_the_committee_and_the_meeting_date(client, alice, luton):
    from django.urls import reverse

    client.force_login(alice)
    page = client.get(reverse("dashboards:report_list", args=[luton.pk])).text
    assert "Committee" in page and "Date of the meeting" in page
    response = client.post(
        reverse("dashboards:report_list", args=[luton.pk]), {"period": "2018-10-01", "meeting": COMMITTEE}
    )
    assert response.status_code == 200 and "This field is required." in response.text
    assert not BoardReport.objects.exists()


def test_the_red_actions_and_high_risks_of_a_paper_are_those_at_its_meeting(luton, luton_plan):
    with at(dt.date(2018, 9, 1)):
        red = ActionFactory(plan=luton_plan, local_code="PC01", rag=Action.RAG.RED, rag_reason="No applicants")
        falling = RiskFactory(plan=luton_plan, reference="R01", likelihood=4, impact=4)
        RiskFactory(plan=luton_plan, reference="R02", likelihood=1, impact=2)
    # Typed on 20 January but in force from 1 December: green by the January meeting, red at November's.
    with at(dt.date(2019, 1, 20)):
        red.rag, red.rag_reason = Action.RAG.GREEN, ""
        red.save()
        action_status_record(action=red, effective_on=dt.date(2018, 12, 1))
    with at(dt.date(2018, 12, 5)):
        falling.likelihood = 1
        falling.save()
        RiskFactory(plan=luton_plan, reference="R03", likelihood=5, impact=3)

    with at(dt.date(2019, 1, 25)):
        november = board_report_context(ccg=luton, period=Period(Q3), meeting_date=dt.date(2018, 11, 15))
        january = board_report_context(ccg=luton, period=Period(Q3), meeting_date=dt.date(2019, 1, 24))
    assert [a.local_code for a in november["exceptions"].red_actions] == ["PC01"]
    assert november["exceptions"].red_actions[0].get_rag_display() == "Red"
    assert january["exceptions"].red_actions == []
    assert [(r.reference, r.score) for r in november["exceptions"].high_risks] == [("R01", 16)]
    assert [(r.reference, r.score) for r in january["exceptions"].high_risks] == [("R03", 15)]
    assert Risk.objects.get(reference="R01").score == 4  # the register today is not what November's paper read


def test_the_exceptions_of_a_paper_take_the_same_queries_whatever_the_plan_size(
    luton, luton_plan, django_assert_max_num_queries
):
    from dashboards.selectors import exceptions_for

    def make(n: int) -> None:
        with at(dt.date(2018, 9, 1)):
            for _ in range(n):
                ActionFactory(plan=luton_plan, rag=Action.RAG.RED, rag_reason="Late", due_date=dt.date(2018, 10, 1))
                RiskFactory(plan=luton_plan, likelihood=4, impact=4)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            exceptions_for(luton, Period(Q3), luton_plan, [], on=dt.date(2018, 11, 15))
        return len(queries)

    make(1)
    few = count()
    make(6)
    with django_assert_max_num_queries(few):
        exceptions = exceptions_for(luton, Period(Q3), luton_plan, [], on=dt.date(2018, 11, 15))
    assert (len(exceptions.red_actions), len(exceptions.high_risks), len(exceptions.overdue_actions)) == (7, 7, 7)
