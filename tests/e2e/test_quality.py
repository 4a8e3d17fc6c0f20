"""A commissioner goes from the vulnerable practice register to a practice's profile and records a support offer."""

import datetime as dt

from playwright.sync_api import expect

from quality.defaults import load_default_scoring_rules
from quality.services import vulnerability_scores_compute

from ..quality.factories import CQCInspectionFactory
from .conftest import open_from_main_nav


def test_commissioner_walks_from_the_register_to_the_profile_and_records_support(
    live_server, sign_in, alice, luton_practice
):
    load_default_scoring_rules()  # live_server flushes the migration's rows
    CQCInspectionFactory(practice=luton_practice, overall="inadequate", publication_date=dt.date(2018, 6, 1))
    vulnerability_scores_compute()

    page = sign_in("alice")
    open_from_main_nav(page, "Vulnerable practices", exact=True)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vulnerable practice register")
    register = page.locator("#register")
    expect(register).to_contain_text("Latest CQC rating inadequate, published 1 Jun 2018")
    register.get_by_role("link", name="The Medical Centre").click()

    expect(page.get_by_role("heading", name="Vulnerability score")).to_be_visible()
    expect(page.locator("[data-section=vulnerability]")).to_contain_text("Score 6")
    page.locator("[data-section=vulnerability]").get_by_role("link", name="Record a support offer").click()
    page.get_by_label("Support").select_option(label="GP Resilience Programme funding")
    page.get_by_label("Provider").fill("NHS England GP Resilience Programme")
    page.get_by_label("Funding (£)").fill("15000")
    page.get_by_role("button", name="Save support offer").click()

    expect(page.get_by_role("status").or_(page.get_by_role("alert")).first).to_contain_text(
        "Recorded the gp resilience programme funding offered to The Medical Centre"
    )
    offers = page.get_by_role("table", name="Support offered to The Medical Centre")
    expect(offers).to_contain_text("GP Resilience Programme funding")
    expect(offers).to_contain_text("£15,000.00")
