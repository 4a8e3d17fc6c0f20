"""A governing body member reads the Wolverhampton demo plan as it stood: the chapter table as
at 30 April 2018 (the CCG's report of that month, ``shared/seeds/004`` section 3.2), what changed
between two meetings, and the kept papers of a past meeting."""

from django.urls import reverse
from playwright.sync_api import expect

from commissioning.demo import load_demo_plans
from commissioning.models import Chapter, HighImpactAction, NationalCommitment
from commissioning.national_frame import load_national_frame
from dashboards.demo import load_demo_dashboards
from practices.models import Cluster, Role

from ..factories import ClusterFactory, RoleFactory, UserFactory
from .conftest import open_from_main_nav


def _cells(row):
    return row.locator("td")


def test_governing_body_reads_the_plan_as_at_a_past_date_compares_meetings_and_opens_old_papers(
    live_server, sign_in, wolverhampton, erin
):
    load_national_frame(Chapter, NationalCommitment, HighImpactAction)
    for name in ("Primary Care Home 1", "Primary Care Home 2", "Medical Chambers", "Vertical Integration"):
        ClusterFactory(ccg=wolverhampton, name=name, kind=Cluster.Kind.PRACTICE_GROUP)
    RoleFactory(user=UserFactory(username="gina"), kind=Role.Kind.GOVERNING_BODY, ccg=wolverhampton)
    load_demo_plans()
    load_demo_dashboards()

    page = sign_in("gina")
    open_from_main_nav(page, "Plans")
    page.get_by_role("link", name="GP Forward View plan").click()
    page.get_by_label("Show the plan as at").fill("2018-04-30")
    page.get_by_role("button", name="Show").click()

    expect(page.get_by_role("heading", name="Progress by chapter as at 30 April 2018")).to_be_visible()
    summary = page.locator("#plan-summary")
    # Columns: not started, in progress, on hold, overdue, achieved and closed, total.
    expect(_cells(summary.get_by_role("row", name="Workforce"))).to_have_text(["9", "15", "0", "0", "3", "27"])
    expect(_cells(summary.get_by_role("row", name="Care Redesign"))).to_have_text(["1", "4", "0", "0", "0", "5"])
    expect(_cells(summary.get_by_role("row", name="All chapters"))).to_have_text(["20", "44", "0", "0", "21", "85"])

    page.get_by_role("link", name="Compare two dates").click()
    page.get_by_role("textbox", name="From", exact=True).fill("2018-04-10")
    page.get_by_role("textbox", name="To", exact=True).fill("2018-10-09")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", name="Changes after 10 April 2018 up to 9 October 2018")).to_be_visible()
    wifi = page.locator("#table-changed-actions").get_by_role("row", name="INF04 Wi-Fi in all GP practices")
    expect(_cells(wifi).nth(0)).to_have_text("In progress")
    expect(_cells(wifi).nth(1)).to_have_text("Achieved and closed")

    page.goto(live_server.url + reverse("dashboards:report_list", args=[wolverhampton.pk]))
    page.get_by_role("link", name="2017/18 Q4").click()
    expect(page.get_by_text("For the Governing Body on 10 April 2018.")).to_be_visible()
    expect(page.locator(".board-report header")).to_contain_text("Statuses as at 10 April 2018, the meeting date")
    expect(page.locator("#report-version")).to_contain_text("the version in force on 10 April 2018")
