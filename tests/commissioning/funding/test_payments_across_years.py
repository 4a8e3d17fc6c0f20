"""Payments across the years: each practice year by year beside the CCG's own funding, contract
type per year, and payments per registered patient by cluster, for commissioners and the
governing body of the CCG only."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from commissioning.funding.models import PaymentLine, PracticePayment
from commissioning.funding.payments_across_years import payments_across_years
from tests.factories import ClusterFactory, ClusterMembershipFactory, PracticeFactory

pytestmark = pytest.mark.django_db
D = Decimal


def pay(practice, ccg, year, contract, patients, total, gpfv="0", source=""):
    source = source or f"nhs-payments-gp-{year}-{(year + 1) % 100}.csv"
    payment = PracticePayment(
        practice=practice, ccg=ccg, financial_year=year, contract_type=contract, registered_patients=D(patients),
        total_payments=D(total), net_payments=D(total), source=source,
    )  # fmt: skip
    payment.compute_per_patient()
    payment.save()
    payment.lines.create(kind=PaymentLine.Kind.GLOBAL_SUM, amount=D(total) - D(gpfv))
    if D(gpfv):
        payment.lines.create(kind=PaymentLine.Kind.GPFV, amount=D(gpfv))
    return payment


@pytest.fixture
def two_years(luton, luton_practices, luton_cluster, wolverhampton_practice, luton_pts_allocations):
    """2016/17 and 2018/19 for Luton's three practices; E81001 moves from PMS to GMS; clusters on 31 March:
    2016/17 Luton North = E81001 + E81003, E81002 in none; 2018/19 Luton North = E81001, Luton South = E81002."""
    first, second, third = luton_practices
    south = ClusterFactory(ccg=luton, name="Luton South")
    ClusterMembershipFactory(practice=second, cluster=south, start_date=dt.date(2017, 4, 1))
    ClusterMembershipFactory(practice=third, cluster=luton_cluster, start_date=dt.date(2016, 4, 1),
                             end_date=dt.date(2018, 4, 1))  # fmt: skip
    pay(first, luton, 2016, "PMS", "10000", "1000000.00")
    pay(second, luton, 2016, "GMS", "8000", "900000.50", gpfv="1000.00")
    pay(third, luton, 2016, "GMS", "5000", "500000.00")
    pay(first, luton, 2018, "GMS", "10500", "1100000.00", gpfv="2500.25")
    pay(second, luton, 2018, "GMS", "8200", "950000.00", gpfv="500.00")
    pay(wolverhampton_practice, wolverhampton_practice.ccg, 2018, "APMS", "7000", "700000.00")
    return luton_practices


def url(name, *args):
    return reverse(f"commissioning:{name}", args=args)


def test_each_practice_year_by_year_with_its_contract_type_and_gpfv_line(luton, two_years):
    across = payments_across_years(ccg=luton)
    assert across.years == [2016, 2018]
    assert [label for _, label in across.year_labels] == ["2016/17", "2018/19"]
    rows = {row.practice.ods_code: row for row in across.practices}
    assert set(rows) == {"E81001", "E81002", "E81003"}
    first = rows["E81001"]
    assert [(c.contract_type, c.per_registered_patient, c.gpfv) for c in first.cells] == [
        ("PMS", D("100.00"), D("0.00")), ("GMS", D("104.76"), D("2500.25")),
    ]  # fmt: skip
    assert first.contract_types == ["PMS", "GMS"] and first.changed_contract
    assert not rows["E81002"].changed_contract
    assert rows["E81003"].cells[1] is None
    assert first.cells[0].source == "nhs-payments-gp-2016-17.csv"


def test_ccg_years_sum_the_practices_beside_the_ccgs_own_funding(luton, two_years):
    first, second = payments_across_years(ccg=luton).ccg_years
    assert (first.year_label, first.practices, first.registered_patients, first.total_payments, first.gpfv) == (
        "2016/17", 3, D("23000"), D("2400000.50"), D("1000.00"),
    )  # fmt: skip
    assert first.per_registered_patient == D("104.35")
    assert first.funding is None and first.sources == ["nhs-payments-gp-2016-17.csv"]
    assert (second.practices, second.total_payments, second.gpfv, second.per_registered_patient) == (
        2, D("2050000.00"), D("3000.25"), D("109.63"),
    )  # fmt: skip
    assert second.funding.allocated == D("350000.00")


def test_cluster_per_head_is_the_clusters_total_over_its_patients_on_31_march(luton, two_years):
    across = payments_across_years(ccg=luton)
    by_year = {
        year: [(c.name, c.practices, c.registered_patients, c.total_payments, c.per_registered_patient) for c in cs]
        for year, cs in across.clusters.items()
    }
    assert by_year[2016] == [
        ("Luton North", 2, D("15000"), D("1500000.00"), D("100.00")),
        ("Not in a cluster", 1, D("8000"), D("900000.50"), D("112.50")),
    ]
    assert by_year[2018] == [
        ("Luton North", 1, D("10500"), D("1100000.00"), D("104.76")),
        ("Luton South", 1, D("8200"), D("950000.00"), D("115.85")),
    ]


def test_a_ccg_without_payments_has_no_years(wolverhampton):
    across = payments_across_years(ccg=wolverhampton)
    assert (across.years, across.practices, across.clusters) == ([], [], {})


@pytest.mark.parametrize("person", ["alice", "carol"])
def test_commissioner_and_governing_body_of_the_ccg_see_the_years(client, request, person, luton, two_years):
    client.force_login(request.getfixturevalue(person))
    response = client.get(url("ccg_payments_years", luton.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "2016/17" in page and "2018/19" in page and "Contract changed: PMS to GMS" in page
    assert "£2,500.25" in page and "£115.85" in page and "nhs-payments-gp-2016-17.csv" in page
    assert "Wolverhampton Surgery" not in page
    assert url("ccg_payments_years", luton.pk) in client.get(url("ccg_payments", luton.pk)).content.decode()


def test_another_ccgs_commissioner_and_a_practice_manager_get_not_found(client, erin, bob, luton, two_years):
    for user in (erin, bob):
        client.force_login(user)
        assert client.get(url("ccg_payments_years", luton.pk)).status_code == 404
        assert client.get(url("ccg_payments_years_export", luton.pk, "practices", "csv")).status_code == 404


def test_exports_give_one_row_per_practice_year_and_per_cluster_year_in_pounds_and_pence(client, alice, luton,
                                                                                         two_years):  # fmt: skip
    client.force_login(alice)
    response = client.get(url("ccg_payments_years_export", luton.pk, "practices", "csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["Practice code"], r["Financial year"], r["Contract type"], r["General Practice Forward View (£)"])
            for r in rows if r["Practice code"] == "E81001"] == [
        ("E81001", "2016/17", "PMS", "0.00"), ("E81001", "2018/19", "GMS", "2500.25"),
    ]  # fmt: skip
    assert len(rows) == 5
    response = client.get(url("ccg_payments_years_export", luton.pk, "clusters", "xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][2] == "Cluster" and len(values) == 5
    south = next(v for v in values if v[2] == "Luton South")
    assert (south[1], south[7]) == ("2018/19", 115.85)
    assert client.get(url("ccg_payments_years_export", luton.pk, "schemes", "csv")).status_code == 404


@pytest.mark.parametrize("extra", [0, 12])
def test_the_page_takes_no_more_queries_with_more_practices(client, alice, luton, luton_cluster, two_years, extra,
                                                            django_assert_max_num_queries):  # fmt: skip
    for n in range(extra):
        practice = PracticeFactory(ods_code=f"E819{n:02d}", ccg=luton)
        ClusterMembershipFactory(practice=practice, cluster=luton_cluster)
        for year in (2016, 2018):
            pay(practice, luton, year, "GMS", "1000", "100000.00", gpfv="10.00")
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        assert client.get(url("ccg_payments_years", luton.pk)).status_code == 200
