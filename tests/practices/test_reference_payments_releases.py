"""NHS Payments to General Practice releases of 2014-15, 2015-16, 2017-18, 2020-21, 2021-22 and 2022-23, from
cuts of the published files shipped in tests/practices/releases (see its PROVENANCE.md).

Expected figures are read from the cut with Decimal, not by the importer.
"""

import csv
import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Sum

from commissioning.funding.models import PaymentLine, PracticePayment
from commissioning.funding.payments_import import LINE_COLUMNS, PaymentsImporter
from commissioning.funding.selectors import ccg_payments
from practices.models import CCG, CCGMembership, Practice, Role
from practices.reference import import_reference
from practices.reference.report import ImportReport
from practices.services import reference_import_create, reference_import_run
from tests.conftest import _person

RELEASES = Path(__file__).parent / "releases"
TOTAL = "Total NHS Payments to General Practice"
Kind = PaymentLine.Kind


def cut(year: str) -> list[dict[str, str]]:
    with open(RELEASES / f"nhs-payments-gp-{year}-cut.csv", encoding="utf-8", newline="") as handle:
        return [{k.strip(): v for k, v in row.items()} for row in csv.DictReader(handle)]


def load(tmp_path, year: str):
    path = tmp_path / f"nhs-payments-gp-{year}.csv"  # the file name gives the year, as NHS Digital's do
    shutil.copy(RELEASES / f"nhs-payments-gp-{year}-cut.csv", path)
    return import_reference("payments", path)


def row_of(rows, code):
    return next(r for r in rows if r["Practice Code"] == code)


def line(code: str, start_year: int, kind: str) -> Decimal:
    payment = PracticePayment.objects.get(practice__ods_code=code, financial_year=start_year)
    return payment.lines.get(kind=kind).amount


def assert_every_row_reconciles(rows, start_year: int) -> None:
    """Each practice's lines within the total add up to the file's total, to the penny."""
    for payment in PracticePayment.objects.filter(financial_year=start_year):
        within = payment.lines.within_total().aggregate(s=Sum("amount"))["s"] or Decimal("0.00")
        assert within == payment.total_payments == Decimal(row_of(rows, payment.practice.ods_code)[TOTAL])
    assert not PaymentLine.objects.filter(kind=Kind.NOT_ITEMISED).exists()


def assert_reconciled(report, rows) -> None:
    england = report.reconciliation["england"]
    expected = str(sum((Decimal(r[TOTAL]) for r in rows), Decimal("0.00")))
    assert england["file_total"] == england["portal_total"] == england["lines_total"] == expected
    assert report.reconciliation["reconciled"] is True
    assert not report.warnings


@pytest.mark.django_db
def test_2015_16_stores_its_own_enhanced_services_and_names_the_parts_of_local_enhanced_services(tmp_path):
    rows = cut("2015-16")
    report = load(tmp_path, "2015-16")

    assert (report.rows, report.created, report.rejected) == (3, 3, 0)
    assert CCG.objects.get(ods_code="02P").name == "NHS BARNSLEY CCG"
    assert_every_row_reconciles(rows, 2015)
    assert_reconciled(report, rows)
    balac = row_of(rows, "C85619")
    assert line("C85619", 2015, Kind.ALCOHOL) == Decimal(balac["Alcohol"])
    assert line("C85619", 2015, Kind.PATIENT_PARTICIPATION) == Decimal(balac["Patient Participation"])
    assert line("C85619", 2015, Kind.LOCAL_ENHANCED) == Decimal(balac["Total Local Enhanced Services"])
    assert line("C85619", 2015, Kind.SENIORITY) == Decimal(balac["Seniority"])
    parts = sum(Decimal(r["LocalEnhancedServices_NHAIS_"]) for r in rows)
    notes = " ".join(report.notes)
    assert f"LocalEnhancedServices_NHAIS_ (total {parts:,})" in notes
    assert "does not know" not in notes


@pytest.mark.django_db
def test_2017_18_keeps_the_lines_once_dropped_and_a_practice_with_no_known_patients(tmp_path):
    rows = cut("2017-18")
    report = load(tmp_path, "2017-18")

    assert (report.rows, report.created, report.rejected) == (3, 3, 0)
    assert_every_row_reconciles(rows, 2017)
    assert_reconciled(report, rows)
    first = row_of(rows, "A81001")
    for kind, column in (
        (Kind.LOCAL_ENHANCED, "Total Local Enhanced Services"),
        (Kind.UNPLANNED_ADMISSIONS, "Unplanned Admissions"),
    ):
        assert line("A81001", 2017, kind) == Decimal(first[column]) != 0
    closed = PracticePayment.objects.get(practice__ods_code="A81008")
    assert (closed.registered_patients, closed.per_registered_patient, closed.contract_type) == (0, None, "")
    assert closed.total_payments == Decimal("-1453.99")
    assert "does not know" not in " ".join(report.notes)


@pytest.mark.django_db
def test_2020_21_keeps_pcn_and_covid_payments_beside_the_total_with_fractional_patients(tmp_path):
    rows = cut("2020-21")
    report = load(tmp_path, "2020-21")

    assert (report.rows, report.created, report.rejected) == (3, 3, 0)
    assert_every_row_reconciles(rows, 2020)
    assert_reconciled(report, rows)
    barking = row_of(rows, "F82018")
    payment = PracticePayment.objects.get(practice__ods_code="F82018")
    assert payment.registered_patients == Decimal(barking["Number of Registered Patients (Last Known Figure)"])
    pcn = payment.lines.filter(kind__startswith="pcn_").exclude(kind=Kind.PCN_PARTICIPATION).aggregate(s=Sum("amount"))
    assert payment.total_payments + pcn["s"] == Decimal(
        barking["Total NHS Payments including PCN Workforce, Leadership and Support"]
    )
    laburnum = row_of(rows, "F82051")
    assert line("F82051", 2020, Kind.COVID_IMMUNISATION) == Decimal(laburnum["Covid Immunisation"])
    covid = Decimal(laburnum["Covid Immunisation"]) + Decimal(laburnum["Covid Support and Expansion"])
    assert PracticePayment.objects.get(practice__ods_code="F82051").total_payments + covid == Decimal(
        laburnum["Total NHS Payments including covid vaccination and covid support and expansion payments"]
    )
    beside = sum(
        (Decimal(r[c]) for r in rows for c in r if c.startswith(("PCN ", "Covid ")) and c[4:] not in ("Code", "Name")),
        Decimal("0.00"),
    ) - sum(Decimal(r["PCN Participation"]) for r in rows)  # PCN Participation is within the total
    england = report.reconciliation["england"]
    assert england["file_beside"] == england["portal_beside"] == str(beside)
    assert report.reconciliation["paid_beside"] is True
    notes = " ".join(report.notes)
    assert "Total NHS Payments including PCN Workforce, Leadership and Support (total" in notes
    assert "does not know" not in notes

    # The CCG's page totals: lines within the total make it, lines beside it are apart.
    totals = ccg_payments(ccg=CCG.objects.get(ods_code="07L"), start_year=2020)
    assert sum(amount for _k, _l, amount in totals.lines) == totals.total_payments
    assert totals.beside_total == sum(
        Decimal(r[c])
        for r in rows
        for c in r
        if c.startswith(("PCN ", "Covid ")) and c not in ("PCN Code", "PCN Name") and c != "PCN Participation"
    )


@pytest.mark.django_db
def test_2021_22_reads_the_renamed_forward_view_line_and_its_new_lines(tmp_path):
    rows = cut("2021-22")
    report = load(tmp_path, "2021-22")

    assert (report.rows, report.created, report.rejected) == (3, 3, 0)
    assert_every_row_reconciles(rows, 2021)
    assert_reconciled(report, rows)
    tennant = row_of(rows, "A81006")
    assert line("A81006", 2021, Kind.GPFV) == Decimal(tennant["General Practice Transformation"]) != 0
    assert line("A81006", 2021, Kind.LONG_COVID) == Decimal(tennant["Long Covid"])
    bentley = row_of(rows, "A81018")
    assert line("A81018", 2021, Kind.MEDICAL_ASSESSMENT) == Decimal(bentley["Medical Assessment Reviews"])
    assert "does not know" not in " ".join(report.notes)


@pytest.mark.django_db
def test_2017_18_then_2021_22_keep_each_years_ccg_for_practices_of_merged_ccgs(tmp_path):
    load(tmp_path, "2017-18")
    load(tmp_path, "2021-22")
    a81001 = PracticePayment.objects.filter(practice__ods_code="A81001")
    assert dict(a81001.values_list("financial_year", "ccg__ods_code")) == {2017: "00K", 2021: "16C"}
    spans = CCGMembership.objects.filter(practice__ods_code="A81001").order_by("start_date")
    assert [m.ccg.ods_code for m in spans] == ["00K", "16C"]


@pytest.mark.django_db
def test_the_pages_show_lines_beside_the_total_apart_from_it(tmp_path, client):
    load(tmp_path, "2020-21")
    ccg = CCG.objects.get(ods_code="07L")
    client.force_login(_person("beside", Role.Kind.COMMISSIONER, ccg=ccg))

    page = client.get(f"/plans/funding/ccg/{ccg.pk}/payments/?year=2020").content.decode()
    beside = page[page.index('id="payment-beside"') :]
    assert "COVID-19 immunisation" in beside and "£229,850.12" in beside  # 78,488.26 + 151,361.86
    assert "COVID-19 immunisation" not in page[page.index('id="payment-totals"') : page.index('id="payment-beside"')]

    practice = PracticePayment.objects.get(practice__ods_code="F82051").practice
    page = client.get(f"/plans/funding/practices/{practice.pk}/payments/").content.decode()
    assert "£151,361.86" in page[page.index('id="payment-beside"') :]
    assert "£151,361.86" not in page[page.index('id="payment-lines"') : page.index('id="payment-beside"')]


@pytest.mark.django_db
def test_the_run_page_reconciles_what_was_paid_beside_the_total(tmp_path, client, root):
    path = tmp_path / "nhs-payments-gp-2020-21.csv"
    shutil.copy(RELEASES / "nhs-payments-gp-2020-21-cut.csv", path)
    run = reference_import_create(dataset="payments", path=path)
    reference_import_run(reference_import=run)
    client.force_login(root)
    page = client.get(run.get_absolute_url()).content.decode()
    table = page[page.index('id="reference-reconciliation"') :]
    assert "Paid beside the total, file (£)" in table
    assert table.count("623,961.52") == 4  # 07L and England, file and portal: the CCG page's figure


def line_total(rows, columns) -> Decimal:
    return sum((Decimal(r[c]) for r in rows for c in columns if r[c]), Decimal("0.00"))


@pytest.mark.django_db
def test_2014_15_in_whole_pounds_keeps_its_rounding_as_a_line_and_reads_dashes_as_no_date(tmp_path):
    rows = cut("2014-15")
    report = load(tmp_path, "2014-15")

    assert (report.rows, report.created, report.rejected) == (14, 14, 0)
    # Eastern Cheshire and South Cheshire, dissolved into NHS Cheshire CCG (27D) in April 2020.
    assert dict(CCG.objects.values_list("ods_code", "name")) == {"01C": "Eastern Cheshire", "01R": "South Cheshire"}
    assert_reconciled(report, rows)
    assert report.reconciliation["england"]["file_total"] == "11229948.00"
    headings = list(rows[0])
    components = headings[headings.index("Global Sum") : headings.index(TOTAL)]
    for payment in PracticePayment.objects.filter(financial_year=2014):
        row = row_of(rows, payment.practice.ods_code)
        within = payment.lines.within_total().aggregate(s=Sum("amount"))["s"]
        assert within == payment.total_payments == Decimal(row[TOTAL])
        rounding = Decimal(row[TOTAL]) - line_total([row], components)
        assert payment.lines.filter(kind=Kind.NOT_ITEMISED).aggregate(s=Sum("amount"))["s"] == (rounding or None)
    rounding = line_total(rows, [TOTAL]) - line_total(rows, components)
    assert rounding == Decimal("-6")
    notes = " ".join(report.notes)
    assert "13 rows give whole pounds" in notes and "£-6.00 in all, at most £3.00 on a row" in notes
    assert "does not know" not in notes
    annandale = PracticePayment.objects.get(practice__ods_code="N81049")
    assert line("N81049", 2014, Kind.DISPENSING_FEES) == Decimal(row_of(rows, "N81049")["Dispensing Fee Payments"])
    assert (annandale.dispensing, annandale.contract_type) == (True, "GMS")
    assert annandale.practice.open_date is None and annandale.practice.close_date is None


@pytest.mark.django_db
def test_2022_23_reads_sub_icb_locations_as_their_ccg_codes_and_never_a_pcn_name_as_a_ccgs(tmp_path):
    rows = cut("2022-23")
    report = load(tmp_path, "2022-23")

    assert (report.rows, report.created, report.rejected) == (32, 32, 0)
    assert_every_row_reconciles(rows, 2022)
    assert_reconciled(report, rows)
    england = report.reconciliation["england"]
    assert england["file_total"] == "39283412.37"
    beside = [c for c in rows[0] if c.startswith(("PCN ", "Covid ", "Long Covid")) and c != "PCN Participation"]
    assert england["file_beside"] == england["portal_beside"] == str(line_total(rows, beside)) == "6722109.10"
    # "CCG NAME" holds the PCN's name in this release; the CCG is named from "Sub ICB NAME".
    tees = CCG.objects.get(ods_code="16C")
    assert tees.name == "NHS NORTH EAST AND NORTH CUMBRIA ICB - 16C"
    assert not CCG.objects.filter(name__endswith="PCN").exists()
    assert PracticePayment.objects.filter(ccg=tees).count() == 12
    # Two CCGs merged before the ICBs: Black Country (D2P2L, with Wolverhampton's practices)
    # and Bedfordshire, Luton and Milton Keynes (M1J4Y).
    assert set(PracticePayment.objects.filter(ccg__ods_code="D2P2L").values_list("practice__ods_code", flat=True)) == {
        "Y02736", "Y02757",
    }  # fmt: skip
    notes = " ".join(report.notes)
    assert "Recognised by its columns as a release of the ICB era" in notes
    assert "does not know" not in notes
    assert "PCN Enhanced Access" not in notes  # a line of its own now, not a column named as unread


@pytest.mark.django_db
def test_2022_23_pcn_enhanced_access_is_a_line_paid_beside_the_total(tmp_path):
    """The cut pays no PCN Enhanced Access; a copy paying £1,234.56 to one practice stores it
    as a line beside the total, not within it, and the reconciliation still agrees."""
    rows = cut("2022-23")
    rows[0]["PCN Enhanced Access"] = "1234.56"
    path = tmp_path / "nhs-payments-gp-2022-23.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = import_reference("payments", path)

    code = rows[0]["Practice Code"]
    assert line(code, 2022, Kind.PCN_ENHANCED_ACCESS) == Decimal("1234.56")
    assert Kind.PCN_ENHANCED_ACCESS in PaymentLine.BESIDE_TOTAL
    assert_every_row_reconciles(rows, 2022)
    england = report.reconciliation["england"]
    assert england["file_beside"] == england["portal_beside"] == "6723343.66"  # 6,722,109.10 + 1,234.56
    assert not any("PCN Enhanced Access" in warning.reason for warning in report.warnings)


@pytest.mark.django_db
def test_2022_23_imports_walk_in_centres_as_such_with_their_payments(tmp_path):
    rows = cut("2022-23")
    report = load(tmp_path, "2022-23")

    centres = {p.ods_code: p.setting for p in Practice.objects.exclude(setting=Practice.Setting.GP_PRACTICE)}
    assert centres == {"Y02758": Practice.Setting.WALK_IN_CENTRE, "Y02808": Practice.Setting.WALK_IN_OUT_OF_HOURS}
    assert line("Y02758", 2022, Kind.OTHER) == Decimal(row_of(rows, "Y02758")["Other Payments"]) == Decimal("98422.95")
    assert (
        line("Y02808", 2022, Kind.PREMISES)
        == Decimal(row_of(rows, "Y02808")["Premises Payments"])
        == Decimal("224993.88")
    )
    types = {t["practice_type"]: (t["rows"], t["file_total"]) for t in report.reconciliation["practice_types"]}
    assert types == {
        "GP practice": (30, "38959995.54"),
        "Walk in centre": (1, "98422.95"),
        "Walk in and out of hours centre": (1, "224993.88"),
    }


def test_2022_23_reads_the_renamed_appraisal_column_as_the_appraisal_line(tmp_path):
    """No practice of the cut was paid for appraisal (few were in 2022-23): the column is matched, not left out."""
    path = tmp_path / "nhs-payments-gp-2022-23.csv"
    shutil.copy(RELEASES / "nhs-payments-gp-2022-23-cut.csv", path)
    importer = PaymentsImporter(report=ImportReport(dataset="payments", file_name=path.name))
    table = importer.read(path)
    assert table.heading(LINE_COLUMNS[str(Kind.APPRAISAL)]) == "Appraisal - Appraiser Costs in Respect of Locums"
    assert table.heading("CCG_NAME") == "Sub ICB NAME"
    assert {c.heading for c in table.left_out} >= {"Code", "CCG NAME"}


@pytest.mark.django_db
def test_2021_22_then_2022_23_keep_the_ccgs_name_and_both_years_under_16c(tmp_path):
    load(tmp_path, "2021-22")
    name = CCG.objects.get(ods_code="16C").name
    load(tmp_path, "2022-23")
    assert CCG.objects.get(ods_code="16C").name == name != "NHS NORTH EAST AND NORTH CUMBRIA ICB - 16C"
    a81006 = PracticePayment.objects.filter(practice__ods_code="A81006")
    assert dict(a81006.values_list("financial_year", "ccg__ods_code")) == {2021: "16C", 2022: "16C"}
    spans = CCGMembership.objects.filter(practice__ods_code="A81006")
    assert [(m.ccg.ods_code, m.start_date.year, m.end_date.year) for m in spans] == [("16C", 2021, 2023)]


@pytest.mark.django_db
def test_2022_23_a_second_run_changes_nothing(tmp_path):
    load(tmp_path, "2022-23")
    again = load(tmp_path, "2022-23")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 32)


@pytest.mark.django_db
def test_a_column_no_release_has_is_named_with_its_total_and_its_money_kept_as_not_itemised(tmp_path):
    """A later release that adds a payment line: the cut of 2022-23 with one more column, made here."""
    source = (RELEASES / "nhs-payments-gp-2022-23-cut.csv").read_text(encoding="utf-8").splitlines()
    header, first, *rest = source
    headings = next(csv.reader([header]))
    at = headings.index(TOTAL)
    values = next(csv.reader([first]))
    values[at] = str(Decimal(values[at]) + Decimal("1000.50"))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*headings[:at], "Future Access Scheme", *headings[at:]])
    writer.writerow([*values[:at], "1000.50", *values[at:]])
    for line_text in rest:
        fields = next(csv.reader([line_text]))
        writer.writerow([*fields[:at], "0", *fields[at:]])
    path = tmp_path / "nhs-payments-gp-2023-24.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")

    report = import_reference("payments", path)
    notes = " ".join(report.notes)
    assert "Columns this import does not know, not imported: Future Access Scheme (total 1,000.50)." in notes
    assert line("A81001", 2023, Kind.NOT_ITEMISED) == Decimal("1000.50")
    assert report.reconciliation["reconciled"] is True
