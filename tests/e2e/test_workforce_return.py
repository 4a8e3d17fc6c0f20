"""A practice manager fills in a workforce return in the browser, hits a warning, confirms it,
submits, and a commissioner accepts it."""

import datetime as dt

from playwright.sync_api import expect

from returns.models import Return
from returns.services import collection_open, return_accept, return_save, return_submit

from ..returns.helpers import Q3_2017, Q3_DUE, workforce_values
from .conftest import open_from_main_nav


def test_practice_manager_submits_a_workforce_return_with_a_confirmed_warning_and_it_is_accepted(
    live_server, sign_in, alice, bob, luton, luton_practice
):
    # Last quarter's return, accepted: GPs 4.7 FTE.
    q2 = collection_open(
        ccg=luton, return_type="workforce", period_start=dt.date(2017, 7, 1), due_date=dt.date(2017, 10, 16),
        user=alice,
    ).returns.get()  # fmt: skip
    return_save(ret=q2, user=bob, values=workforce_values())
    return_submit(ret=q2, user=bob)
    return_accept(ret=q2, user=alice)
    collection_open(ccg=luton, return_type="workforce", period_start=Q3_2017, due_date=Q3_DUE, user=alice)

    page = sign_in("bob")
    open_from_main_nav(page, "Your returns")
    page.get_by_role("link", name="Workforce census, 2017/18 Q3").click()
    expect(page.locator("#return-status")).to_contain_text("Not started")
    page.get_by_role("link", name="Fill in the return").click()

    # The form starts from last quarter; two more salaried GPs this quarter.
    expect(page.get_by_label("Salaried GP: Headcount", exact=True)).to_have_value("2")
    page.get_by_label("Salaried GP: Headcount", exact=True).fill("4")
    page.get_by_label("Salaried GP: FTE", exact=True).fill("3.00")
    page.get_by_label("Salaried GP: Aged 40-49", exact=True).fill("2")
    page.get_by_role("button", name="Save and check for submission").click()

    warnings = page.locator("#warnings")
    expect(warnings).to_contain_text("GPs: 6.5 FTE is up 38% on the last accepted return (4.7 FTE)")
    page.get_by_role("button", name="Submit to NHS Luton CCG").click()
    expect(page.get_by_role("alert").first).to_contain_text("1 warning to confirm with a comment")
    page.get_by_role("textbox", name="GPs: 6.5 FTE is up 38%").fill("Two salaried GPs joined in November.")
    page.get_by_role("button", name="Submit to NHS Luton CCG").click()

    expect(page.get_by_role("status").first).to_contain_text("Submitted the Workforce census, 2017/18 Q3 return")
    expect(page.locator("#return-status")).to_contain_text("Submitted")

    page = sign_in("alice")
    open_from_main_nav(page, "Returns", exact=True)
    page.get_by_role("link", name="Workforce census, 2017/18 Q3").click()
    page.get_by_role("link", name="Review The Medical Centre").click()
    expect(page.locator("#checks")).to_contain_text("Two salaried GPs joined in November.")
    page.get_by_label("Accept: the figures are frozen").check()
    page.get_by_role("button", name="Record the decision").click()

    expect(page.get_by_role("status").first).to_contain_text("Accepted the return of The Medical Centre")
    expect(page.locator("#collection-progress tfoot")).to_contain_text("All practices")
    ret = Return.objects.get(collection__period_start=Q3_2017)
    assert ret.status == Return.Status.ACCEPTED
    assert ret.accepted_revision.confirmations.get().comment == "Two salaried GPs joined in November."
