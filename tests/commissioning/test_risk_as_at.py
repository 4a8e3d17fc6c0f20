"""The risk register as at a date (``RiskQuerySet.as_at``, the register page and its export) and
progress reports recording the statuses they report. Time frozen on each day with time-machine."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from commissioning.changes import plan_changes_between
from commissioning.models import Action, ActionStatusChange, ProgressReport, Risk
from tests.commissioning.factories import ActionFactory, PlanFactory, RiskFactory

pytestmark = pytest.mark.django_db

LAST_MEETING = dt.date(2018, 1, 24)
THIS_MEETING = dt.date(2018, 4, 30)


def on(day: dt.date, hour: int = 12):
    return time_machine.travel(timezone.make_aware(dt.datetime.combine(day, dt.time(hour))), tick=False)


@pytest.fixture
def plan(luton):
    with on(dt.date(2017, 6, 1)):
        return PlanFactory(ccg=luton)


@pytest.fixture
def rescored(plan):
    """R01 entered at 3 x 4 in June 2017 and rescored to 4 x 5 between the two meetings."""
    with on(dt.date(2017, 6, 1)):
        risk = RiskFactory(plan=plan, reference="R01", likelihood=3, impact=4)
    with on(dt.date(2018, 3, 5)):
        risk.likelihood, risk.impact = 4, 5
        risk.save()
    return risk


def scores(plan, day: dt.date) -> dict[str, tuple]:
    return {r.reference: (r.likelihood, r.impact, r.score, r.score_value, r.status) for r in plan.risks.as_at(day)}


def test_a_risk_rescored_between_two_meetings_reads_its_score_at_each(plan, rescored):
    assert scores(plan, LAST_MEETING) == {"R01": (3, 4, 12, 12, "open")}
    assert scores(plan, THIS_MEETING) == {"R01": (4, 5, 20, 20, "open")}
    [change] = plan_changes_between(plan=plan, start=LAST_MEETING, end=THIS_MEETING).rescored_risks
    assert (change.reference, change.old_score, change.new_score) == ("R01", 12, 20)
    assert not plan_changes_between(plan=plan, start=THIS_MEETING, end=dt.date(2018, 6, 30)).risks


def test_a_change_late_on_a_day_counts_for_that_day_and_not_the_day_before(plan):
    with on(dt.date(2018, 3, 5), hour=23):
        RiskFactory(plan=plan, reference="R09", likelihood=2, impact=2)
    assert "R09" in scores(plan, dt.date(2018, 3, 5))
    assert "R09" not in scores(plan, dt.date(2018, 3, 4))


def test_a_risk_entered_after_a_date_is_absent_as_at_that_date(plan, rescored):
    with on(dt.date(2018, 2, 14)):
        RiskFactory(plan=plan, reference="R02", likelihood=5, impact=5)
    assert set(scores(plan, LAST_MEETING)) == {"R01"}
    assert set(scores(plan, THIS_MEETING)) == {"R01", "R02"}


def test_a_closed_risk_is_marked_closed_from_the_day_it_closed(plan):
    with on(dt.date(2017, 6, 1)):
        risk = RiskFactory(plan=plan, reference="R03")
    with on(dt.date(2018, 2, 1)):
        risk.status = Risk.Status.CLOSED
        risk.save()
    [before] = plan.risks.as_at(LAST_MEETING)
    [after] = plan.risks.as_at(THIS_MEETING)
    assert (before.closed, before.status) == (False, "open")
    assert (after.closed, after.get_status_display()) == (True, "Closed")


def test_a_risk_read_as_at_a_date_cannot_be_saved(plan, rescored):
    [old] = plan.risks.as_at(LAST_MEETING)
    with pytest.raises(ValueError, match="snapshot"):
        old.save()
    rescored.refresh_from_db()
    assert rescored.score == 20


def test_risks_as_at_a_date_take_one_query_whatever_their_number(plan, django_assert_max_num_queries):
    with on(dt.date(2017, 6, 1)):
        for n in range(8):
            risk = RiskFactory(plan=plan, likelihood=1 + n % 5)
            risk.impact = 5
            risk.save()
    with django_assert_max_num_queries(1):
        assert len(list(plan.risks.as_at(THIS_MEETING).order_by("-score_value"))) == 8


def test_the_register_page_shows_scores_as_at_the_date_asked_and_its_export_carries_it(client, alice, plan, rescored):
    with on(dt.date(2018, 2, 14)):
        RiskFactory(plan=plan, reference="R02", likelihood=5, impact=5)
    client.force_login(alice)
    url = reverse("commissioning:risk_list", args=[plan.pk])
    with on(dt.date(2018, 5, 1)):
        page = client.get(url, {"on": LAST_MEETING.isoformat()})
        rows = [(r.reference, r.score) for r in page.context["table"].data]
        text = page.content.decode()
        now = client.get(url)
    assert rows == [("R01", 12)]
    assert "as at 24 January 2018" in text
    export = reverse("commissioning:risk_export", args=[plan.pk, "csv"]) + "?on=2018-01-24"
    assert export in text
    assert [(r.reference, r.score) for r in now.context["table"].data] == [("R02", 25), ("R01", 20)]
    cells = [cell for row in now.context["matrix"] for cell in row[1] if cell.count]
    assert {(c.likelihood, c.impact) for c in cells} == {(5, 5), (4, 5)}

    with on(dt.date(2018, 5, 1)):
        response = client.get(export)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["Ref", "Risk", "Owner", "Likelihood (1-5)", "Impact (1-5)", "Score (1-25)"]
    assert [(r[0], r[3], r[4], r[5], r[-1]) for r in rows[1:]] == [("R01", "3", "4", "12", "2018-01-24")]


def test_the_register_filters_by_the_status_as_at_the_date(client, alice, plan, rescored):
    with on(dt.date(2018, 4, 1)):
        rescored.status = Risk.Status.CLOSED
        rescored.save()
    client.force_login(alice)
    url = reverse("commissioning:risk_list", args=[plan.pk])
    with on(dt.date(2018, 5, 1)):
        before = client.get(url, {"on": LAST_MEETING.isoformat(), "status": "open"})
        after = client.get(url, {"status": "open"})
        graded = client.get(url, {"on": LAST_MEETING.isoformat(), "grade": "high"})
    assert [r.reference for r in before.context["table"].data] == ["R01"]
    assert list(after.context["table"].data) == []
    assert [r.reference for r in graded.context["table"].data] == ["R01"]


def test_the_register_page_queries_stay_flat_in_the_number_of_risks(client, alice, plan, django_assert_max_num_queries):
    client.force_login(alice)
    url = reverse("commissioning:risk_list", args=[plan.pk])

    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"on": "2018-04-30"}).status_code == 200
        return len(queries)

    with on(dt.date(2017, 6, 1)):
        RiskFactory(plan=plan).actions.set([ActionFactory(plan=plan)])
    with on(dt.date(2018, 5, 1)):
        few = count_queries()
    with on(dt.date(2017, 6, 1)):
        for _ in range(6):
            RiskFactory(plan=plan).actions.set([ActionFactory(plan=plan)])
    with on(dt.date(2018, 5, 1)), django_assert_max_num_queries(few):
        assert client.get(url, {"on": "2018-04-30"}).status_code == 200


# Progress reports record the statuses they report


def report_data(action, **overrides):
    data = {
        "about": f"action-{action.pk}",
        "period_choice": "quarterly:2018-01-01",
        "progress_made": "Hub open three evenings a week",
        "next_steps": "Weekend sessions",
    }
    data.update(overrides)
    return data


def test_a_progress_report_on_an_action_records_the_status_it_reported(client, alice, plan):
    with on(dt.date(2017, 6, 1)):
        action = ActionFactory(plan=plan, local_code="PC01", title="Extended access hubs")
    client.force_login(alice)
    with on(dt.date(2018, 4, 12)):
        response = client.post(
            reverse("commissioning:progress_create", args=[plan.pk]),
            report_data(action, status="achieved", rag="green"),
        )
    assert response.status_code == 302
    report = ProgressReport.objects.get(action=action)
    [change] = report.status_changes.all()
    # Q4 2017/18 ends on 31 March: the status took effect then, though it was typed on 12 April.
    assert (change.action, change.status, change.rag, change.effective_on) == (
        action,
        "achieved",
        "green",
        dt.date(2018, 3, 31),
    )
    assert change.recorded_by == alice and timezone.localdate(change.recorded_at) == dt.date(2018, 4, 12)
    action.refresh_from_db()
    assert action.status == Action.Status.ACHIEVED
    assert Action.objects.filter(pk=action.pk).as_at(dt.date(2018, 3, 31)).get().status == "achieved"
    assert Action.objects.filter(pk=action.pk).as_at(dt.date(2018, 3, 30)).get().status == "in_progress"


def test_a_progress_report_confirming_an_unchanged_status_still_records_it(client, alice, plan):
    with on(dt.date(2017, 6, 1)):
        action = ActionFactory(plan=plan)
    client.force_login(alice)
    with on(dt.date(2018, 4, 12)):
        client.post(reverse("commissioning:progress_create", args=[plan.pk]), report_data(action, status="in_progress"))
    report = ProgressReport.objects.get(action=action)
    assert [c.status for c in report.status_changes.all()] == ["in_progress"]


def test_a_progress_report_without_a_status_records_none(client, alice, plan):
    with on(dt.date(2017, 6, 1)):
        action = ActionFactory(plan=plan)
    client.force_login(alice)
    before = ActionStatusChange.objects.count()
    with on(dt.date(2018, 4, 12)):
        client.post(reverse("commissioning:progress_create", args=[plan.pk]), report_data(action))
    assert ProgressReport.objects.filter(action=action).exists()
    assert ActionStatusChange.objects.count() == before


def test_a_progress_report_cannot_back_date_a_status_before_a_later_recorded_one(client, alice, plan):
    from commissioning.services import action_status_record

    with on(dt.date(2017, 6, 1)):
        action = ActionFactory(plan=plan)
    with on(dt.date(2018, 4, 5)):
        action.status = Action.Status.ON_HOLD
        action.save()
        action_status_record(action=action, effective_on=dt.date(2018, 4, 5))
    client.force_login(alice)
    with on(dt.date(2018, 4, 12)):
        response = client.post(
            reverse("commissioning:progress_create", args=[plan.pk]), report_data(action, status="achieved")
        )
    assert response.status_code == 200
    assert "A later status of this action is already recorded, from 5 April 2018" in response.content.decode()
    assert not ProgressReport.objects.filter(action=action).exists()
    action.refresh_from_db()
    assert action.status == Action.Status.ON_HOLD


def test_a_red_status_in_a_progress_report_needs_a_reason(client, alice, plan):
    with on(dt.date(2017, 6, 1)):
        action = ActionFactory(plan=plan)
    client.force_login(alice)
    with on(dt.date(2018, 4, 12)):
        response = client.post(
            reverse("commissioning:progress_create", args=[plan.pk]),
            report_data(action, status="in_progress", rag="red"),
        )
    assert response.status_code == 200
    assert "Give the reason for a red or amber rating." in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_high_risks_as_at_a_date_take_the_status_and_score_of_that_date(plan, rescored):
    """R01 scored 12 (high) at the last meeting and was closed before this one: ``high`` reads both then."""
    with on(dt.date(2018, 4, 2)):
        rescored.status = Risk.Status.CLOSED
        rescored.save()
    with on(dt.date(2017, 6, 1)):
        RiskFactory(plan=plan, reference="R05", likelihood=2, impact=3)
    assert [r.reference for r in plan.risks.as_at(LAST_MEETING).high()] == ["R01"]
    assert list(plan.risks.as_at(THIS_MEETING).high()) == []
    assert list(plan.risks.high()) == []  # today's status: closed
    with pytest.raises(ValueError, match="already as at another date"):
        plan.risks.as_at(LAST_MEETING).as_at(THIS_MEETING)


def test_the_register_xlsx_gives_the_pages_scores_and_grades_as_numbers_and_words(client, alice, plan, rescored):
    from openpyxl import load_workbook

    from tests.html_tables import page_table

    client.force_login(alice)
    with on(dt.date(2018, 5, 1)):
        html = client.get(reverse("commissioning:risk_list", args=[plan.pk])).content.decode()
        content = client.get(reverse("commissioning:risk_export", args=[plan.pk, "xlsx"])).content
    (shown,) = page_table(html, "Risks in the register")
    sheet = load_workbook(io.BytesIO(content)).active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, sheet[2], strict=True))

    assert (row["Score (1-25)"].value, row["Score (1-25)"].data_type) == (int(shown["Score"]), "n") == (20, "n")
    assert row["Grade"].value in shown["Grade"]
    assert row["As at"].is_date and row["As at"].value == dt.datetime(2018, 5, 1)
