"""NHS Payments to General Practice, England: what each practice was paid in one financial year.

One ``PracticePayment`` per practice and year (contract type, registered and weighted
patients, totals) and one ``PaymentLine`` per non-zero payment line (global sum, QOF, each
enhanced service, premises, ...). NHS Digital's releases rename, add and drop columns from
year to year, so every column is matched by name and alias and only the practice code, CCG
code, registered patients and total payments are required; a line the file lacks is simply
not stored. The year comes from a Financial Year column if the file has one, else from the
file name (``nhs-payments-gp-2018-19.csv`` or ``18-19.csv`` is 2018/19).

Practices and CCGs must already be in the portal (epraccur or qof-organisations first);
rows of others are rejected with their line number, as are rows with a value that is not an
amount. Running the same file again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from commissioning.funding.models import PaymentLine, PracticePayment
from portal.money import to_decimal, to_pence
from portal.periods import FinancialYear
from practices.models import CCG, ListSize, Practice

from .base import Importer, RowError
from .columns import Column, ReferenceFileError, Row, Table, read_table
from .list_sizes import list_size_sync
from .sync import BATCH_SIZE, ModelSync

Kind = PaymentLine.Kind

# (kind, column as NHS Digital 2018-19 spells it, other spellings of other releases)
LINES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (Kind.GLOBAL_SUM, "Global Sum", ()),
    (Kind.MPIG, "MPIG Correction factor", ("MPIG", "MPIG Correction Factor Payments")),
    (Kind.PMS_BALANCE, "Balance of PMS Expenditure", ("PMS Balance",)),
    (Kind.QOF, "Total QOF Payments", ("QOF Payments", "QOF")),
    (Kind.CHILDHOOD_IMMUNISATION, "Childhood Vaccination and Immunisation Scheme", ("Childhood Immunisation",)),
    (Kind.EXTENDED_HOURS, "GP Extended Hours Access", ("Extended Hours Access",)),
    (Kind.FLU_PNEUMOCOCCAL, "Influenza and Pneumococcal Immunisations", ()),
    (Kind.LEARNING_DISABILITIES, "Learning Disabilities", ("Learning Disabilities Health Check",)),
    (Kind.MENINGITIS, "Meningitis", ()),
    (Kind.MINOR_SURGERY, "Minor Surgery", ()),
    (Kind.OUT_OF_AREA, "Out Of Area in Hours Urgent Care", ()),
    (Kind.PERTUSSIS, "Pertussis", ()),
    (Kind.ROTAVIRUS_SHINGLES, "Rotavirus and Shingles Immunisation", ()),
    (Kind.VIOLENT_PATIENTS, "Services for Violent Patients", ()),
    (Kind.LOCAL_INCENTIVES, "Total Local Incentive Schemes", ("Local Incentive Schemes",)),
    (Kind.PREMISES, "Premises Payments", ("Premises",)),
    (Kind.SENIORITY, "Seniority", ()),
    (Kind.RETAINER, "Doctors Retainer Scheme Payments", ("Doctors Retainer Scheme",)),
    (Kind.LOCUM, "Total Locum Allowances", ("Locum Allowances",)),
    (Kind.APPRAISAL, "Appraisal Costs", ("Appraisal",)),
    (Kind.STUDY_LEAVE, "Prolonged Study Leave", ()),
    (Kind.PCO_ADMIN, "PCO Admin Other", ("Other PCO Admin",)),
    (Kind.IM_AND_T, "Information Management and Technology", ("IM&T",)),
    (
        Kind.NON_DES_IMMUNISATION,
        "Non DES Item Pneumococcal Vaccine, Childhood Immunisation Main Programme",
        ("Non DES Item Pneumococcal Vaccine",),
    ),
    (Kind.GPFV, "General Practice Forward View", ("GPFV",)),
    (Kind.PRESCRIBING_FEES, "Prescribing Fee Payments", ()),
    (Kind.DISPENSING_FEES, "Dispensing Fee Payments", ()),
    (Kind.DRUG_REIMBURSEMENT, "Reimbursement of Drugs", ()),
    (Kind.OTHER, "Other Payments", ()),
)
LINE_COLUMNS = {str(kind): f"LINE_{kind}".upper() for kind, _, _ in LINES}

CONTRACT_TYPES = {t.value for t in Practice.ContractType if t.value}
NOT_KNOWN = {"", "UNKNOWN", "MISSING", "NOT KNOWN", "N/A"}
YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d{2}|\d{2})[-_ ]?(\d{2})(?!\d)")


def year_from_name(file_name: str) -> int | None:
    """2018 from '...-2018-19.csv', '18-19.csv' or '201819.csv'; None if the name gives none."""
    for first, second in YEAR_IN_NAME.findall(file_name):
        start = int(first) if len(first) == 4 else 2000 + int(first)
        if int(second) == (start + 1) % 100:
            return start
    return None


def source_for(start_year: int) -> str:
    return f"NHS Digital, NHS Payments to General Practice, England, {FinancialYear(start_year)}"


class PaymentsImporter(Importer):
    dataset = "payments"
    description = "NHS Payments to General Practice, England (one financial year's practice-level CSV)"
    columns = [
        Column("PRACTICE_CODE", ("CODE", "PRAC_CODE", "PRACTICE")),
        Column("CCG_CODE", ("SUB_ICB_LOCATION_CODE", "COMMISSIONER_CODE", "CCG")),
        Column(
            "REGISTERED_PATIENTS",
            (
                "Number of Registered Patients (Last Known Figure)",
                "Number of Registered Patients",
                "Average Number of Registered Patients",
            ),
        ),
        Column("TOTAL_PAYMENTS", ("Total NHS Payments to General Practice", "Total NHS Payments")),
        Column(
            "WEIGHTED_PATIENTS",
            (
                "Number of Weighted Patients (Last Known Figure)",
                "Number of Weighted Patients",
                "Average Number of Weighted Patients",
            ),
            required=False,
        ),  # fmt: skip
        Column(
            "DEDUCTIONS",
            ("Deductions for Pensions, Levies and Prescription Charge Income", "Deductions"),
            required=False,
        ),
        Column(
            "NET_PAYMENTS",
            ("Total NHS Payments to General Practice Minus Deductions", "Total NHS Payments Minus Deductions"),
            required=False,
        ),
        Column("CONTRACT_TYPE", ("Contract",), required=False),
        Column("DISPENSING", ("Dispensing Practice",), required=False),
        Column("RURALITY", ("Practice Rurality",), required=False),
        Column("FINANCIAL_YEAR", ("Year", "Financial Year"), required=False),
        *(Column(LINE_COLUMNS[str(kind)], (heading, *aliases), required=False) for kind, heading, aliases in LINES),
    ]

    def read(self, path: Path) -> Table:
        table = read_table(path, self.columns)
        self.file_year = year_from_name(Path(path).name)
        if self.file_year is None and "FINANCIAL_YEAR" not in table.headings:
            raise ReferenceFileError(
                f"{Path(path).name} does not say which financial year it covers: name it like "
                "nhs-payments-gp-2018-19.csv, or add a Financial Year column."
            )
        return table

    def value_amount(self, row: Row, column: str, *, required: bool = False) -> Decimal:
        """Pounds and pence as written ('401441.99', '-63154.38', '£1,234'); blank is £0 unless required."""
        text = row[column]
        if not text:
            if required:
                raise RowError(f"{self.heading(column)} is empty")
            return Decimal("0.00")
        try:
            return to_pence(text)
        except ValueError:
            raise RowError(f"{self.heading(column)} '{text}' is not an amount in pounds") from None

    def value_patients(self, row: Row, column: str, *, required: bool) -> Decimal | None:
        text = row[column]
        if not text:
            if required:
                raise RowError(f"{self.heading(column)} is empty")
            return None
        try:
            value = to_decimal(text).quantize(Decimal("0.000001"))
        except ValueError:
            raise RowError(f"{self.heading(column)} '{text}' is not a number of patients") from None
        if value < 0:
            raise RowError(f"{self.heading(column)} '{text}' is below zero")
        return value

    def value_year(self, row: Row) -> int:
        text = row["FINANCIAL_YEAR"]
        if not text:
            if self.file_year is None:
                raise RowError(f"{self.heading('FINANCIAL_YEAR')} is empty")
            return self.file_year
        try:
            return FinancialYear.parse(text.replace(" ", "")).start_year
        except ValueError:
            raise RowError(
                f"{self.heading('FINANCIAL_YEAR')} '{text}' is not a financial year such as 2018/19"
            ) from None

    def run(self, table: Table) -> None:
        self.table = table
        report = self.report
        practices = {
            code: (pk, ccg_code)
            for code, pk, ccg_code in Practice.objects.values_list("ods_code", "pk", "ccg__ods_code")
        }
        ccgs = dict(CCG.objects.values_list("ods_code", "pk"))
        missing = [heading for kind, heading, _ in LINES if LINE_COLUMNS[str(kind)] not in table.headings]
        if missing:
            report.notes.append(f"The file has no column for: {', '.join(missing)}; those lines are not stored.")

        parsed: list[tuple[Row, int, dict, dict[str, Decimal]]] = []
        seen: dict[tuple[int, int], int] = {}
        for row in table.rows:
            code = row["PRACTICE_CODE"].upper()
            known = practices.get(code)
            if not self.in_scope(row["CCG_CODE"].upper(), known[1] if known else ""):
                report.count("skipped")
                continue
            try:
                values, lines = self.parse_row(row, practices, ccgs)
            except RowError as exc:
                report.reject(row.line, str(exc))
                continue
            key = (values["practice_id"], values["financial_year"])
            if key in seen:
                report.reject(
                    row.line,
                    f"{code} has a second row for {FinancialYear(key[1])} (first on line {seen[key]})",
                )
                continue
            seen[key] = row.line
            parsed.append((row, key, values, lines))

        years = {key[1] for _, key, _, _ in parsed}
        payments = ModelSync(
            PracticePayment, "practice payments",
            ["ccg", "contract_type", "dispensing", "rurality", "registered_patients", "weighted_patients",
             "total_payments", "deductions", "net_payments", "per_registered_patient", "source"],
            PracticePayment.objects.filter(financial_year__in=years),
            key=lambda p: (p.practice_id, p.financial_year),
        )  # fmt: skip
        outcomes = {}
        for _row, key, values, _lines in parsed:
            payment = payments.get_or_add(key, **values)
            payment.compute_per_patient()
            outcomes[key] = payments.outcome(payment)
        self.write(payments)

        ids = dict(
            ((practice_id, year), pk)
            for practice_id, year, pk in PracticePayment.objects.filter(financial_year__in=years).values_list(
                "practice_id", "financial_year", "pk"
            )
        )
        changed_lines = self.write_lines({ids[key]: lines for _row, key, _values, lines in parsed}, years)
        for _row, key, _values, _lines in parsed:
            outcome = outcomes[key]
            if outcome == "unchanged" and ids[key] in changed_lines:
                outcome = "updated"
            report.count(outcome)

    def parse_row(self, row: Row, practices: dict, ccgs: dict) -> tuple[dict, dict[str, Decimal]]:
        code = self.value_practice_code(row, "PRACTICE_CODE")
        ccg_code = self.value_ccg_code(row, "CCG_CODE")
        year = self.value_year(row)
        registered = self.value_patients(row, "REGISTERED_PATIENTS", required=True)
        weighted = self.value_patients(row, "WEIGHTED_PATIENTS", required=False)
        total = self.value_amount(row, "TOTAL_PAYMENTS", required=True)
        deductions = self.value_amount(row, "DEDUCTIONS")
        net = self.value_amount(row, "NET_PAYMENTS") if row["NET_PAYMENTS"] else total + deductions
        lines = {}
        for kind, _heading, _aliases in LINES:
            amount = self.value_amount(row, LINE_COLUMNS[str(kind)])
            if amount:
                lines[str(kind)] = amount
        known = practices.get(code)
        if known is None:
            raise RowError(f"{self.heading('PRACTICE_CODE')} {code} is not in the portal: import epraccur first")
        if ccg_code not in ccgs:
            raise RowError(
                f"{self.heading('CCG_CODE')} {ccg_code} is not in the portal: import qof-organisations first"
            )
        contract = row["CONTRACT_TYPE"].upper()
        if contract in NOT_KNOWN:
            contract = ""
        elif contract not in CONTRACT_TYPES:
            self.report.warn(row.line, f"{self.heading('CONTRACT_TYPE')} '{row['CONTRACT_TYPE']}' is not GMS, PMS or "
                                       "APMS; imported as not known")  # fmt: skip
            contract = ""
        dispensing = {"YES": True, "Y": True, "NO": False, "N": False}.get(row["DISPENSING"].upper())
        rurality = "" if row["RURALITY"].upper() in NOT_KNOWN else row["RURALITY"][:30]
        values = {
            "practice_id": known[0],
            "financial_year": year,
            "ccg_id": ccgs[ccg_code],
            "contract_type": contract,
            "dispensing": dispensing,
            "rurality": rurality,
            "registered_patients": registered,
            "weighted_patients": weighted,
            "total_payments": total,
            "deductions": deductions,
            "net_payments": net,
            "source": source_for(year),
        }
        return values, lines

    def write_lines(self, wanted: dict[int, dict[str, Decimal]], years: set[int]) -> set[int]:
        """Bring the lines of these payments to ``wanted``; return the ids of payments whose lines changed."""
        existing: dict[tuple[int, str], tuple[int, Decimal]] = {
            (payment_id, kind): (pk, amount)
            for pk, payment_id, kind, amount in PaymentLine.objects.filter(payment_id__in=list(wanted)).values_list(
                "pk", "payment_id", "kind", "amount"
            )
        } if wanted else {}  # fmt: skip
        new, changed, gone, touched = [], [], [], set()
        for payment_id, lines in wanted.items():
            for kind, amount in lines.items():
                current = existing.get((payment_id, kind))
                if current is None:
                    new.append(PaymentLine(payment_id=payment_id, kind=kind, amount=amount))
                    touched.add(payment_id)
                elif current[1] != amount:
                    changed.append(PaymentLine(pk=current[0], payment_id=payment_id, kind=kind, amount=amount))
                    touched.add(payment_id)
        for (payment_id, kind), (pk, _amount) in existing.items():
            if kind not in wanted.get(payment_id, {}):
                gone.append(pk)
                touched.add(payment_id)
        PaymentLine.objects.bulk_create(new, batch_size=BATCH_SIZE)
        PaymentLine.objects.bulk_update(changed, ["amount"], batch_size=BATCH_SIZE)
        for start in range(0, len(gone), BATCH_SIZE):
            PaymentLine.objects.filter(pk__in=gone[start : start + BATCH_SIZE]).delete()
        counts = self.report.records["payment lines"]
        counts["created"] += len(new)
        counts["updated"] += len(changed) + len(gone)
        return touched


# The first day of the quarter whose patient count a payments row gives ("Quarter used for
# patient data"), as a month of the financial year's first (Q1-Q3) or second (Q4) calendar year.
QUARTER_MONTHS = {"Q1": (0, 4), "Q2": (0, 7), "Q3": (0, 10), "Q4": (1, 1)}
DEFAULT_QUARTER = "Q4"


def list_size_date(start_year: int, quarter: str = DEFAULT_QUARTER) -> dt.date:
    """The count date of a payments file's registered patients: 1 January 2017 for 2016/17 Q4."""
    years_on, month = QUARTER_MONTHS[quarter]
    return dt.date(start_year + years_on, month, 1)


def list_size_source(start_year: int) -> str:
    return f"{source_for(start_year)}, registered patients (last known figure)"


class PaymentsListSizeImporter(PaymentsImporter):
    """The registered patients of a payments file as list sizes, without its payments.

    "Number of Registered Patients (Last Known Figure)" is the count of the quarter the row
    names in "Quarter used for patient data" (2016-17), else of Q4, the last quarter of the
    year: dated the first day of that quarter. Fractional counts (4,095.25) are rounded to
    the nearest patient. Practices the portal lacks are skipped.
    """

    dataset = "payments-list-sizes"
    description = "Registered patients of NHS Payments to General Practice (one financial year's CSV)"
    columns = [
        Column("PRACTICE_CODE", ("CODE", "PRAC_CODE", "PRACTICE")),
        Column("CCG_CODE", ("SUB_ICB_LOCATION_CODE", "COMMISSIONER_CODE", "CCG"), required=False),
        PaymentsImporter.columns[2],
        Column("QUARTER", ("Quarter used for patient data",), required=False),
        Column("FINANCIAL_YEAR", ("Year", "Financial Year"), required=False),
    ]

    def run(self, table: Table) -> None:
        self.table = table
        report = self.report
        practices = {
            code: (pk, ccg_code)
            for code, pk, ccg_code in Practice.objects.values_list("ods_code", "pk", "ccg__ods_code")
        }
        parsed = []
        for row in table.rows:
            code = row["PRACTICE_CODE"].upper()
            known = practices.get(code)
            if known is None or not self.in_scope(row["CCG_CODE"].upper(), known[1]):
                report.count("skipped")
                continue
            quarter = row["QUARTER"].upper() or DEFAULT_QUARTER
            if quarter not in QUARTER_MONTHS:
                report.warn(row.line, f"{code}: {self.heading('QUARTER')} is '{row['QUARTER']}', no quarter; skipped")
                report.count("skipped")
                continue
            try:
                year = self.value_year(row)
                patients = self.value_patients(row, "REGISTERED_PATIENTS", required=True)
            except RowError as exc:
                report.reject(row.line, str(exc))
                continue
            parsed.append((known[0], list_size_date(year, quarter), int(patients.to_integral_value(ROUND_HALF_UP)),
                           list_size_source(year), row.line))  # fmt: skip
        sizes = list_size_sync({p[1] for p in parsed}, {p[3] for p in parsed})
        seen: dict[tuple, int] = {}
        for practice_id, on, patients, source, line in parsed:
            key = (practice_id, on, ListSize.Sex.ALL, ListSize.ALL_AGES, source)
            if key in seen:
                report.reject(line, f"a second figure for the same practice and date (first on line {seen[key]})")
                continue
            seen[key] = line
            size = sizes.get_or_add(
                key, practice_id=practice_id, extract_date=on, sex=ListSize.Sex.ALL, age_band=ListSize.ALL_AGES,
                patients=patients, source=source, source_file=report.file_name,
            )  # fmt: skip
            report.count(sizes.outcome(size))
        self.write(sizes)
