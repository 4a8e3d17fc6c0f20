"""Every page of the portal, as every role that opens it, checked by axe-core in Chromium.

The pages come from tests/site_pages.py (every pattern of the URLconf, with a seeded object
for each kwarg), so a new page is checked here without touching this file. For each role ×
page: axe-core (vendored, tests/e2e/vendor/axe-core) runs with the WCAG 2.1 A/AA and
best-practice rules, and the page must not be wider than a 320 px viewport (WCAG 1.4.10,
reflow). For each page with a form, the form is sent empty once and axe runs on its errors.
The error pages (403, 404, 500) are checked too.

Fast by design: the objects are seeded once for the module, one browser, one context per
role signed in once; each check is its own test id. The module keeps its data for all its
tests (so it does without the per-test flush of ``transactional_db``) and flushes it at the end.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.views.defaults import server_error
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from pytest_django.live_server_helper import LiveServer

from ..conftest import PASSWORD
from ..site_pages import (
    ADMINISTRATOR,
    ANONYMOUS,
    COMMISSIONER,
    GOVERNING_BODY,
    PRACTICE_MANAGER,
    USERNAMES,
    seed_site,
    site_pages,
)
from .conftest import sign_in_on

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 800}
# Which role's form to send empty: the one who usually fills it in.
FORM_ROLE_ORDER = (COMMISSIONER, PRACTICE_MANAGER, ADMINISTRATOR, GOVERNING_BODY, ANONYMOUS)

RUN_AXE = """async (tags) => {
  const results = await window.axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
    targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
  }));
}"""
# The outermost elements that stick out past the viewport: each one's parent does not.
WIDEST = """(width) => {
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + [...el.classList].slice(0, 3).map(c => "." + c).join("");
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const right = el.getBoundingClientRect().right + window.scrollX;
    const parent = el.parentElement && el.parentElement.getBoundingClientRect().right + window.scrollX;
    if (right > width + 1 && !(parent > width + 1)) out.push([Math.round(right), name(el)]);
  }
  out.sort((a, b) => b[0] - a[0]);
  return {scrollWidth: document.documentElement.scrollWidth, widest: out.slice(0, 5)};
}"""
# The forms to send empty: posted to the page itself, with a required field that emptying
# leaves invalid, so nothing is saved.
TYPED = "input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=submit]):not([type=button])"
FORMS_TO_SEND = """(typed) => [...document.querySelectorAll("main form")].map((form, index) => ({form, index}))
  .filter(({form}) => form.method.toLowerCase() === "post"
    && new URL(form.action, location.href).pathname === location.pathname
    && form.querySelector(typed.replace("input", "input[required]") + ", textarea[required]")
    && form.querySelector("[type=submit]"))
  .map(({index}) => index)"""
SEND_EMPTY = """([index, typed]) => {
  const form = document.querySelectorAll("main form")[index];
  form.noValidate = true;
  for (const field of form.querySelectorAll(typed + ", textarea")) {
    field.value = "";
  }
  form.querySelector("[type=submit]").click();
}"""

PAGES = site_pages()
ROLE_PAGES = [(role, page) for page in PAGES for role in sorted(page.roles)]
FORM_PAGES = [(next(role for role in FORM_ROLE_ORDER if role in page.roles), page) for page in PAGES]
# The mark makes pytest-django create the test database. Each test then runs in a transaction
# of the main thread, rolled back at its end; ``site`` makes it a deferred one, which takes no
# lock, since an IMMEDIATE one (the settings' choice) would hold SQLite's one write lock
# against the server's thread for the whole test.
pytestmark = pytest.mark.django_db
# What the page tests measured, for the tests that follow to read rather than load the page again.
_narrow: dict[tuple[str, str], dict] = {}  # (role, page name): widths at 320 px
_forms: dict[tuple[str, str], list[int]] = {}  # (role, page name): the forms to send empty


@pytest.fixture(autouse=True)
def reference_data():
    """The module seeds its own data once (``site``); the shared per-test flush is not wanted."""


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, browser):
    """The seeded site, served by a live server of the module's own, and a signed-in tab per role.

    Not pytest-django's ``live_server``: a test that asks for it gets ``transactional_db``,
    which empties the database after each test, and the module's data with it.
    """
    from portal.reference_data import ensure_reference_data

    # The server's thread reads the database all along, so the module holds it unblocked.
    with django_db_blocker.unblock():
        connection.ensure_connection()
        # SQLite only: the test settings open transactions IMMEDIATE, which would hold the write
        # lock against the server's thread; deferred, the two share the file (PostgreSQL has no such mode).
        sqlite = connection.vendor == "sqlite"
        if sqlite:
            transaction_mode, connection.transaction_mode = connection.transaction_mode, None
        live_server = LiveServer("localhost")
        live_server._live_server_modified_settings.enable()
        call_command("flush", interactive=False, verbosity=0)  # what an interrupted run left
        ensure_reference_data()
        seeded = seed_site()
        tabs = {}
        try:
            for role in (*USERNAMES, ANONYMOUS):
                context = browser.new_context(viewport=DESKTOP)
                context.add_init_script(path=str(AXE))
                page = context.new_page()
                if role != ANONYMOUS:
                    sign_in_on(page, live_server.url, USERNAMES[role], PASSWORD)
                tabs[role] = page
            yield Site(live_server.url, seeded, tabs)
        finally:
            for page in tabs.values():
                page.context.close()
            live_server.stop()
            live_server._live_server_modified_settings.disable()
            call_command("flush", interactive=False, verbosity=0)
            if sqlite:
                connection.transaction_mode = transaction_mode


class Site:
    def __init__(self, base_url, seeded, tabs):
        self.base_url, self.seeded, self.tabs = base_url, seeded, tabs

    def open(self, role: str, path: str):
        tab = self.tabs[role]
        tab.set_viewport_size(DESKTOP)
        response = tab.goto(self.base_url + path)
        wait_for_charts(tab)
        return tab, response


def wait_for_charts(tab) -> None:
    if tab.locator("[data-chart]").count():
        tab.wait_for_function("document.documentElement.dataset.chartsDrawn === 'true'", timeout=10_000)


def axe_violations(tab) -> list[dict]:
    return tab.evaluate(RUN_AXE, AXE_TAGS)


def described(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}, {v['count']} element{'s' if v['count'] != 1 else ''}): {v['help']}\n    "
        + "\n    ".join(v["targets"])
        for v in violations
    )


CHARTS_FIT = """(width) => [...document.querySelectorAll(".main-svg")]
  .every(svg => svg.getBoundingClientRect().width <= width)"""


#: Two animation frames: the NHS.UK header re-lays its navigation (folding links into "More")
#: in an animation frame after a resize, as it does when a phone's page first loads.
NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def narrow_width(tab) -> dict:
    tab.set_viewport_size(NARROW)
    tab.evaluate(NEXT_FRAMES)
    if tab.locator(".main-svg").count():  # plotly's responsive charts redraw a moment after the resize
        try:
            tab.wait_for_function(CHARTS_FIT, arg=NARROW["width"], timeout=2_000)
        except PlaywrightTimeoutError:
            pass  # measured as it is: the widest elements will say which chart did not fit
    return tab.evaluate(WIDEST, NARROW["width"])


@pytest.mark.parametrize(("role", "page"), ROLE_PAGES, ids=[f"{role}-{page.name}" for role, page in ROLE_PAGES])
def test_page_passes_axe(site, role, page):
    tab, response = site.open(role, page.path(site.seeded))
    assert response.status == 200, f"{page.name} answered {response.status} to {role}"
    assert role == ANONYMOUS or "/login/" not in tab.url, f"{role} was sent to sign in from {page.name}"
    violations = axe_violations(tab)
    _forms[role, page.name] = tab.evaluate(FORMS_TO_SEND, TYPED)
    _narrow[role, page.name] = narrow_width(tab)
    assert not violations, f"{page.name} as {role} ({tab.url}):\n{described(violations)}"


@pytest.mark.parametrize(("role", "page"), ROLE_PAGES, ids=[f"{role}-{page.name}" for role, page in ROLE_PAGES])
def test_page_fits_a_320_px_viewport(site, role, page):
    measured = _narrow.get((role, page.name))
    if measured is None:
        tab, _response = site.open(role, page.path(site.seeded))
        measured = narrow_width(tab)
    widest = "\n    ".join(f"{right} px: {element}" for right, element in measured["widest"])
    assert measured["scrollWidth"] <= NARROW["width"], (
        f"{page.name} as {role} is {measured['scrollWidth']} px wide at 320 px; the widest elements:\n    {widest}"
    )


@pytest.mark.parametrize(("role", "page"), FORM_PAGES, ids=[f"{role}-{page.name}" for role, page in FORM_PAGES])
def test_form_errors_pass_axe(site, role, page):
    path = page.path(site.seeded)
    if _forms.get((role, page.name)) == []:
        pytest.skip("no form with a required field posted to the page itself")
    tab, _response = site.open(role, path)
    forms = tab.evaluate(FORMS_TO_SEND, TYPED)
    if not forms:
        pytest.skip("no form with a required field posted to the page itself")
    failures = []
    for index in forms:
        if index != forms[0]:
            site.open(role, path)
        with tab.expect_navigation():
            tab.evaluate(SEND_EMPTY, [index, TYPED])
        wait_for_charts(tab)
        if not tab.title().startswith("Error: "):
            failures.append(f"form {index + 1} sent empty came back without 'Error: ' in its title: {tab.title()!r}")
        if violations := axe_violations(tab):
            failures.append(f"form {index + 1} sent empty ({tab.url}):\n{described(violations)}")
    assert not failures, f"{page.name} as {role}:\n" + "\n".join(failures)


@pytest.mark.parametrize("status", ["403", "404", "500"])
def test_error_page_passes_axe(site, status):
    tab = site.tabs[GOVERNING_BODY]
    if status == "403":  # the governing body reads plans but may not start one
        path = next(page for page in PAGES if page.name == "commissioning:plan_create").path(site.seeded)
    elif status == "404":
        path = "/no-such-page/"
    else:  # no page fails on purpose: serve the 500 page as Django renders it
        path = "/server-error-page/"
        body = server_error(RequestFactory().get(path)).content
        tab.route(f"**{path}", lambda route: route.fulfill(status=500, body=body, content_type="text/html"))
    response = tab.goto(site.base_url + path)
    assert response.status == int(status)
    violations = axe_violations(tab)
    measured = narrow_width(tab)
    tab.set_viewport_size(DESKTOP)
    assert not violations, f"The {status} page:\n{described(violations)}"
    assert measured["scrollWidth"] <= NARROW["width"], measured
