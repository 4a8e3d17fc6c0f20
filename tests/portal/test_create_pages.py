"""Every create page found in the URLconf, opened by each role through the Django test client:
the fast companion of tests/e2e/test_create_pages.py. No page answers a 500; each shows its
form to the roles allowed to use it and a 403 or 404 to the others; the administrator opens
every one."""

import pytest

from ..create_pages import create_page_objects, create_page_urls, create_pages

ROLES = ("alice", "carol", "bob", "root")  # commissioner, governing body, practice manager, administrator


def test_the_create_pages_are_found_in_the_urlconf():
    names = {page.name for page in create_pages()}
    assert {"quality:contract_event_create", "commissioning:plan_create", "estates:site_record",
            "returns:collection_create", "practices:practice_create"} <= names  # fmt: skip
    assert not any(name.startswith("admin:") for name in names)


@pytest.fixture
def create_urls(luton, luton_practice, luton_cluster):
    return create_page_urls(create_page_objects(ccg=luton, practice=luton_practice, cluster=luton_cluster))


def test_every_role_opens_every_create_page_without_a_server_error(client, create_urls, alice, bob, carol, root):
    users = {"alice": alice, "bob": bob, "carol": carol, "root": root}
    client.raise_request_exception = False
    wrong, opened_by = [], {}
    for role in ROLES:
        client.force_login(users[role])
        for page, path in create_urls:
            response = client.get(path)
            main = response.content.partition(b"<main")[2]
            form = response.status_code == 200 and b"<form" in main and b'type="submit"' in main
            if form:
                opened_by.setdefault(page.name, set()).add(role)
            elif response.status_code not in (403, 404):
                wrong.append(f"{role} {path} ({page.name}): {response.status_code}")
    assert wrong == []
    assert [page.name for page in create_pages() if "root" not in opened_by.get(page.name, ())] == []
    assert "alice" in opened_by["quality:contract_event_create"]
