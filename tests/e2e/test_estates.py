"""A practice manager records a new branch site in the browser, and the commissioner sees
the cluster's capacity change."""

from decimal import Decimal

from playwright.sync_api import expect

from estates.services import capacity_refresh

from ..estates.factories import PremisesFactory
from ..factories import SiteFactory
from .conftest import open_from_main_nav


def cluster_row(page):
    return page.locator("#cluster-capacity").get_by_role("row", name="Luton North")


def test_a_new_branch_site_changes_the_clusters_capacity(live_server, sign_in, alice, bob, luton, luton_practice):
    main = SiteFactory(practice=luton_practice, name="The Medical Centre", kind="main", postcode="LU1 3UA")
    PremisesFactory(site=main, gross_internal_area_m2=Decimal("760.0"), clinical_rooms=8)
    capacity_refresh(ccg=luton)

    page = sign_in("alice")
    open_from_main_nav(page, "Estates", exact=True)
    page.get_by_role("link", name="Capacity of NHS Luton CCG").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Premises capacity")
    # 760 m² for 9,500 patients: 80 m² per 1,000, below the guide of 100.
    expect(cluster_row(page).get_by_role("cell").nth(2)).to_contain_text("80")
    expect(cluster_row(page).get_by_role("cell").nth(2)).to_contain_text("Below guide")
    capacity_url = page.url

    page = sign_in("bob")
    open_from_main_nav(page, "Estates", exact=True)
    page.get_by_role("link", name="Premises register").click()
    page.get_by_label("Record a new site for").select_option(label="The Medical Centre (E81001)")
    page.get_by_role("button", name="Record a site").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a site of The Medical Centre")
    page.get_by_label("Name").fill("Farley Hill Branch")
    page.get_by_label("Kind").select_option(label="Branch surgery")
    page.get_by_label("Address line 1").fill("Whipperley Ring")
    page.get_by_label("Town").fill("Luton")
    page.get_by_label("Postcode").fill("lu1 5qy")
    page.get_by_label("Ownership").select_option(label="NHS Property Services")
    page.get_by_label("Tenure").select_option(label="Leasehold")
    page.get_by_label("Lease end date").fill("2027-03-31")
    page.get_by_label("Gross internal area (m²)").fill("190")
    page.get_by_label("Clinical rooms").fill("3")
    page.get_by_label("Condition grade").select_option(value="B")
    page.get_by_label("Rent basis").select_option(label="Actual rent under a lease")
    page.get_by_label("Rent reimbursed per year (£)").fill("38000")
    page.get_by_role("button", name="Record site").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Farley Hill Branch")
    expect(page.get_by_text("Recorded the site Farley Hill Branch.")).to_be_visible()

    page = sign_in("alice")
    page.goto(capacity_url)
    # 760 + 190 = 950 m² for 9,500 patients: 100 m² per 1,000, no longer below the guide.
    expect(cluster_row(page).get_by_role("cell").nth(1)).to_contain_text("950 m²")
    expect(cluster_row(page).get_by_role("cell").nth(2)).to_have_text("100")
