"""The NHS Payments to General Practice import: the real 2018-19 file, and broken copies of it.

Facts checked come from the file's PROVENANCE.md or are counted from the file itself with the
csv module: 7,279 rows; 128,678 non-zero payment lines; £9,261,391,489.85 paid in total; every
practice's lines add up to its total, and NHS Digital's 'average payments per registered
patient' is its total over its registered patients rounded half up to the penny.
"""

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.db.models import Count

from commissioning.funding.models import PaymentLine, PracticePayment
from practices.models import CCG, Practice
from practices.reference import import_reference

FILE = Path(settings.BASE_DIR) / "data/reference/nhs-payments-to-general-practice/nhs-payments-gp-2018-19.csv"
ROWS = 7_279


def file_rows() -> list[dict]:
    with open(FILE, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def england(django_db_setup, django_db_blocker):
    """Every CCG and practice the file names, then the file imported twice; rolled back after the module."""
    rows = file_rows()
    with django_db_blocker.unblock(), transaction.atomic():
        ccgs = CCG.objects.bulk_create(
            CCG(ods_code=code, name=name) for code, name in sorted({(r["CCG Code"], r["CCG NAME"]) for r in rows})
        )
        by_code = {c.ods_code: c for c in ccgs}
        Practice.objects.bulk_create(
            Practice(ods_code=r["Practice Code"], name=r["Practice Name"][:200], ccg=by_code[r["CCG Code"]])
            for r in rows
        )
        first = import_reference("payments", FILE)
        histories = PracticePayment.history.count()
        second = import_reference("payments", FILE)
        yield {"first": first, "second": second, "histories": (histories, PracticePayment.history.count())}
        transaction.set_rollback(True)


@pytest.mark.slow
def test_the_real_file_imports_every_row(england, db):
    report = england["first"]
    assert (report.rows, report.created, report.rejected, report.skipped) == (ROWS, ROWS, 0, 0)
    assert PracticePayment.objects.filter(financial_year=2018).count() == ROWS
    assert PaymentLine.objects.count() == 128_678
    assert report.records["payment lines"]["created"] == 128_678


@pytest.mark.slow
def test_the_real_file_totals_match_the_file_to_the_penny(england, db):
    # Added up in Python: SQLite sums decimals as floats.
    total = sum(PracticePayment.objects.values_list("total_payments", flat=True))
    assert total == Decimal("9261391489.85")
    assert sum(PaymentLine.objects.values_list("amount", flat=True)) == total
    assert PracticePayment.objects.filter(net_payments=None).count() == 0


@pytest.mark.slow
def test_payments_per_registered_patient_equal_nhs_digitals_averages(england, db):
    published = {
        r["Practice Code"]: Decimal(r["Average payments per registered patient"])
        for r in file_rows()
        if Decimal(r["Number of Registered Patients (Last Known Figure)"]) > 0
    }
    ours = dict(
        PracticePayment.objects.filter(registered_patients__gt=0).values_list(
            "practice__ods_code", "per_registered_patient"
        )
    )
    assert ours == published
    assert PracticePayment.objects.filter(registered_patients=0, per_registered_patient__isnull=False).count() == 0


@pytest.mark.slow
def test_the_real_file_keeps_contract_types_and_ccgs(england, db):
    types = dict(PracticePayment.objects.values_list("contract_type").annotate(n=Count("pk")))
    assert types == {"GMS": 5_079, "PMS": 1_918, "APMS": 181, "": 101}  # 'UNKNOWN' is kept as not known
    assert PracticePayment.objects.filter(ccg__ods_code="06P").count() == 30
    first = PracticePayment.objects.get(practice__ods_code="A81001")
    assert (first.registered_patients, first.total_payments, first.deductions, first.net_payments) == (
        Decimal("4095.25"), Decimal("1323474.40"), Decimal("-63154.38"), Decimal("1260320.02"),
    )  # fmt: skip
    assert first.lines.get(kind=PaymentLine.Kind.GLOBAL_SUM).amount == Decimal("401441.99")
    assert first.dispensing is False and first.rurality == "Urban"


@pytest.mark.slow
def test_importing_the_real_file_again_changes_nothing(england, db):
    second = england["second"]
    assert (second.unchanged, second.created, second.updated) == (ROWS, 0, 0)
    assert not second.changed_anything
    before, after = england["histories"]
    assert before == after == ROWS
