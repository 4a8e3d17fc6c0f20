"""A commissioner reads a metric's definition, starts a full recompute from the browser and
sees it finish on the progress page."""

from playwright.sync_api import expect

from tests.metrics.helpers import Q1_2018, accepted_workforce

from .conftest import open_from_main_nav


def test_commissioner_starts_a_recompute_and_sees_it_finish(live_server, sign_in, alice, luton_practice):
    accepted_workforce(luton_practice, Q1_2018, 10_000, gp_partner=(4, 4.0, 0, 0))

    page = sign_in("alice")
    open_from_main_nav(page, "Metric definitions")
    expect(page.get_by_role("heading", name="GP FTE per 1,000 registered patients")).to_be_visible()
    page.get_by_role("link", name="Recompute every metric").click()
    page.get_by_role("button", name="Recompute every metric now").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Metrics recompute")
    expect(page.locator("#run-status")).to_contain_text("Finished", timeout=30_000)
    expect(page.locator("progress")).to_have_attribute("value", "100")
    expect(page.locator("#run-progress")).to_contain_text("values written")
