"""The funding summary's download says what the summary page says, from the same data: each stream and
year's pounds (numbers with a £ format in the XLSX, plain in the CSV), 'No allocation' where the page
says so (never 'Over-committed: No'), 'Yes' where the page flags it over-committed, and each year's
total with its year. The page is read as a user reads it (its table's text)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from commissioning.funding.services import scheme_approve, scheme_submit
from portal.money import pounds
from tests.html_tables import page_table

from .factories import SchemeFactory

pytestmark = pytest.mark.django_db
DECISION = {"committee": "Primary Care Commissioning Committee", "decided_on": dt.date(2017, 6, 14)}
MONEY_FORMAT = '"£"#,##0.00;-"£"#,##0.00'


@pytest.fixture
def funded(alice, luton, luton_practices, pts, extended_access, luton_rule, luton_pts_allocations):
    """Practice transformation: £350,000 allocated each year, £387,500 approved in 2018/19 (over-committed).
    Extended access: a bid approved with no allocation recorded (the page says 'No allocation')."""
    for stream, amounts, reason in (
        (pts, {2017: "87500", 2018: "87500"}, ""),
        (pts, {2018: "300000"}, "Reserve covers it"),
        (extended_access, {2018: "12000.50"}, "National fund"),
    ):
        scheme = SchemeFactory(ccg=luton, stream=stream, practices=luton_practices, amounts=amounts)
        scheme_submit(scheme=scheme, user=alice)
        scheme_approve(scheme=scheme, user=alice, override_reason=reason, **DECISION)
    return luton


def page_rows(client, ccg) -> dict[str, dict[str, str]]:
    html = client.get(reverse("commissioning:funding_summary", args=[ccg.pk])).content.decode()
    rows = page_table(html, "Allocated, committed, spent")
    return {r["Stream, year"]: r for r in rows}


def download(client, ccg, file_format):
    return client.get(reverse("commissioning:funding_summary_export", args=[ccg.pk, file_format])).content


def csv_rows(client, ccg) -> dict[str, dict[str, str]]:
    rows = csv.DictReader(io.StringIO(download(client, ccg, "csv").decode("utf-8-sig")))
    return {f"{r['Stream']}, {r['Financial year']}": r for r in rows}


def test_the_csv_gives_the_pages_pounds_and_words_for_every_stream_and_year(client, alice, funded):
    client.force_login(alice)
    page, exported = page_rows(client, funded), csv_rows(client, funded)

    shown = {key: row for key, row in page.items() if key != "All streams"}
    assert set(shown) < set(exported)
    for key, row in shown.items():
        out = exported[key]
        for heading in ("Committed", "Spent", "Forecast outturn"):
            assert row[heading] == pounds(out[f"{heading} (£)"]), (key, heading)
        if row["Remaining to commit"] == "No allocation":
            assert (out["Remaining to commit (£)"], out["Over-committed"]) == ("", "No allocation")
            assert (row["Allocated"], out["Allocated (£)"]) == ("None recorded", "")
        else:
            assert row["Remaining to commit"].removesuffix(" Over-committed") == pounds(out["Remaining to commit (£)"])
            assert out["Over-committed"] == ("Yes" if row["Remaining to commit"].endswith("Over-committed") else "No")
            assert row["Allocated"] == pounds(out["Allocated (£)"])
    ea = exported["Extended access, 2018/19"]
    assert (ea["Committed (£)"], ea["Over-committed"]) == ("12000.50", "No allocation")
    assert exported["Practice transformation, 2018/19"]["Over-committed"] == "Yes"
    assert "Over-committed: No" not in download(client, funded, "csv").decode("utf-8-sig")


def test_each_years_total_is_in_the_file_with_its_year(client, alice, funded):
    client.force_login(alice)
    exported = csv_rows(client, funded)
    total = exported["All streams, 2018/19"]
    streams = [r for key, r in exported.items() if key.endswith("2018/19") and not key.startswith("All")]

    assert Decimal(total["Committed (£)"]) == sum(Decimal(r["Committed (£)"]) for r in streams) == Decimal("399500.50")
    assert total["Remaining to commit (£)"] == "-37500.00"  # the streams with an allocation only
    assert total["Over-committed"] == ""


def test_the_xlsx_holds_pounds_as_numbers_with_a_pound_format_and_the_date_as_a_date(client, alice, funded):
    client.force_login(alice)
    sheet = openpyxl.load_workbook(io.BytesIO(download(client, funded, "xlsx"))).active
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, row, strict=False)) for row in sheet.iter_rows(min_row=2)]
    ea = next(r for r in rows if r["Stream"].value == "Extended access" and r["Financial year"].value == "2018/19")

    assert (ea["Committed (£)"].value, ea["Committed (£)"].data_type) == (12000.5, "n")
    assert ea["Committed (£)"].number_format == MONEY_FORMAT
    assert ea["Remaining to commit (£)"].value is None and ea["Over-committed"].value == "No allocation"
    assert ea["As at"].is_date and ea["As at"].number_format == "d mmm yyyy"
    assert sheet.freeze_panes == "A2"


def test_the_payments_download_gives_the_pages_figures_for_each_practice(client, alice, luton, luton_practices):
    from commissioning.funding.models import PracticePayment

    for practice, patients, total in zip(
        luton_practices, ("4496.333333", "25000", "15000.5"), ("516249.50", "2500000.00", "1500000.00"), strict=True
    ):
        payment = PracticePayment(practice=practice, ccg=luton, financial_year=2018, contract_type="GMS",
                                  registered_patients=Decimal(patients), total_payments=Decimal(total),
                                  net_payments=Decimal(total))  # fmt: skip
        payment.compute_per_patient()
        payment.save()
    client.force_login(alice)
    html = client.get(reverse("commissioning:ccg_payments", args=[luton.pk])).content.decode()
    shown = {r["Practice"].split()[-1]: r for r in page_table(html, f"{luton.name}'s practices")}
    response = client.get(reverse("commissioning:ccg_payments_export", args=[luton.pk, "csv"]))
    exported = {r["Practice code"]: r for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}
    patients = "Registered patients (last known figure in the year)"

    assert set(shown) == set(exported) == {"E81001", "E81002", "E81003"}
    for code, row in exported.items():
        assert shown[code]["Registered patients"] == f"{Decimal(row[patients]):,.2f}"
        assert shown[code]["Total NHS payments"] == pounds(row["Total NHS payments (£)"])
        assert shown[code]["Per registered patient"] == pounds(row["Payments per registered patient (£)"])
        assert shown[code]["Contract"] == row["Contract type"]
    assert exported["E81001"][patients] == "4496.33"
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("commissioning:ccg_payments_export", args=[luton.pk, "xlsx"])).content)
    ).active
    header = [c.value for c in sheet[1]]
    first = dict(zip(header, sheet[2], strict=False))
    assert first[patients].value == pytest.approx(4496.333333) and first[patients].number_format == "#,##0.00"
    assert first["Total NHS payments (£)"].value == 516249.5
