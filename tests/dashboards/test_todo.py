"""A governing body member's home page: the papers of the next meeting and the latest board
report of their CCG, only reports that are ready, never another CCG's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dashboards.models import BoardReport
from dashboards.todo import board_papers
from portal.todo import GOVERNING_BODY, Urgency

from .helpers import set_today

TODAY = dt.date(2018, 10, 1)


def report(ccg, meeting_date, *, status=BoardReport.Status.DONE, period=dt.date(2018, 4, 1), meeting="Governing Body"):
    ready = status == BoardReport.Status.DONE
    return BoardReport.objects.create(
        ccg=ccg, period=period, meeting=meeting, meeting_date=meeting_date, status=status,
        html="<p>Papers</p>" if ready else "", generated_at=timezone.now() if ready else None,
    )  # fmt: skip


@pytest.fixture
def reports(luton, wolverhampton, time_machine):
    set_today(time_machine, TODAY)
    return {
        "april": report(luton, dt.date(2018, 4, 10), period=dt.date(2017, 10, 1)),
        "july": report(luton, dt.date(2018, 7, 10), period=dt.date(2018, 1, 1)),
        "october": report(luton, dt.date(2018, 10, 9), period=dt.date(2018, 7, 1)),
        "january, being made": report(luton, dt.date(2019, 1, 8), status=BoardReport.Status.RUNNING),
        "wolverhampton": report(wolverhampton, dt.date(2018, 10, 2)),
    }


def test_next_meetings_papers_then_the_latest_report(client, reports, carol):
    upcoming, latest = board_papers(carol, TODAY)
    assert (upcoming.role, upcoming.text, upcoming.urgency, upcoming.url) == (
        GOVERNING_BODY, "Papers for the next meeting", Urgency.DUE, reports["october"].get_absolute_url()
    )  # fmt: skip
    assert upcoming.note == "Governing Body, 9 October 2018: the 2018/19 Q2 board report"
    assert (latest.text, latest.url) == ("Latest board report", reports["july"].get_absolute_url())
    assert latest.note == "Governing Body, 10 July 2018: the 2017/18 Q4 board report"
    client.force_login(carol)
    assert client.get(upcoming.url).status_code == 200


def test_with_no_meeting_ahead_only_the_latest_report(reports, carol, time_machine):
    later = dt.date(2018, 10, 10)
    set_today(time_machine, later)
    [latest] = board_papers(carol, later)
    assert latest.url == reports["october"].get_absolute_url()


def test_no_papers_for_commissioners_practice_managers_or_another_ccg(reports, alice, bob, wolverhampton, db):
    from practices.models import Role
    from tests.factories import RoleFactory, UserFactory

    assert board_papers(alice, TODAY) == [] and board_papers(bob, TODAY) == []
    wendy = UserFactory(username="wendy")
    RoleFactory(user=wendy, kind=Role.Kind.GOVERNING_BODY, ccg=wolverhampton)
    [upcoming] = board_papers(wendy, TODAY)
    assert upcoming.url == reports["wolverhampton"].get_absolute_url()
