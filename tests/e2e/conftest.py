"""Playwright in Debian's headless Chromium against pytest-django's live_server.

``playwright install`` cannot download a browser here, so the tests drive /usr/bin/chromium
(``make test`` installs it when missing). The background-networking flags stop Chromium
from calling out to a network this machine does not have.
"""

from __future__ import annotations

import os
import shutil

import pytest

from ..conftest import PASSWORD

# Playwright's sync API runs an event loop in the test thread; the ORM would refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        pytest.fail(f"No Chromium at {CHROMIUM}: run `make test`, which installs Debian's chromium.")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


def sign_in_on(page, base_url: str, username: str, password: str = PASSWORD):
    """Sign a named user in on ``page`` through the real sign-in form; returns the page."""
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url, timeout=15_000)
    return page


@pytest.fixture
def sign_in(live_server, page):
    """Sign a named user in through the real sign-in form; returns the page, now signed in."""

    def sign_in_as(username: str, password: str = PASSWORD):
        return sign_in_on(page, live_server.url, username, password)

    return sign_in_as


def open_from_main_nav(page, name: str, exact: bool = False):
    """Follow a link of the main navigation as a user does: a link the NHS.UK header folded into its
    "More" menu (there is not room for every link on one line) is reached by opening that menu."""
    nav = page.get_by_role("navigation", name="Main")
    link = nav.get_by_role("link", name=name, exact=exact)
    if not link.is_visible():
        nav.get_by_role("button", name="More").click()
    link.click()
