"""Funding pages and who may use them: commissioners of the CCG edit, governing body members
read, practice managers see only schemes that include their practice, other CCGs get 404."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commissioning.funding.models import (
    Allocation,
    FundingStream,
    PaymentLine,
    PracticePayment,
    Scheme,
    SchemeAmount,
    SchemeSpend,
    StreamRule,
)
from commissioning.funding.services import scheme_approve, scheme_submit

from .factories import AllocationFactory, SchemeFactory

pytestmark = pytest.mark.django_db
DECISION = {"committee": "Primary Care Commissioning Committee", "decided_on": dt.date(2017, 6, 14)}


@pytest.fixture
def scheme(luton, luton_practices, pts, luton_rule, luton_pts_allocations):
    """A submitted Luton scheme covering bob's practice."""
    scheme = SchemeFactory(
        ccg=luton, stream=pts, title="Luton North: care navigation", practices=luton_practices,
        amounts={2017: "87500", 2018: "87500"},
    )  # fmt: skip
    scheme_submit(scheme=scheme, user=None)
    return scheme


@pytest.fixture
def other_scheme(luton, luton_practices, pts):
    """A draft Luton scheme that does not cover bob's practice."""
    return SchemeFactory(ccg=luton, stream=pts, title="Luton West: workflow", practices=luton_practices[1:])


def url(name, *args):
    return reverse(f"commissioning:{name}", args=args)


# Reading


def test_commissioner_sees_the_summary_with_allocated_committed_spent_and_the_warning(client, alice, luton, scheme):
    scheme_approve(scheme=scheme, user=alice, **DECISION)
    approved_twice = SchemeFactory(
        ccg=luton, stream=scheme.stream, practices=scheme.practices.all(), amounts={2018: "300000"}
    )
    scheme_submit(scheme=approved_twice, user=alice)
    scheme_approve(scheme=approved_twice, user=alice, override_reason="Reserve covers it", **DECISION)
    SchemeSpend.objects.create(scheme=scheme, quarter=dt.date(2018, 1, 1), actual=Decimal("20000.10"))
    client.force_login(alice)
    response = client.get(url("funding_summary", luton.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Commitments exceed the allocation" in page
    assert "approved schemes commit £387,500.00 against £350,000.00 allocated, £37,500.00 over" in page
    assert "£20,000.10" in page
    assert "registered population on 1 Jan 2017" in page
    assert response.context["can_edit"] is True
    assert 'data-chart="funding-summary-chart-data"' in page


def test_the_summary_shows_one_year_by_stream(client, carol, luton, scheme):
    client.force_login(carol)
    response = client.get(url("funding_summary", luton.pk), {"year": 2018})
    assert response.context["year"] == 2018
    assert response.context["chart_by"] == "stream"
    assert [r.financial_year for r in response.context["rows"]] == [2018]


def test_governing_body_reads_but_cannot_change(client, carol, luton, scheme):
    client.force_login(carol)
    assert client.get(url("funding_summary", luton.pk)).status_code == 200
    assert client.get(url("scheme_detail", scheme.pk)).status_code == 200
    assert client.get(url("allocation_create", luton.pk)).status_code == 403
    assert client.get(url("scheme_create", luton.pk)).status_code == 403
    assert client.get(url("scheme_decide", scheme.pk)).status_code == 403
    assert client.post(url("scheme_step", scheme.pk, "return")).status_code == 403
    scheme.refresh_from_db()
    assert scheme.status == Scheme.Status.SUBMITTED


def test_another_ccgs_commissioner_gets_not_found(client, erin, luton, scheme):
    client.force_login(erin)
    for page in (
        url("funding_summary", luton.pk),
        url("scheme_detail", scheme.pk),
        url("scheme_decide", scheme.pk),
        url("allocation_detail", Allocation.objects.filter(ccg=luton).first().pk),
        url("allocation_create", luton.pk),
        url("ccg_payments", luton.pk),
    ):
        assert client.get(page).status_code == 404, page
    assert client.get(url("scheme_list")).context["table"].rows.__len__() == 0


def test_practice_manager_sees_only_schemes_that_include_their_practice(client, bob, luton, scheme, other_scheme):
    client.force_login(bob)
    assert client.get(url("scheme_detail", scheme.pk)).status_code == 200
    assert client.get(url("scheme_detail", other_scheme.pk)).status_code == 404
    listed = [row.record for row in client.get(url("scheme_list")).context["table"].rows]
    assert listed == [scheme]
    assert client.get(url("funding_summary", luton.pk)).status_code == 404
    assert client.get(url("scheme_decide", scheme.pk)).status_code == 403
    home = client.get(url("funding_home"))
    assert list(home.context["my_schemes"]) == [scheme]


def test_practice_manager_of_another_practice_sees_no_luton_scheme(client, dave, scheme):
    client.force_login(dave)
    assert client.get(url("scheme_detail", scheme.pk)).status_code == 404


def test_scheme_page_shows_population_checks_and_decision(client, alice, scheme, luton_rule):
    client.force_login(alice)
    page = client.get(url("scheme_detail", scheme.pk)).content.decode()
    assert "Practices covered: 60,000 patients" in page
    assert "NHS Luton CCG&#x27;s rule: covers at least 50,000 registered patients" in page
    assert "No check fails." in page
    assert "Record the decision" in page


def test_scheme_page_lists_each_step_with_who_took_it(client, alice, scheme):
    scheme_approve(scheme=scheme, user=alice, minute_reference="PCCC 17/031", **DECISION)
    client.force_login(alice)
    page = client.get(url("scheme_detail", scheme.pk)).content.decode()
    steps = page[page.index('id="status-moves"') :]
    cells = re.findall(r'<td class="nhsuk-table__cell">([^<]*)</td>', steps[: steps.index("</table>")])
    assert cells[1:3] == ["Draft to Submitted", "Not recorded"]
    assert cells[5:7] == ["Submitted to Approved", str(alice)]
    assert "Primary Care Commissioning Committee on 14 June 2017, minute PCCC 17/031" in steps


# Writing


def test_commissioner_records_an_allocation_and_sees_the_expected_amount(
    client, alice, luton, luton_practices, streams
):
    client.force_login(alice)
    response = client.post(
        url("allocation_create", luton.pk),
        {"stream": streams["extended-access"].pk, "financial_year": "2018", "amount": "200400.00",
         "reference": "NHS England letter", "population_date": "2017-01-01"},
    )  # fmt: skip
    allocation = Allocation.objects.get(ccg=luton, stream=streams["extended-access"])
    assert response.status_code == 302 and response.url == allocation.get_absolute_url()
    assert allocation.amount == Decimal("200400.00")
    page = client.get(allocation.get_absolute_url()).content.decode()
    assert "£200,400.00" in page  # 60,000 x £3.34
    assert "£0.00" in page
    assert allocation.history.first().history_user == alice


def test_an_allocation_outside_the_streams_years_or_twice_is_refused(client, alice, luton, pts, luton_pts_allocations):
    client.force_login(alice)
    data = {"stream": pts.pk, "amount": "1"}
    outside = client.post(url("allocation_create", luton.pk), {**data, "financial_year": "2019"})
    assert "runs 2017/18-2018/19" in outside.content.decode()
    twice = client.post(url("allocation_create", luton.pk), {**data, "financial_year": "2018"})
    assert "already has an allocation" in twice.content.decode()


def test_commissioner_creates_a_cluster_scheme_whose_practices_come_from_the_cluster(
    client, alice, luton, luton_cluster, luton_practice, pts
):
    client.force_login(alice)
    data = {
        "title": "Luton North: online triage", "stream": pts.pk, "applicant": "cluster", "cluster": luton_cluster.pk,
        "population_date": "2017-01-01", "purpose": "Online triage for the cluster.",
        "amounts-TOTAL_FORMS": "3", "amounts-INITIAL_FORMS": "0",
        "amounts-0-financial_year": "2017", "amounts-0-amount": "40000.50",
        "amounts-1-financial_year": "2018", "amounts-1-amount": "45000",
        "amounts-2-financial_year": "", "amounts-2-amount": "",
    }  # fmt: skip
    response = client.post(url("scheme_create", luton.pk), data)
    scheme = Scheme.objects.get(title="Luton North: online triage")
    assert response.status_code == 302
    assert list(scheme.practices.all()) == [luton_practice]
    assert dict(scheme.amounts.values_list("financial_year", "amount")) == {
        2017: Decimal("40000.50"), 2018: Decimal("45000.00"),
    }  # fmt: skip
    assert scheme.status == Scheme.Status.DRAFT


def test_a_year_given_twice_in_the_amounts_is_a_form_error(client, alice, luton, luton_practice, pts):
    client.force_login(alice)
    data = {
        "title": "Twice", "stream": pts.pk, "applicant": "practice", "practices": [luton_practice.pk],
        "population_date": "2017-01-01", "purpose": "x",
        "amounts-TOTAL_FORMS": "2", "amounts-INITIAL_FORMS": "0",
        "amounts-0-financial_year": "2017", "amounts-0-amount": "1",
        "amounts-1-financial_year": "2017", "amounts-1-amount": "2",
    }  # fmt: skip
    response = client.post(url("scheme_create", luton.pk), data)
    assert response.status_code == 200
    assert "2017/18 is given twice" in response.content.decode()
    assert not Scheme.objects.filter(title="Twice").exists()


def test_a_submitted_scheme_cannot_be_edited(client, alice, scheme):
    client.force_login(alice)
    response = client.get(url("scheme_update", scheme.pk))
    assert response.status_code == 302 and response.url == scheme.get_absolute_url()


def test_decision_page_needs_an_override_reason_when_checks_fail(client, alice, luton, luton_practices, pts, luton_rule,
                                                                 luton_pts_allocations):  # fmt: skip
    small = SchemeFactory(ccg=luton, stream=pts, practices=luton_practices[1:], amounts={2017: "1000"})
    scheme_submit(scheme=small, user=alice)
    client.force_login(alice)
    data = {"decision": "approve", "committee": "PCCC", "decided_on": "2017-06-14", "minute_reference": "17/1"}
    refused = client.post(url("scheme_decide", small.pk), data)
    assert refused.status_code == 200
    assert "give the reason for approving the scheme all the same" in refused.content.decode()
    small.refresh_from_db()
    assert small.status == Scheme.Status.SUBMITTED
    client.post(url("scheme_decide", small.pk), {**data, "override_reason": "Merging with Luton Central."})
    small.refresh_from_db()
    assert small.status == Scheme.Status.APPROVED and small.override_reason == "Merging with Luton Central."
    assert small.decision_recorded_by == alice


def test_rejecting_from_the_page_needs_a_reason(client, alice, scheme):
    client.force_login(alice)
    data = {"decision": "reject", "committee": "PCCC", "decided_on": "2017-06-14"}
    assert "Give the reason for rejecting" in client.post(url("scheme_decide", scheme.pk), data).content.decode()
    client.post(url("scheme_decide", scheme.pk), {**data, "reason": "Duplicates the hub."})
    scheme.refresh_from_db()
    assert (scheme.status, scheme.decision_reason) == (Scheme.Status.REJECTED, "Duplicates the hub.")


def test_spend_page_saves_actual_and_forecast_by_quarter(client, alice, scheme):
    scheme_approve(scheme=scheme, user=alice, **DECISION)
    client.force_login(alice)
    page = client.get(url("scheme_spend", scheme.pk))
    assert len(page.context["form"].quarters) == 8  # 2017/18 and 2018/19
    response = client.post(
        url("scheme_spend", scheme.pk),
        {"actual_2017-04-01": "10000.25", "forecast_2017-07-01": "5000", "actual_2018-01-01": ""},
    )
    assert response.status_code == 302
    assert {(s.quarter, s.actual, s.forecast) for s in scheme.spend.all()} == {
        (dt.date(2017, 4, 1), Decimal("10000.25"), None), (dt.date(2017, 7, 1), None, Decimal("5000.00")),
    }  # fmt: skip


def test_a_commissioner_adds_a_stream_and_a_rule_for_their_ccg_but_not_national_ones(client, alice, luton, pts):
    client.force_login(alice)
    assert client.get(url("funding_stream_create")).status_code == 403
    assert client.get(url("funding_stream_update", pts.pk)).status_code == 403
    response = client.post(
        url("funding_stream_create_for_ccg", luton.pk),
        {"name": "Luton care homes scheme", "code": "luton-care-homes", "source": "ccg_baseline", "basis": "fixed_sum",
         "first_year": "2017", "last_year": "2018"},
    )  # fmt: skip
    assert response.status_code == 302
    assert FundingStream.objects.get(code="luton-care-homes").ccg == luton
    client.post(
        url("funding_rule_create_for_ccg", luton.pk, pts.pk),
        {"kind": "max_request", "value": "100000", "description": "Luton caps each scheme at £100,000 a year."},
    )
    assert StreamRule.objects.get(stream=pts, ccg=luton).kind == StreamRule.Kind.MAX_REQUEST


def test_another_ccgs_stream_is_not_found(client, erin, luton):
    local = FundingStream.objects.create(code="luton-only", name="Luton only", source="ccg_baseline", basis="bid",
                                         ccg=luton)  # fmt: skip
    client.force_login(erin)
    assert client.get(url("funding_stream_detail", local.pk)).status_code == 404


def test_administrator_edits_a_national_stream_with_history(client, root, pts):
    client.force_login(root)
    form = client.get(url("funding_stream_update", pts.pk)).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "id"}
    data.update(conditions="Updated conditions.", history_version=form["history_version"].value())
    response = client.post(url("funding_stream_update", pts.pk), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    pts.refresh_from_db()
    assert pts.conditions == "Updated conditions."
    assert pts.history.first().history_user == root


# Exports


def test_summary_exports_as_csv_and_xlsx_in_pounds_and_pence(client, carol, luton, scheme):
    client.force_login(carol)
    response = client.get(url("funding_summary_export", luton.pk, "csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Disposition"] == 'attachment; filename="06p-funding-summary.csv"'
    assert {(r["Financial year"], r["Allocated (£)"]) for r in rows} == {
        ("2017/18", "350000.00"),
        ("2018/19", "350000.00"),
    }
    xlsx = client.get(url("funding_summary_export", luton.pk, "xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["E2"].value == 350000
    assert client.get(url("funding_summary_export", luton.pk, "pdf")).status_code == 404


def test_scheme_export_lists_one_row_per_year_of_visible_schemes(client, bob, scheme, other_scheme):
    client.force_login(bob)
    rows = list(csv.DictReader(io.StringIO(client.get(url("scheme_export", "csv")).content.decode("utf-8-sig"))))
    assert {r["Scheme"] for r in rows} == {"Luton North: care navigation"}
    assert [r["Requested (£)"] for r in rows] == ["87500.00", "87500.00"]


def test_stream_list_and_detail_show_rates_and_rules(client, alice, pts, luton_rule, luton_pts_allocations):
    client.force_login(alice)
    assert "£3.00 per head over 2017/18-2018/19" in client.get(url("funding_stream_list")).content.decode()
    page = client.get(pts.get_absolute_url()).content.decode()
    assert "Covers at least 50,000 registered patients" in page
    assert "£350,000.00" in page


def test_allocation_and_scheme_amount_totals_are_decimal(luton, pts):
    allocation = AllocationFactory(stream=pts, ccg=luton, financial_year=2017, amount=Decimal("0.10"))
    allocation.refresh_from_db()
    assert allocation.amount + Decimal("0.20") == Decimal("0.30")
    assert SchemeAmount._meta.get_field("amount").decimal_places == 2


# NHS payments to practices


@pytest.fixture
def payments(luton, luton_practices, wolverhampton_practice):
    """2018/19 payments: Luton's three practices at £100, £120 and £150 a patient; one in Wolverhampton."""
    made = []
    for practice, per_patient in zip(luton_practices, ("100", "120", "150"), strict=True):
        payment = PracticePayment(
            practice=practice, ccg=luton, financial_year=2018, contract_type="GMS",
            registered_patients=Decimal("10000"), total_payments=Decimal(per_patient) * 10000,
            deductions=Decimal("-1000.00"), net_payments=Decimal(per_patient) * 10000 - 1000,
        )  # fmt: skip
        payment.compute_per_patient()
        payment.save()
        payment.lines.create(kind=PaymentLine.Kind.GLOBAL_SUM, amount=payment.total_payments - 500)
        payment.lines.create(kind=PaymentLine.Kind.GPFV, amount=Decimal("500.00"))
        made.append(payment)
    PracticePayment.objects.create(
        practice=wolverhampton_practice, ccg=wolverhampton_practice.ccg, financial_year=2018,
        registered_patients=Decimal("1"), total_payments=Decimal("1"), net_payments=Decimal("1"),
    )  # fmt: skip
    return made


def test_practice_manager_sees_their_practices_payments_against_the_ccgs_distribution(client, bob, payments):
    client.force_login(bob)
    response = client.get(url("practice_payments", payments[0].practice_id))
    assert response.status_code == 200
    distribution = response.context["distribution"]
    assert (distribution.lowest, distribution.median, distribution.highest) == (
        Decimal("100.00"), Decimal("120.00"), Decimal("150.00"),
    )  # fmt: skip
    assert response.context["rank"] == 3
    page = response.content.decode()
    assert "£1,000,000.00" in page and "General Practice Forward View" in page
    assert response.context["reads_ccg"] is False
    assert client.get(url("practice_payments", payments[1].practice_id)).status_code == 404
    assert client.get(url("ccg_payments", payments[0].ccg_id)).status_code == 404


def test_commissioner_sees_ccg_payments_by_line_beside_the_streams(client, alice, luton, payments, scheme):
    client.force_login(alice)
    response = client.get(url("ccg_payments", luton.pk))
    totals = response.context["totals"]
    assert (totals.practices, totals.total_payments) == (3, Decimal("3700000.00"))
    assert totals.line(PaymentLine.Kind.GPFV) == Decimal("1500.00")
    assert totals.per_registered_patient == Decimal("123.33")
    assert [p.practice.ods_code for p in response.context["payments"]] == ["E81003", "E81002", "E81001"]
    assert [row.stream.code for row in response.context["streams"]] == ["practice-transformational-support"]
    summary = client.get(url("funding_summary", luton.pk)).content.decode()
    assert "Total NHS payments to 3 practices" in summary
    rows = list(
        csv.DictReader(io.StringIO(client.get(url("ccg_payments_export", luton.pk, "csv")).content.decode("utf-8-sig")))
    )
    assert {r["Practice code"]: r["Payments per registered patient (£)"] for r in rows} == {
        "E81001": "100.00", "E81002": "120.00", "E81003": "150.00",
    }  # fmt: skip


def test_the_summary_page_takes_as_many_queries_with_ten_schemes_as_with_one(client, alice, luton, scheme, payments):
    client.force_login(alice)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("funding_summary", luton.pk)).status_code == 200
        return len(captured)

    before = queries()
    for n in range(9):
        extra = SchemeFactory(ccg=luton, stream=scheme.stream, practices=scheme.practices.all(), amounts={2017: "10"})
        SchemeSpend.objects.create(scheme=extra, quarter=dt.date(2017, 4, 1), forecast=Decimal(n))
    assert queries() == before
