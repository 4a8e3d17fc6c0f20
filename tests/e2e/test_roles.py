"""Each role signs in through the real sign-in page in headless Chromium and sees what it
may see, and no more."""

import re

from playwright.sync_api import expect


def test_each_role_sees_only_what_it_may(
    live_server, sign_in, alice, bob, carol, dave, root, luton, wolverhampton, luton_practice, wolverhampton_practice
):
    url = live_server.url
    luton_practice_url = f"{url}/practices/{luton_practice.pk}/"
    daves_practice_url = f"{url}/practices/{wolverhampton_practice.pk}/"

    # bob, practice manager of The Medical Centre: lands on his home page, goes to his practice,
    # may add a site, may not edit the practice, and dave's practice does not exist for him.
    page = sign_in("bob")
    expect(page).to_have_url(f"{url}/")
    page.get_by_role("main").get_by_role("link", name="The Medical Centre").click()
    expect(page).to_have_url(luton_practice_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("The Medical Centre")
    expect(page.get_by_role("link", name="Add a site")).to_be_visible()
    expect(page.get_by_role("link", name="Edit practice")).to_have_count(0)
    response = page.goto(daves_practice_url)
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_text("Wolverhampton Surgery")).to_have_count(0)
    assert page.goto(f"{url}/ccgs/{luton.pk}/").status == 404

    # carol, governing body of Luton: goes from her home page to her CCG's dashboard, on to the CCG
    # and reads its practice, but has no edit links and the edit form refuses her.
    page = sign_in("carol")
    page.get_by_role("link", name="NHS Luton CCG dashboard").click()
    expect(page).to_have_url(f"{url}/dashboard/ccg/{luton.pk}/")
    page.get_by_role("link", name="Practices and clusters of NHS Luton CCG").click()
    expect(page).to_have_url(f"{url}/ccgs/{luton.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("NHS Luton CCG")
    expect(page.get_by_role("link", name="Add a practice")).to_have_count(0)
    expect(page.get_by_role("link", name="Add a cluster")).to_have_count(0)
    page.get_by_role("link", name="The Medical Centre").first.click()
    expect(page).to_have_url(luton_practice_url)
    expect(page.get_by_role("link", name="Edit practice")).to_have_count(0)
    assert page.goto(f"{luton_practice_url}edit/").status in (403, 404)
    assert page.goto(f"{url}/ccgs/{wolverhampton.pk}/").status == 404

    # alice, commissioner of Luton: goes from her home page to her CCG and opens the practice's
    # edit form; Wolverhampton is not hers.
    page = sign_in("alice")
    page.get_by_role("main").get_by_role("link", name="NHS Luton CCG", exact=True).click()
    expect(page).to_have_url(f"{url}/ccgs/{luton.pk}/")
    expect(page.get_by_role("link", name="Add a practice")).to_be_visible()
    page.get_by_role("link", name="The Medical Centre").first.click()
    page.get_by_role("link", name="Edit practice").click()
    expect(page).to_have_url(f"{luton_practice_url}edit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit The Medical Centre")
    expect(page.locator("form input[name=name]")).to_have_value("The Medical Centre")
    assert page.goto(daves_practice_url).status == 404
    assert page.goto(f"{url}/ccgs/{wolverhampton.pk}/").status == 404

    # root, administrator: goes to the organisations page, sees both CCGs and opens
    # dave's practice.
    page = sign_in("root")
    page.get_by_role("link", name="Organisations").click()
    expect(page).to_have_url(re.compile(r"/organisations/$"))
    expect(page.get_by_role("link", name="NHS Luton CCG")).to_be_visible()
    expect(page.get_by_role("link", name="NHS Wolverhampton CCG")).to_be_visible()
    assert page.goto(daves_practice_url).status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Wolverhampton Surgery")
