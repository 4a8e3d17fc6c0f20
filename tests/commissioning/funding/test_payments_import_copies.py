"""The NHS Payments to General Practice import on small broken and changed copies of the file:
per-row errors by line and column, a missing column, headers renamed, a revised release."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from commissioning.funding.models import PaymentLine, PracticePayment
from commissioning.funding.payments_import import year_from_name
from practices.models import Practice, ReferenceImport
from practices.reference import ReferenceFileError, import_reference
from tests.factories import CCGFactory, PracticeFactory

# Broken and changed copies, on two practices

HEADER = (
    "CCG Code,CCG NAME,Practice Code,Practice Name,Contract Type,Dispensing Practice,"
    "Number of Registered Patients (Last Known Figure),Global Sum,Total QOF Payments,Premises Payments,"
    'Total NHS Payments to General Practice,"Deductions for Pensions, Levies and Prescription Charge Income"'
)


@pytest.fixture
def two_practices(db):
    luton = CCGFactory(ods_code="06P", name="NHS Luton CCG")
    return [PracticeFactory(ods_code=code, ccg=luton) for code in ("E81001", "E81002")]


def write(tmp_path, lines, name="nhs-payments-gp-2018-19.csv", *, bom=False, newline="\r\n") -> Path:
    path = tmp_path / name
    path.write_bytes(("\ufeff" if bom else "").encode() + newline.join(lines).encode())
    return path


GOOD = [
    HEADER,
    "06P,NHS LUTON CCG,E81001,THE MEDICAL CENTRE,GMS,No,9500,700000.00,100000.50,50000,850000.50,-40000",
    "06P,NHS LUTON CCG,E81002,HIGH STREET SURGERY,PMS,Yes,4000.5,300000,0,0,300000,-10000.25",
]


def test_a_clean_copy_imports_lines_totals_and_per_patient(two_practices, tmp_path):
    report = import_reference("payments", write(tmp_path, GOOD))
    assert (report.created, report.rejected) == (2, 0)
    payment = PracticePayment.objects.get(practice__ods_code="E81001")
    assert payment.financial_year == 2018 and payment.year_label == "2018/19"
    assert payment.per_registered_patient == Decimal("89.47")  # 850,000.50 / 9,500 = 89.4737
    assert payment.net_payments == Decimal("810000.50")
    assert dict(payment.lines.values_list("kind", "amount")) == {
        "global_sum": Decimal("700000.00"), "qof": Decimal("100000.50"), "premises": Decimal("50000.00"),
    }  # fmt: skip
    other = PracticePayment.objects.get(practice__ods_code="E81002")
    assert (other.contract_type, other.dispensing, other.registered_patients) == ("PMS", True, Decimal("4000.50"))
    assert list(other.lines.values_list("kind", flat=True)) == ["global_sum"]  # zero lines are not stored
    assert any("no column for" in note for note in report.notes)


def test_bad_rows_are_rejected_by_line_and_column_and_the_rest_imported(two_practices, tmp_path):
    lines = [
        *GOOD,
        "06P,NHS LUTON CCG,E81003,NOT IN THE PORTAL,GMS,No,100,1,0,0,1,0",
        "06P,NHS LUTON CCG,E81001,THE MEDICAL CENTRE AGAIN,GMS,No,9500,1,0,0,1,0",
        "06P,NHS LUTON CCG,E81002,HIGH STREET SURGERY,GMS,No,4000,lots,0,0,300000,0",
        "99X,NHS NOWHERE CCG,E81002,HIGH STREET SURGERY,GMS,No,4000,1,0,0,1,0",
        "06P,NHS LUTON CCG,E81002,HIGH STREET SURGERY,GMS,No,,1,0,0,1,0",
    ]
    report = import_reference("payments", write(tmp_path, lines))
    reasons = {r.line: r.reason for r in report.rejections}
    assert report.created == 3  # lines 2, 3 and 4; each bad row is left out on its own
    assert 4 not in reasons  # a practice the portal lacks is created as the file names it
    assert Practice.objects.get(ods_code="E81003").name == "NOT IN THE PORTAL"
    assert "E81001 has a second row for 2018/19 (first on line 2)" in reasons[5]
    assert reasons[6] == "Global Sum 'lots' is not an amount in pounds"
    assert "E81002 has a second row for 2018/19 (first on line 3)" in reasons[7]
    assert reasons[8] == "Number of Registered Patients (Last Known Figure) is empty"


def test_a_file_missing_a_required_column_names_it_and_changes_nothing(two_practices, tmp_path):
    lines = [line.rsplit(",", 2)[0] if i else HEADER.replace(",Total NHS Payments to General Practice", "")
             for i, line in enumerate(GOOD)]  # fmt: skip
    with pytest.raises(ReferenceFileError, match="has no TOTAL_PAYMENTS column"):
        import_reference("payments", write(tmp_path, lines))
    assert not PracticePayment.objects.exists()


def test_a_file_that_does_not_say_its_year_is_refused(two_practices, tmp_path):
    with pytest.raises(ReferenceFileError, match="which financial year"):
        import_reference("payments", write(tmp_path, GOOD, name="payments.csv"))


@pytest.mark.parametrize(("name", "year"), [("18-19.csv", 2018), ("nhs-payments-gp-2019-20.csv", 2019),
                                            ("payments_201718.csv", 2017), ("2018.csv", None)])  # fmt: skip
def test_the_year_comes_from_the_file_name(name, year):
    assert year_from_name(name) == year


def test_renamed_lower_case_headers_with_a_bom_and_lf_import_identically(two_practices, tmp_path):
    renamed = [
        "ccg_code,ccg name,PRACTICE_CODE,practice name,contract type,dispensing practice,"
        "number of registered patients,global sum,qof payments,premises,total nhs payments,deductions,"
        "financial year",
        *(line + ",2018/19" for line in GOOD[1:]),
    ]
    report = import_reference("payments", write(tmp_path, renamed, name="payments.csv", bom=True, newline="\n"))
    assert (report.created, report.rejected) == (2, 0)
    assert PracticePayment.objects.get(practice__ods_code="E81001").lines.count() == 3


def test_a_revised_file_updates_amounts_and_drops_lines_now_zero(two_practices, tmp_path):
    import_reference("payments", write(tmp_path, GOOD))
    revised = [GOOD[0], GOOD[1].replace(",50000,850000.50,", ",0,800000.50,"), GOOD[2]]
    report = import_reference("payments", write(tmp_path, revised))
    assert (report.updated, report.unchanged) == (1, 1)
    payment = PracticePayment.objects.get(practice__ods_code="E81001")
    assert payment.total_payments == Decimal("800000.50")
    assert not payment.lines.filter(kind="premises").exists()
    assert payment.history.count() == 2


def test_a_dry_run_reports_and_writes_nothing(two_practices, tmp_path):
    report = import_reference("payments", write(tmp_path, GOOD), dry_run=True)
    assert report.created == 2 and "Dry run" in report.summary()
    assert not PracticePayment.objects.exists() and not PaymentLine.objects.exists()


def test_only_ccgs_skips_the_other_ccgs_rows(two_practices, tmp_path):
    report = import_reference("payments", write(tmp_path, GOOD), only_ccgs={"06A"})
    assert (report.skipped, report.created) == (2, 0)


@pytest.mark.django_db
def test_the_command_imports_payments_and_keeps_the_run(two_practices, tmp_path, capsys):
    call_command("import_reference", "payments", str(write(tmp_path, GOOD)))
    run = ReferenceImport.objects.get()
    assert (run.dataset, run.status, run.created) == ("payments", ReferenceImport.Status.DONE, 2)
    assert run.get_dataset_display() == "NHS Payments to General Practice"
    assert "2 created" in capsys.readouterr().out
