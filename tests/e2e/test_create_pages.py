"""Every create page found in the URLconf, opened in Chromium by each role signed in through the
real sign-in page: no page answers a 500, each shows its form to the roles allowed to use it and a
403 or 404 to the others, the administrator opens every one, and every page is someone's.

One browser, one context per role, one sign-in each. The list of pages and their kwargs comes
from tests/create_pages.py, so a new create page is opened here without touching this file.
"""

from ..create_pages import create_page_objects, create_page_urls, create_pages
from .conftest import sign_in_on

ROLES = ("alice", "carol", "bob", "root")  # commissioner, governing body, practice manager, administrator


def test_every_role_opens_every_create_page_in_the_browser(
    live_server, browser, alice, bob, carol, root, luton, luton_practice, luton_cluster
):
    urls = create_page_urls(create_page_objects(ccg=luton, practice=luton_practice, cluster=luton_cluster))
    wrong, opened_by = [], {}
    for role in ROLES:
        context = browser.new_context()
        try:
            page = sign_in_on(context.new_page(), live_server.url, role)
            for create_page, path in urls:
                status = page.goto(live_server.url + path).status
                if status == 200 and page.locator("main form [type=submit]").count():
                    opened_by.setdefault(create_page.name, set()).add(role)
                elif status not in (403, 404):
                    wrong.append(f"{role} {path} ({create_page.name}): {status}")
        finally:
            context.close()

    assert wrong == []
    names = [create_page.name for create_page in create_pages()]
    assert [name for name in names if "root" not in opened_by.get(name, ())] == []
    assert "alice" in opened_by["quality:contract_event_create"]
