"""A governing body member opens a CCG's payments, follows the link to the years side by side,
and reads a practice's contract change and a cluster's payments per registered patient."""

from decimal import Decimal

from django.urls import reverse
from playwright.sync_api import expect

from commissioning.funding.models import PracticePayment
from tests.factories import ClusterMembershipFactory, PracticeFactory


def pay(practice, year, contract, patients, total):
    payment = PracticePayment(
        practice=practice, ccg=practice.ccg, financial_year=year, contract_type=contract,
        registered_patients=Decimal(patients), total_payments=Decimal(total), net_payments=Decimal(total),
        source=f"nhs-payments-gp-{year}-{(year + 1) % 100}.csv",
    )  # fmt: skip
    payment.compute_per_patient()
    payment.save()


def test_governing_body_reads_payments_across_the_years(live_server, sign_in, carol, luton, luton_practice,
                                                         luton_cluster):  # fmt: skip
    neighbour = PracticeFactory(ods_code="E81002", name="Castle Surgery", ccg=luton)
    ClusterMembershipFactory(practice=neighbour, cluster=luton_cluster)
    pay(luton_practice, 2016, "PMS", "10000", "1000000.00")
    pay(luton_practice, 2018, "GMS", "10500", "1100000.00")
    pay(neighbour, 2018, "GMS", "9500", "900000.00")

    page = sign_in("carol")
    page.goto(live_server.url + reverse("commissioning:ccg_payments", args=[luton.pk]))
    page.get_by_role("link", name="Payments across the years, by practice and by cluster").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2016/17 to 2018/19")
    row = page.locator("#practice-years").get_by_role("row", name="The Medical Centre")
    expect(row).to_contain_text("Contract changed: PMS to GMS")
    expect(row).to_contain_text("£100.00")
    cluster = page.locator("#clusters-2018").get_by_role("row", name="Luton North")
    expect(cluster).to_contain_text("20,000")
    expect(cluster).to_contain_text("£100.00")
