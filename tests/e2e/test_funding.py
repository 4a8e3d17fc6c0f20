"""A commissioner takes a scheme from draft to approved in the browser: writes the bid, submits
it, sees Luton's 50,000-patient rule fail, is refused approval without an override reason,
then approves it with one, and sees the commitment in the CCG's funding summary."""

import datetime as dt
from decimal import Decimal

from playwright.sync_api import expect

from commissioning.funding.models import FundingStream, Scheme, StreamRate, StreamRule
from commissioning.funding.streams import load_funding_streams
from commissioning.models import Chapter, HighImpactAction, NationalCommitment
from commissioning.national_frame import load_national_frame
from tests.factories import CCGMembershipFactory, ListSizeFactory, PracticeFactory

from ..commissioning.funding.factories import AllocationFactory
from .conftest import open_from_main_nav


def test_commissioner_takes_a_scheme_from_draft_to_approved(live_server, sign_in, alice, luton, luton_practice):
    # live_server's database is flushed between tests, which removes the migrations' rows.
    load_national_frame(Chapter, NationalCommitment, HighImpactAction)
    load_funding_streams(FundingStream, StreamRate)
    pts = FundingStream.objects.get(code="practice-transformational-support")
    AllocationFactory(stream=pts, ccg=luton, financial_year=2018, amount=Decimal("350000.00"))
    StreamRule.objects.create(
        stream=pts, ccg=luton, kind=StreamRule.Kind.MIN_POPULATION, value=Decimal("50000"),
        description="Luton: practice transformation money only for schemes covering at least 50,000 patients.",
    )  # fmt: skip
    CCGMembershipFactory(practice=luton_practice, ccg=luton)  # 9,500 patients on 1 Apr 2018
    neighbour = PracticeFactory(ods_code="E81002", name="Castle Surgery", ccg=luton)
    CCGMembershipFactory(practice=neighbour, ccg=luton)
    ListSizeFactory(practice=neighbour, extract_date=dt.date(2018, 4, 1), patients=30_000)

    page = sign_in("alice")
    open_from_main_nav(page, "Funding", exact=True)
    page.get_by_role("link", name="NHS Luton CCG (06P)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Funding summary")
    page.get_by_role("link", name="New scheme").click()

    page.get_by_label("Title").fill("Luton North: care navigation")
    page.get_by_label("Stream").select_option(label="Practice Transformational Support")
    page.get_by_label("Who is bidding").select_option(label="A group of practices")
    page.get_by_label("Practices covered").select_option(
        label=["The Medical Centre (E81001)", "Castle Surgery (E81002)"]
    )
    expect(page.get_by_label("Registered population on")).to_have_value("2018-04-01")
    page.get_by_label("Purpose").fill("Care navigators at every reception desk of the cluster.")
    page.get_by_label("Financial year, row 1").select_option(label="2018/19")
    page.get_by_label("Amount requested in pounds, row 1").fill("87500")
    page.get_by_role("button", name="Save scheme").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Luton North: care navigation")
    expect(page.get_by_text("Status: Draft")).to_be_visible()
    expect(page.get_by_role("heading", name="Practices covered: 39,500 patients")).to_be_visible()
    page.get_by_role("button", name="Submit for a decision").click()
    expect(page.get_by_text("Submitted the scheme for a decision.")).to_be_visible()
    failing = page.locator("#scheme-checks").get_by_role("row", name="NHS Luton CCG's rule: covers at least 50,000")
    expect(failing).to_contain_text("Fails")

    page.get_by_role("link", name="Record the decision").click()
    page.get_by_label("Approve (with conditions if you give them below)").check()
    page.get_by_label("Deciding committee").fill("Primary Care Commissioning Committee")
    page.get_by_label("Date of the decision").fill("2018-05-09")
    page.get_by_label("Minute reference").fill("PCCC 18/052")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("alert").first).to_contain_text("give the reason for approving the scheme all the same")
    assert Scheme.objects.get().status == Scheme.Status.SUBMITTED

    page.get_by_label("Approve (with conditions if you give them below)").check()
    page.get_by_label("Override reason").fill("Castle Surgery's merger adds 12,000 patients in June 2018.")
    page.get_by_role("button", name="Record the decision").click()

    expect(page.get_by_text("Recorded the decision: approved.")).to_be_visible()
    decision = page.locator("#scheme-decision")
    expect(decision).to_contain_text(
        "Approved by Primary Care Commissioning Committee on 9 May 2018 (minute PCCC 18/052)"
    )
    expect(decision).to_contain_text("Override reason: Castle Surgery's merger adds 12,000 patients in June 2018.")
    expect(decision).to_contain_text("Alice")
    scheme = Scheme.objects.get()
    assert (scheme.status, scheme.decision_recorded_by) == (Scheme.Status.APPROVED, alice)

    page.get_by_role("link", name="NHS Luton CCG", exact=True).click()
    row = page.locator("#funding-summary").get_by_role("row", name="Practice transformation, 2018/19")
    expect(row).to_contain_text("£350,000.00")
    expect(row).to_contain_text("£87,500.00")
    expect(row).to_contain_text("£262,500.00")
