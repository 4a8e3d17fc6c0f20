"""A commissioner edits an action in the browser and sees the plan's chapter summary change."""

import datetime as dt

from playwright.sync_api import expect

from commissioning.models import Chapter
from commissioning.services import plan_create

from ..commissioning.factories import ActionFactory
from .conftest import open_from_main_nav


def test_commissioner_edits_an_action_and_the_summary_changes(live_server, sign_in, alice, luton):
    plan = plan_create(ccg=luton, title="Luton GP Forward View plan", first_year=2017, last_year=2018)
    ActionFactory(
        plan=plan,
        local_code="PC01",
        title="Extended access hub",
        chapter=Chapter.objects.get(code="care-redesign"),
        status="in_progress",
        due_date=dt.date(2030, 3, 31),
    )

    page = sign_in("alice")
    open_from_main_nav(page, "Plans")
    page.get_by_role("link", name="Luton GP Forward View plan").click()
    summary = page.locator("#plan-summary")
    care_redesign = summary.get_by_role("row", name="Care Redesign")
    expect(care_redesign.get_by_role("cell").nth(1)).to_have_text("1")  # in progress
    expect(care_redesign.get_by_role("cell").nth(4)).to_have_text("0")  # achieved and closed

    page.get_by_role("link", name="Actions", exact=True).click()
    page.get_by_role("link", name="Extended access hub").click()
    page.get_by_role("link", name="Edit this action").click()
    page.get_by_role("combobox", name="Status").select_option(label="Achieved and closed")
    page.get_by_role("button", name="Save action").click()

    expect(page.get_by_role("status").or_(page.get_by_role("alert")).first).to_contain_text("Saved the changes to PC01")
    page.get_by_role("link", name="NHS Luton CCG: 2017/18-2018/19").click()
    care_redesign = page.locator("#plan-summary").get_by_role("row", name="Care Redesign")
    expect(care_redesign.get_by_role("cell").nth(1)).to_have_text("0")
    expect(care_redesign.get_by_role("cell").nth(4)).to_have_text("1")
