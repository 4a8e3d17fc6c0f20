"""Each role signs in and reads its home page in headless Chromium: the to-do list's items in
order, with their counts, and a link that leads to exactly the objects counted. Dates are
relative to today, as the live server's clock is not frozen."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from commissioning.models import Action, Chapter, HighImpactAction, NationalCommitment
from commissioning.national_frame import load_national_frame
from commissioning.services import plan_create
from dashboards.models import BoardReport
from portal.display import long_date
from portal.periods import add_months, quarter_start
from returns.models import Collection, Return
from returns.services import collection_open

from ..commissioning.factories import ActionFactory
from ..quality.factories import ContractEventFactory


def todo_items(page, role: str) -> list[str]:
    return [text.strip() for text in page.locator(f"#todo-{role} > li").all_inner_texts()]


def test_practice_manager_sees_returns_overdue_due_and_returned(
    live_server, sign_in, alice, erin, bob, luton, wolverhampton, luton_practice, wolverhampton_practice
):
    today = timezone.localdate()
    this_quarter = quarter_start(today)
    last_quarter, quarter_before = add_months(this_quarter, -3), add_months(this_quarter, -6)
    overdue_on = today - dt.timedelta(days=5)
    for ccg, user in ((luton, alice), (wolverhampton, erin)):
        for start, due in ((last_quarter, overdue_on), (this_quarter, today + dt.timedelta(days=20)),
                           (quarter_before, quarter_before + dt.timedelta(days=100))):  # fmt: skip
            collection_open(ccg=ccg, return_type="workforce", period_start=start, due_date=due, user=user)
    Return.objects.filter(collection__ccg=luton, collection__period_start=quarter_before).update(
        status=Return.Status.RETURNED, first_submitted_on=quarter_before + dt.timedelta(days=90)
    )
    overdue_title = Collection.objects.get(ccg=luton, period_start=last_quarter).title

    page = sign_in("bob")
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs you today")
    expect(page.get_by_role("heading", level=2)).to_have_text("As practice manager of The Medical Centre")
    items = todo_items(page, "practice_manager")
    assert items == [
        f"1 return overdue: was due {long_date(overdue_on)}",
        f"1 return due: due {long_date(today + dt.timedelta(days=20))}",
        "1 return returned for correction: was due " + long_date(quarter_before + dt.timedelta(days=100)),
    ]
    expect(page.locator("#todo-practice_manager strong").first).to_have_text("1")

    page.get_by_role("link", name="1 return overdue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your returns")
    rows = page.locator("#my-returns tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(overdue_title)
    expect(rows.first).to_contain_text("The Medical Centre")


def test_commissioner_sees_newly_overdue_actions_first_and_opens_them(
    live_server, sign_in, alice, luton, wolverhampton, luton_practice, wolverhampton_practice
):
    load_national_frame(Chapter, NationalCommitment, HighImpactAction)
    today = timezone.localdate()
    plan = plan_create(ccg=luton, title="Luton GP Forward View plan", first_year=2017, last_year=2018)
    other = plan_create(ccg=wolverhampton, title="Wolverhampton plan", first_year=2017, last_year=2018)
    ActionFactory(plan=plan, local_code="PC01", title="Recruit two GPs", due_date=today - dt.timedelta(days=3))
    ActionFactory(plan=plan, local_code="PC02", title="Open a hub", due_date=today - dt.timedelta(days=60))
    ActionFactory(plan=plan, local_code="PC03", title="Care navigation", due_date=today + dt.timedelta(days=60),
                  rag=Action.RAG.RED, rag_reason="No provider yet")  # fmt: skip
    ActionFactory(plan=other, local_code="WV01", title="Wolverhampton action", due_date=today - dt.timedelta(days=2))
    ContractEventFactory(practice=luton_practice, received_date=today - dt.timedelta(days=10))
    ContractEventFactory(practice=wolverhampton_practice, received_date=today - dt.timedelta(days=10))

    page = sign_in("alice")
    items = todo_items(page, "commissioner")
    assert items == [
        f"1 action newly overdue: {plan}: went overdue in the last 14 days, was due "
        f"{long_date(today - dt.timedelta(days=3))}; 2 overdue in all",
        f"1 contract event awaiting a decision: received {long_date(today - dt.timedelta(days=10))}",
        f"1 open action rated red: {plan}",
    ]

    page.get_by_role("link", name="1 action newly overdue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Actions")
    table = page.locator("main table tbody")
    expect(table.get_by_role("link", name="PC01")).to_be_visible()
    expect(table.locator("tr")).to_have_count(1)

    page.go_back()
    page.get_by_role("link", name="2 overdue in all").click()
    expect(page.locator("main table tbody tr")).to_have_count(2)
    expect(page.get_by_text("Wolverhampton action")).to_have_count(0)


def test_governing_body_member_opens_the_next_meetings_papers(live_server, sign_in, carol, luton, wolverhampton):
    today = timezone.localdate()

    def report(ccg, meeting_date, period):
        return BoardReport.objects.create(
            ccg=ccg, period=period, meeting="Governing Body", meeting_date=meeting_date,
            status=BoardReport.Status.DONE, html=f"<h1>Papers of {ccg.name} for {meeting_date}</h1>",
            generated_at=timezone.now(),
        )  # fmt: skip

    this_quarter = quarter_start(today)
    upcoming = report(luton, today + dt.timedelta(days=7), add_months(this_quarter, -3))
    last = report(luton, today - dt.timedelta(days=30), add_months(this_quarter, -6))
    report(wolverhampton, today + dt.timedelta(days=1), add_months(this_quarter, -3))

    page = sign_in("carol")
    expect(page.get_by_role("heading", level=2)).to_have_text("As governing body member of NHS Luton CCG")
    assert todo_items(page, "governing_body") == [
        f"Papers for the next meeting: Governing Body, {long_date(upcoming.meeting_date)}: "
        f"the {upcoming.period_label} board report",
        f"Latest board report: Governing Body, {long_date(last.meeting_date)}: the {last.period_label} board report",
    ]
    page.get_by_role("link", name="Papers for the next meeting").click()
    expect(page).to_have_url(f"{live_server.url}{upcoming.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Papers of NHS Luton CCG for {upcoming.meeting_date}")
    expect(page).to_have_title(re.compile(f"^Board report, NHS Luton CCG, {upcoming.period_label} "))
