"""The Wolverhampton demo plan read as at the dates its documents report.

The CCG's report to the Health and Wellbeing Board (``shared/seeds/004``, section 3.2) gives the
GPFV programme "as reported in April 2018"; the plan page as at 30 April 2018 must read the same,
cell for cell. Loaded once for the module, in a transaction rolled back at its end.
"""

import datetime as dt
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commissioning.changes import plan_changes_between
from commissioning.demo import load_demo_plans
from commissioning.models import Action, Chapter, HighImpactAction, NationalCommitment, Plan
from commissioning.national_frame import load_national_frame
from commissioning.services import plan_create, plan_summary
from dashboards.demo import load_demo_dashboards
from dashboards.models import BoardReport
from practices.models import Cluster, Role
from tests.factories import CCGFactory, ClusterFactory, RoleFactory, UserFactory

from .factories import ActionFactory

pytestmark = pytest.mark.django_db

REPORTED_ON = dt.date(2018, 4, 30)
AS_AT = dt.date(2018, 9, 30)  # the plan's last reporting date, the end of 2018/19 Q2

# Section 3.2: chapter, not started, achieved and closed, in progress, overdue, total.
DOCUMENT_TABLE = [
    ("Investment", 0, 6, 1, 0, 7),
    ("Workforce", 9, 3, 15, 0, 27),
    ("Workload", 4, 6, 15, 0, 25),
    ("Infrastructure", 6, 6, 9, 0, 21),
    ("Care Redesign", 1, 0, 4, 0, 5),
]
DOCUMENT_TOTALS = (20, 21, 44, 0, 85)


@pytest.fixture(scope="module")
def wolverhampton_plan(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_national_frame(Chapter, NationalCommitment, HighImpactAction)
        ccg = CCGFactory(ods_code="06A", name="NHS Wolverhampton CCG")
        for name in ("Primary Care Home 1", "Primary Care Home 2", "Medical Chambers", "Vertical Integration"):
            ClusterFactory(ccg=ccg, name=name, kind=Cluster.Kind.PRACTICE_GROUP)
        commissioner = UserFactory(username="erin")
        RoleFactory(user=commissioner, kind=Role.Kind.COMMISSIONER, ccg=ccg)
        RoleFactory(user=UserFactory(username="gina"), kind=Role.Kind.GOVERNING_BODY, ccg=ccg)
        load_demo_plans()
        yield Plan.objects.get(ccg=ccg, first_year=2017, last_year=2018)
        transaction.set_rollback(True)


def _row(summary):
    return (summary.not_started, summary.achieved, summary.in_progress, summary.overdue, summary.total)


def test_the_plan_as_at_30_april_2018_reads_the_documents_table_exactly(wolverhampton_plan):
    rows, totals = plan_summary(plan=wolverhampton_plan, on=REPORTED_ON)

    assert [(row.chapter.name, *_row(row)) for row in rows] == DOCUMENT_TABLE
    assert _row(totals) == DOCUMENT_TOTALS
    assert [row.on_hold for row in rows] == [0, 0, 0, 0, 0]  # the document has no such column


def test_the_plan_page_as_at_30_april_2018_shows_every_cell_of_the_table(client, wolverhampton_plan):
    client.force_login(Role.objects.get(kind=Role.Kind.GOVERNING_BODY).user)

    response = client.get(reverse("commissioning:plan_detail", args=[wolverhampton_plan.pk]), {"on": "2018-04-30"})

    html = response.content.decode()
    table = html[html.index('id="plan-summary"') : html.index("</table>", html.index('id="plan-summary"'))]
    cells = [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    ]
    # The page's columns: not started, in progress, on hold, overdue, achieved and closed, total.
    assert cells[1:] == [
        [name, str(not_started), str(in_progress), "0", str(overdue), str(achieved), str(total)]
        for name, not_started, achieved, in_progress, overdue, total in DOCUMENT_TABLE
    ] + [["All chapters", "20", "44", "0", "0", "21", "85"]]
    assert "as at 30 April 2018" in html


def test_the_85_projects_were_all_in_the_plan_in_april_2018_one_added_after_approval(wolverhampton_plan):
    actions = wolverhampton_plan.actions.all()
    approved = wolverhampton_plan.versions.get(number=1)

    assert actions.as_at(REPORTED_ON).count() == 85
    assert actions.as_at(dt.date(2018, 1, 31)).count() == 84
    assert approved.approved_on == dt.date(2017, 10, 3)
    assert [a.local_code for a in actions.as_at(REPORTED_ON).filter(local_code="WF27")] == ["WF27"]
    # Nothing changed during April, so a paper of any day that month read the same table.
    assert _row(plan_summary(plan=wolverhampton_plan, on=dt.date(2018, 4, 1))[1]) == DOCUMENT_TOTALS


def test_after_april_2018_projects_move_on_some_late_one_overdue_in_care_redesign(wolverhampton_plan):
    actions = wolverhampton_plan.actions.all()
    then = {a.local_code: a for a in actions.as_at(AS_AT)}

    rows, totals = plan_summary(plan=wolverhampton_plan, on=AS_AT)
    assert [(row.chapter.name, *_row(row), row.on_hold) for row in rows] == [
        ("Investment", 0, 6, 1, 0, 7, 0),
        ("Workforce", 2, 13, 10, 1, 27, 1),
        ("Workload", 3, 9, 11, 1, 25, 1),
        ("Infrastructure", 5, 8, 7, 0, 21, 1),
        ("Care Redesign", 1, 1, 2, 1, 5, 0),
    ]
    assert _row(totals) == (11, 37, 31, 3, 85)
    assert totals.on_hold == 3
    # Achieved late: Wi-Fi was due by 30 June 2018, overdue in July, achieved on 15 August.
    wifi = actions.get(local_code="INF04")
    assert wifi.is_overdue_on(dt.date(2018, 7, 31)) and not wifi.is_overdue_on(AS_AT)
    assert then["INF04"].status == Action.Status.ACHIEVED
    # Primary Care Home 2's frailty team: due by June, still in progress and red at the end of September.
    assert (then["CR04"].overdue, then["CR04"].rag) == (True, Action.RAG.RED)
    # The locum bank and the prescription ordering hub (on hold) are the other two overdue.
    assert {code for code, a in then.items() if a.overdue} == {"WF07", "WL11", "CR04"}


def test_the_compare_page_shows_the_moves_between_two_meeting_dates(client, wolverhampton_plan):
    changes = plan_changes_between(plan=wolverhampton_plan, start=dt.date(2018, 4, 10), end=dt.date(2018, 10, 9))

    moves = {m.local_code: (m.old_status, m.new_status) for m in changes.actions}
    assert moves["INF04"] == (Action.Status.IN_PROGRESS, Action.Status.ACHIEVED)
    assert moves["WL11"] == (Action.Status.IN_PROGRESS, Action.Status.ON_HOLD)
    assert "INV01" not in moves  # achieved in 2017
    client.force_login(Role.objects.get(kind=Role.Kind.GOVERNING_BODY).user)
    page = client.get(
        reverse("commissioning:plan_changes", args=[wolverhampton_plan.pk]), {"from": "2018-04-10", "to": "2018-10-09"}
    )
    assert "Wi-Fi in all GP practices for patients and staff" in page.content.decode()


def test_the_plan_page_as_at_a_date_makes_as_many_queries_for_85_actions_as_for_two(
    client, wolverhampton_plan, django_assert_max_num_queries
):
    small = plan_create(ccg=wolverhampton_plan.ccg, title="A small plan", first_year=2019, last_year=2020)
    ActionFactory.create_batch(2, plan=small)
    client.force_login(Role.objects.get(kind=Role.Kind.COMMISSIONER).user)
    client.get(reverse("commissioning:plan_detail", args=[small.pk]), {"on": "2018-04-30"})
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("commissioning:plan_detail", args=[small.pk]), {"on": "2018-04-30"})

    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("commissioning:plan_detail", args=[wolverhampton_plan.pk]), {"on": "2018-04-30"})
    assert response.context["totals"].total == 85


def test_the_demo_board_papers_read_the_plan_as_at_their_meeting_dates(wolverhampton_plan):
    assert load_demo_dashboards()["board reports"] == 2
    april, october = BoardReport.objects.filter(ccg=wolverhampton_plan.ccg).order_by("meeting_date")

    assert (april.meeting, april.meeting_date, april.status) == ("Governing Body", dt.date(2018, 4, 10), "done")
    assert "Statuses as at 10 April 2018, the meeting date" in april.html
    assert "counted on 10 Apr 2018" in april.html
    assert april.summary["overdue_actions"] == 0
    assert april.summary["plan_version"] == 1
    # By 9 October the locum bank, the ordering hub, the care homes and Primary Care Home 2's team are late.
    assert october.summary["overdue_actions"] == 4
    assert "Statuses as at 9 October 2018, the meeting date" in october.html
    changes = october.html[october.html.index('id="report-changes"') :]
    assert "From 10 April 2018 (the previous meeting) to 9 October 2018" in changes
    assert "Wi-Fi in all GP practices for patients and staff" in changes
    assert load_demo_dashboards()["board reports"] == 0
