"""A practice manager fills in an access return in the browser, confirms its warning and
submits it; a commissioner of the CCG accepts it and sees it on the extended access page."""

import datetime as dt

from playwright.sync_api import expect

from returns.services import collection_open

from .conftest import open_from_main_nav

ANSWERS = {
    "Hours open in core hours each week": "49.0",
    "Extended access minutes a week": "420",
    "Face to face appointments": "2700",
    "Telephone appointments": "600",
    "Online or video appointments": "40",
    "Home visits": "80",
    "Appointments with a GP": "1800",
    "Appointments with a practice nurse": "1200",
    "Appointments with other clinical staff": "420",
    "Appointments not attended (DNAs)": "150",
    "Patients registered for online services (%)": "28.5",
    "Repeat prescriptions sent by the Electronic Prescription Service (%)": "74.0",
    "Referrals made through the NHS e-Referral Service (%)": "96.2",
}


def test_practice_manager_submits_an_access_return_and_the_commissioner_accepts_it(
    live_server, sign_in, alice, bob, luton, luton_practice
):
    collection_open(
        ccg=luton, return_type="access-monthly", period_start=dt.date(2018, 10, 1), due_date=dt.date(2030, 11, 10),
        user=alice, practices=[luton_practice],
    )  # fmt: skip

    page = sign_in("bob")
    open_from_main_nav(page, "Your returns")
    page.get_by_role("link", name="Access return (monthly), October 2018").click()
    page.get_by_role("link", name="Fill in the return").click()

    # First a draft with a typing slip: nothing is saved and what was typed stays.
    page.get_by_label("Face to face appointments").fill("-2700")
    page.get_by_label("Appointments with a GP").fill("1800")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Face to face appointments: Enter 0 or more.")
    expect(page.get_by_label("Appointments with a GP")).to_have_value("1800")

    for label, value in ANSWERS.items():
        page.get_by_label(label, exact=True).fill(value)
    weekday = page.get_by_role("group", name="Pre-bookable appointments before 08:00 or after 18:30 on weekdays")
    weekday.get_by_label("Yes, at the practice").check()
    page.get_by_role("group", name="Pre-bookable appointments on Saturdays").get_by_label(
        "Yes, through our group or hub"
    ).check()
    page.get_by_role("group", name="Pre-bookable appointments on Sundays").get_by_label(
        "Yes, through our group or hub"
    ).check()
    page.get_by_role("group", name="Online consultation offered").get_by_label("Yes").check()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved your draft")
    expect(page.locator("#access-summary")).to_contain_text("Fully compliant (with its group)")
    expect(page.locator("#list-size")).to_contain_text("9,500 patients")

    page.get_by_role("link", name="Check and submit").click()
    warning = page.get_by_label("Warning: The practice is open 49.0 of the 52.5 core hours a week", exact=False)
    warning.fill("We close on Wednesday afternoons for staff training, agreed with the CCG.")
    page.get_by_role("button", name="Submit to NHS Luton CCG").click()
    expect(page.get_by_role("status").first).to_contain_text("Submitted the Access return (monthly), October 2018")
    expect(page.locator("#return-status")).to_contain_text("Submitted")

    page = sign_in("alice")
    open_from_main_nav(page, "Returns", exact=True)
    page.get_by_role("link", name="Access return (monthly), October 2018").first.click()
    page.get_by_role("link", name="Review The Medical Centre").click()
    expect(page.locator("#checks")).to_contain_text("We close on Wednesday afternoons")
    page.get_by_label("Accept: the figures are frozen").check()
    # The measures are queued when the acceptance commits; the eager worker runs them at once.
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status").first).to_contain_text("Accepted the return of The Medical Centre")

    open_from_main_nav(page, "Extended access", exact=True)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Extended access in NHS Luton CCG")
    row = page.locator("#access-practices").get_by_role("row", name="The Medical Centre")
    expect(row).to_contain_text("Fully compliant (with its group)")
    expect(row).to_contain_text("44.2")
