"""tests/site_pages.py names every page of the URLconf, and says truly who opens it.

The accessibility suite (tests/e2e/test_accessibility.py) crawls what site_pages() gives, so
a pattern missing from it would never be checked: the first test fails on one. The second
opens every page as every role with the test client: the roles a page names open it (after
any redirect), the others get a 403 or a 404, and nobody signed out does.
"""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.shortcuts import resolve_url

from .site_pages import ANONYMOUS, PAGES, ROLES, UNLINKED, seed_site, site_pages, uncovered_patterns, url_patterns

SIGN_IN_PAGES = {resolve_url(settings.LOGIN_URL), "/admin/login/"}


def test_every_url_pattern_is_crawled_or_unlinked_with_a_reason():
    assert uncovered_patterns() == []
    names = {name for name, _route in url_patterns()}
    assert sorted(set(PAGES) - names) == []  # no page listed that the URLconf lost
    assert sorted(set(PAGES) & set(UNLINKED)) == []
    assert all(reason.strip() for reason in UNLINKED.values())


# Patterns an earlier crawl never reached, for want of an object in the right state.
ONCE_UNREACHED = [
    "commissioning:version_approve", "commissioning:version_changes", "commissioning:risk_detail",
    "commissioning:risk_update", "commissioning:funding_rate_update", "commissioning:funding_rule_update",
    "commissioning:scheme_decide", "commissioning:scheme_spend", "commissioning:scheme_milestone_update",
    "commissioning:ccg_payments_years", "estates:site_record_pick", "estates:occupancy_update", "estates:capacity",
    "estates:scheme_status", "practices:reference_import",
]  # fmt: skip


def test_the_patterns_once_unreached_are_crawled_by_someone():
    roles = {page.name: page.roles for page in site_pages()}
    assert [name for name in ONCE_UNREACHED if not roles.get(name)] == []


@pytest.mark.django_db
def test_each_page_opens_for_the_roles_it_names_and_no_other(client):
    seeded = seed_site()
    wrong = []
    for page in site_pages():
        path = page.path(seeded)
        client.logout()
        response = client.get(path, follow=True)
        signed_out_reached = response.status_code == 200 and not response.redirect_chain
        if signed_out_reached != (ANONYMOUS in page.roles):
            wrong.append(f"signed out {page.name} {path}: {response.status_code} {response.redirect_chain}")
        if ANONYMOUS in page.roles:
            continue
        for role in ROLES:
            client.force_login(seeded["users"][role])
            response = client.get(path, follow=True)
            at_sign_in = any(urlsplit(url).path in SIGN_IN_PAGES for url, _status in response.redirect_chain)
            reached = response.status_code == 200 and not at_sign_in
            refused = at_sign_in or response.status_code in (403, 404)
            if reached != (role in page.roles) or reached == refused:
                wrong.append(f"{role} {page.name} {path}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
