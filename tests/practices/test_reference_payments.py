"""NHS Payments to General Practice, each release as published: small cuts of the real files.

Each test writes a few rows of the real 2016-17, 2018-19 or 2019-20 file, under the file's
own header row, into a temporary CSV: a practice the portal holds, a practice of a CCG the
portal lacks (dissolved since), a walk-in centre, and where the test says so a renamed or an
unknown column. Expected figures are summed from the cut with Decimal, not by the importer.
"""

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Sum

from commissioning.funding.models import PaymentLine, PracticePayment
from practices.models import CCG, CCGMembership, Practice
from practices.reference import import_reference
from practices.services import reference_import_create, reference_import_run
from tests.factories import CCGFactory, PracticeFactory

FOLDER = Path(settings.BASE_DIR) / "data/reference/nhs-payments-to-general-practice"
TOTAL = "Total NHS Payments to General Practice"


def release(year: str) -> tuple[list[str], list[list[str]]]:
    with open(FOLDER / f"nhs-payments-gp-{year}.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def pick(header: list[str], rows: list[list[str]], *, column: str, value: str, n: int = 1) -> list[list[str]]:
    i = [h.strip() for h in header].index(column)
    return [r for r in rows if r[i].strip() == value][:n]


def value(header: list[str], row: list[str], column: str) -> str:
    return row[[h.strip() for h in header].index(column)]


def write(tmp_path, year: str, header: list[str], rows: list[list[str]]) -> Path:
    path = tmp_path / f"nhs-payments-gp-{year}.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def file_total(header, rows) -> Decimal:
    return sum((Decimal(value(header, r, TOTAL)) for r in rows), Decimal("0.00"))


def hold(header, rows) -> None:
    """The portal holds these rows' CCGs (named by code only, as epraccur leaves them) and practices."""
    for row in rows:
        ccg = CCGFactory(ods_code=value(header, row, "CCG Code"), name=value(header, row, "CCG Code"))
        PracticeFactory(ods_code=value(header, row, "Practice Code"), ccg=ccg)


def assert_lines_reconcile() -> None:
    for payment in PracticePayment.objects.annotate(lines_sum=Sum("lines__amount")):
        assert payment.lines_sum == payment.total_payments, payment


@pytest.mark.django_db
def test_2016_17_loads_as_published_with_a_dissolved_ccg_and_a_walk_in_centre(tmp_path):
    header, rows = release("2016-17")
    held = pick(header, rows, column="CCG Code", value="00K", n=2)
    dissolved = pick(header, rows, column="CCG Code", value="10G")  # Bracknell and Ascot, merged in 2018
    walk_in = pick(header, rows, column="PracticeType", value="Walk in centre")
    hold(header, held)
    cut = held + dissolved + walk_in
    report = import_reference("payments", write(tmp_path, "2016-17", header, cut))

    assert (report.rows, report.created, report.rejected) == (4, 4, 0)
    ccg = CCG.objects.get(ods_code="10G")
    assert ccg.name == value(header, dissolved[0], "CCG NAME")
    practice = Practice.objects.get(ods_code=value(header, dissolved[0], "Practice Code"))
    assert practice.ccg == ccg
    assert CCGMembership.objects.filter(
        practice=practice, ccg=ccg, start_date=dt.date(2016, 4, 1), end_date=dt.date(2017, 4, 1)
    ).exists()
    centre = Practice.objects.get(ods_code=value(header, walk_in[0], "Practice Code"))
    assert centre.setting == Practice.Setting.WALK_IN_CENTRE
    assert CCG.objects.get(ods_code="00K").name == value(header, held[0], "CCG NAME")
    assert any("10G" in note and "created" in note for note in report.notes)

    # The lines the importer used to drop are stored, and every practice's lines make its total.
    code = value(header, held[0], "Practice Code")
    payment = PracticePayment.objects.get(practice__ods_code=code, financial_year=2016)
    for kind, column in (
        (PaymentLine.Kind.LOCAL_ENHANCED, "Total Local Enhanced Services"),
        (PaymentLine.Kind.UNPLANNED_ADMISSIONS, "Unplanned Admissions"),
        (PaymentLine.Kind.DEMENTIA, "Facilitating Timely Diagnosis and Support for People with Dementia"),
    ):
        amount = Decimal(value(header, held[0], column))
        assert amount  # A81001 has all three in 2016-17
        assert payment.lines.get(kind=kind).amount == amount
    assert_lines_reconcile()

    # Dotted and run-together headings are read, not left out.
    assert PaymentLine.objects.filter(kind=PaymentLine.Kind.RETAINER).exists() == any(
        Decimal(value(header, r, "Doctors.Retainer.Scheme.Payments")) for r in cut
    )
    assert PracticePayment.objects.exclude(rurality="").count() == 4
    assert "Quarter used for patient data" in " ".join(report.notes)

    england = report.reconciliation["england"]
    assert england["file_total"] == england["portal_total"] == england["lines_total"] == str(file_total(header, cut))
    assert england["difference"] == "0.00"
    assert report.reconciliation["reconciled"] is True
    types = {t["practice_type"]: t for t in report.reconciliation["practice_types"]}
    assert types["Walk in centre"]["rows"] == 1
    assert types["Walk in centre"]["file_total"] == value(header, walk_in[0], TOTAL)


@pytest.mark.django_db
def test_2016_17_a_second_run_changes_nothing(tmp_path):
    header, rows = release("2016-17")
    cut = pick(header, rows, column="CCG Code", value="10G", n=2)
    path = write(tmp_path, "2016-17", header, cut)
    import_reference("payments", path)
    again = import_reference("payments", path)
    assert (again.unchanged, again.created, again.updated) == (2, 0, 0)
    assert not again.changed_anything
    assert CCGMembership.objects.count() == 2


@pytest.mark.django_db
def test_2018_19_with_a_renamed_column_and_an_unknown_money_column(tmp_path):
    header, rows = release("2018-19")
    cut = pick(header, rows, column="CCG Code", value="06P", n=3)
    hold(header, cut)
    renamed = ["PracticeRurality" if h == "Practice Rurality" else h for h in header]
    renamed = [*renamed, "Same Day Access Fund"]  # a line no release the portal knows has
    cut = [[*r, "100.10"] for r in cut]
    # The unknown column is part of the total, as a new line of a later release would be.
    total_at = [h.strip() for h in header].index(TOTAL)
    for r in cut:
        r[total_at] = str(Decimal(r[total_at]) + Decimal("100.10"))
    report = import_reference("payments", write(tmp_path, "2018-19", renamed, cut))

    assert (report.created, report.rejected) == (3, 0)
    assert "Same Day Access Fund (total 300.30)" in " ".join(report.notes)
    assert PracticePayment.objects.exclude(rurality="").count() == 3
    assert (
        list(PaymentLine.objects.filter(kind=PaymentLine.Kind.NOT_ITEMISED).values_list("amount", flat=True))
        == [Decimal("100.10")] * 3
    )
    assert len(report.warnings) == 3
    assert_lines_reconcile()
    assert report.reconciliation["england"]["portal_total"] == str(file_total(header, cut))


@pytest.mark.django_db
def test_2019_20_stores_pcn_participation_and_names_the_pcn_columns(tmp_path):
    header, rows = release("2019-20")
    cut = pick(header, rows, column="CCG Code", value="07M", n=3)
    report = import_reference("payments", write(tmp_path, "2019-20", header, cut))
    assert (report.created, report.rejected) == (3, 0)
    expected = sum((Decimal(value(header, r, "PCN Participation")) for r in cut), Decimal("0.00"))
    stored = PaymentLine.objects.filter(kind=PaymentLine.Kind.PCN_PARTICIPATION).aggregate(t=Sum("amount"))["t"]
    assert stored == expected
    assert "PCN Code" in " ".join(report.notes) and "PCN Name" in " ".join(report.notes)
    assert_lines_reconcile()
    assert [c["code"] for c in report.reconciliation["ccgs"]] == ["07M"]
    assert report.reconciliation["ccgs"][0]["difference"] == "0.00"


@pytest.mark.django_db
def test_a_rejected_row_shows_as_a_difference_to_the_penny(tmp_path):
    header, rows = release("2018-19")
    cut = pick(header, rows, column="CCG Code", value="06P", n=3)
    bad = list(cut[1])
    bad[[h.strip() for h in header].index("Global Sum")] = "lots"
    cut[1] = bad
    report = import_reference("payments", write(tmp_path, "2018-19", header, cut))
    assert report.rejected == 1
    ccg = report.reconciliation["ccgs"][0]
    missing = Decimal(value(header, bad, TOTAL))
    assert Decimal(ccg["file_total"]) == file_total(header, cut)
    assert Decimal(ccg["difference"]) == -missing
    assert report.reconciliation["reconciled"] is False


@pytest.mark.django_db
def test_the_run_page_shows_the_reconciliation_table(tmp_path, client, root):
    header, rows = release("2018-19")
    cut = pick(header, rows, column="CCG Code", value="06P", n=2)
    run = reference_import_create(dataset="payments", path=write(tmp_path, "2018-19", header, cut))
    reference_import_run(reference_import=run)
    run.refresh_from_db()
    assert run.outcome["reconciliation"]["england"]["difference"] == "0.00"
    client.force_login(root)
    page = client.get(run.get_absolute_url()).content.decode()
    assert 'id="reference-reconciliation"' in page
    assert "File total (£)" in page and "Difference (£)" in page
    total = file_total(header, cut)
    assert f"{total:,}" in page
    assert "Paid beside the total" not in page  # 2018-19 paid nothing beside its total
