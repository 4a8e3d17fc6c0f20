"""Two practice managers of one practice have the same draft return open in two browsers and
both save it: the second is told who saved first and what they changed, keeps what they typed,
and nothing of the first save is lost."""

import re

import pytest
from playwright.sync_api import expect

from practices.models import Role
from returns.models import Return
from returns.services import collection_open, return_save

from ..conftest import PASSWORD
from ..factories import RoleFactory, UserFactory
from ..returns.helpers import Q3_2017, Q3_DUE, workforce_values


@pytest.fixture
def bella(luton_practice):
    user = UserFactory(username="bella", first_name="Bella")
    RoleFactory(user=user, kind=Role.Kind.PRACTICE_MANAGER, practice=luton_practice)
    return user


def signed_in(browser, live_server, username):
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url, timeout=15_000)
    return page


def test_two_people_saving_one_draft_return_the_second_is_told_and_nothing_is_lost(
    live_server, browser, alice, bob, bella, luton, luton_practice
):
    collection = collection_open(ccg=luton, return_type="workforce", period_start=Q3_2017, due_date=Q3_DUE, user=alice)
    ret = collection.returns.get()
    return_save(ret=ret, user=bob, values=workforce_values())
    edit_url = f"{live_server.url}/returns/return/{ret.pk}/edit/"

    bobs, bellas = signed_in(browser, live_server, "bob"), signed_in(browser, live_server, "bella")
    for page in (bobs, bellas):
        page.goto(edit_url)
    headcount = "Practice nurse: Headcount"

    bobs.get_by_label(headcount, exact=True).fill("4")
    bobs.get_by_role("button", name="Save draft").click()
    expect(bobs.get_by_role("status").first).to_contain_text("Saved your draft")

    bellas.get_by_label(headcount, exact=True).fill("7")
    bellas.get_by_role("button", name="Save draft").click()
    summary = bellas.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text(re.compile(r"Someone else \(Bob\) changed this return"))
    changed = bellas.locator(".concurrent-change")
    expect(changed).to_contain_text("Changed by Bob")
    expect(changed.get_by_role("row", name=headcount)).to_contain_text("4")
    expect(changed.get_by_role("row", name=headcount)).to_contain_text("7")
    expect(bellas.get_by_label(headcount, exact=True)).to_have_value("7")  # what she typed is kept
    assert Return.objects.get(pk=ret.pk).type.load(ret.draft_revision())["practice_nurse"]["headcount"] == 4

    # Having seen Bob's figures, she saves hers over them on purpose.
    bellas.get_by_role("button", name="Save draft").click()
    expect(bellas.get_by_role("status").first).to_contain_text("Saved your draft")
    saves = bellas.locator("#saves tbody tr")
    expect(saves.nth(0)).to_contain_text("Bella")
    expect(saves.nth(1)).to_contain_text("Bob")
    assert ret.type.load(ret.draft_revision())["practice_nurse"]["headcount"] == 7
