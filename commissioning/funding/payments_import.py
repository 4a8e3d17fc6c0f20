"""NHS Payments to General Practice, England: what each practice was paid in one financial year.

One ``PracticePayment`` per practice and year (contract type, registered and weighted
patients, totals) and one ``PaymentLine`` per non-zero payment line (global sum, QOF, each
enhanced service, premises, ...). NHS Digital's releases rename, add and drop columns from
year to year (2016-17 writes ``Doctors.Retainer.Scheme.Payments`` and ``PracticeType``,
2019-20 adds PCN columns and "PCN Participation"), so every column is matched by name and
alias, never by file name, and only the practice code, CCG code, registered patients and
total payments are required; a line the file lacks is simply not stored. The year comes
from a Financial Year column if the file has one, else from the file name.

Lines and totals. Every money column between the patient counts and "Total NHS Payments to
General Practice" is a component, none a subtotal: in each of the 2016-17, 2018-19 and
2019-20 files the components add up to the total to the penny on every row (checked with
pandas; "Total National Enhanced Services" and "Total Local Enhanced Services" of 2016-17
are lines of their own, not sums of the enhanced-service columns beside them). So each is
stored as a line, and a page may add a practice's lines to get its total without counting
anything twice. The releases outside ``../shared`` were checked the same way on cuts shipped
in tests/practices/releases: 2015-16's "Total Local Enhanced Services" is the sum of the two
columns beside it (LocalEnhancedServices_NHAIS_ and _ISFE_), so those two are named as not
imported; 2017-18's components add up; from 2020-21 the PCN and COVID-19 columns after the
total are paid beside it (the total plus them is the release's "Total NHS Payments including
..."), stored as lines of ``PaymentLine.BESIDE_TOTAL`` and never counted in it, as is 2022-23's
"PCN Enhanced Access" (the Enhanced Access service PCNs took over in October 2022). 2014-15 gives whole pounds, each
column rounded on its own: a row's lines miss its total by up to 50p a line, stored as a
``not_itemised`` line and said once in the notes. 2022-23 is recognised by its "Sub ICB NAME"
column: its "CCG Code" gives sub-ICB location codes (they kept their CCGs' codes), stored
under the CCG of that code, and its "CCG NAME" is the PCN's name, never read as the CCG's. If a row's
known lines do not add up to its total (a column this import does not know), the difference
is stored as a ``not_itemised`` line and the row is warned about, so that lines still
reconcile to the total; unknown columns are named, with their totals, in the report's notes.

Organisations as they were. A row whose CCG the portal lacks creates that CCG from the
file's own CCG code and name (a CCG that an earlier import named only by its code gets the
file's name), and a practice the portal lacks is created from the file's code, name,
postcode, dates and "Practice Type" (walk-in centres as such, ``Practice.setting``). Each
practice gets a CCG membership of the file's CCG for the file's financial year unless one
already covers it. The report says which CCGs and practices were created.

Reconciliation. Each import writes ``report.reconciliation``: the file's "Total NHS
Payments" per CCG and for England against the portal's stored practice totals and lines
for the same CCGs and years, and the file's totals per practice type. Rows with a value that
is not an amount are rejected with their line number, and show as a difference. Running the
same file again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db.models import Sum

from portal.money import to_decimal, to_pence
from portal.periods import FinancialYear
from practices.models import CCG, CCGMembership, ListSize, Practice
from practices.reference.base import Importer, RowError, file_headers, load_ccgs, load_practices
from practices.reference.columns import Column, ReferenceFileError, Row, Table, normalise_header, read_table
from practices.reference.list_sizes import list_size_sync
from practices.reference.sync import BATCH_SIZE, ModelSync

from .models import PaymentLine, PracticePayment

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
    # 2022-23 renamed it, in the same place among the lines: the same stream.
    (Kind.APPRAISAL, "Appraisal Costs", ("Appraisal", "Appraisal - Appraiser Costs in Respect of Locums")),
    (Kind.STUDY_LEAVE, "Prolonged Study Leave", ()),
    (Kind.PCO_ADMIN, "PCO Admin Other", ("Other PCO Admin",)),
    (Kind.IM_AND_T, "Information Management and Technology", ("IM&T",)),
    (
        Kind.NON_DES_IMMUNISATION,
        "Non DES Item Pneumococcal Vaccine, Childhood Immunisation Main Programme",
        ("Non DES Item Pneumococcal Vaccine",),
    ),
    # 2021-22 renamed the GP Forward View line "General Practice Transformation": the same stream.
    (Kind.GPFV, "General Practice Forward View", ("GPFV", "General Practice Transformation")),
    (Kind.PRESCRIBING_FEES, "Prescribing Fee Payments", ()),
    (Kind.DISPENSING_FEES, "Dispensing Fee Payments", ()),
    (Kind.DRUG_REIMBURSEMENT, "Reimbursement of Drugs", ()),
    (Kind.OTHER, "Other Payments", ()),
    (Kind.DEMENTIA, "Facilitating Timely Diagnosis and Support for People with Dementia", ("Dementia",)),
    (Kind.UNPLANNED_ADMISSIONS, "Unplanned Admissions", ()),
    (Kind.NATIONAL_ENHANCED, "Total National Enhanced Services", ("National Enhanced Services",)),
    (Kind.LOCAL_ENHANCED, "Total Local Enhanced Services", ("Local Enhanced Services",)),
    (Kind.PCN_PARTICIPATION, "PCN Participation", ("Network Participation Payment",)),
    # 2015-16's enhanced services
    (Kind.ALCOHOL, "Alcohol", ()),
    (Kind.PATIENT_ONLINE, "Improving Patient Online Access", ()),
    (Kind.PATIENT_PARTICIPATION, "Patient Participation", ()),
    (Kind.REMOTE_CARE, "Remote Care Monitoring", ()),
    (Kind.RISK_PROFILING, "Risk Profiling and Case Management", ()),
    # 2021-22's
    (Kind.MEDICAL_ASSESSMENT, "Medical Assessment Reviews", ()),
    (Kind.WEIGHT_MANAGEMENT, "Weight Management Service", ()),
    (Kind.WINTER_ACCESS, "Winter Access Fund", ()),
)
# Paid beside "Total NHS Payments to General Practice" (2020-21 on): stored as lines, never
# counted towards the total nor against it.
BESIDE_LINES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (Kind.PCN_LEADERSHIP, "PCN Leadership", ()),
    (Kind.PCN_SUPPORT, "PCN Support", ()),
    (Kind.PCN_EXTENDED_HOURS, "PCN Extended Hours Access", ()),
    (Kind.PCN_WORKFORCE, "PCN Workforce", ()),
    (Kind.PCN_INVESTMENT_IMPACT, "PCN Investment and Impact Fund", ()),
    (Kind.PCN_CARE_HOME, "PCN Care Home Premium", ()),
    (Kind.COVID_IMMUNISATION, "Covid Immunisation", ()),
    (Kind.COVID_SUPPORT, "Covid Support and Expansion", ()),
    (Kind.LONG_COVID, "Long Covid", ()),
    (Kind.PCN_ENHANCED_ACCESS, "PCN Enhanced Access", ()),
)
LINE_COLUMNS = {str(kind): f"LINE_{kind}".upper() for kind, _, _ in (*LINES, *BESIDE_LINES)}

BESIDE_COLUMNS = tuple(LINE_COLUMNS[str(kind)] for kind, _, _ in BESIDE_LINES)

CONTRACT_TYPES = {t.value for t in Practice.ContractType if t.value}
NOT_KNOWN = {"", "UNKNOWN", "MISSING", "NOT KNOWN", "N/A"}
#: How 2014-15 writes a date it does not give.
NO_DATE = {"-"}
YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d{2}|\d{2})[-_ ]?(\d{2})(?!\d)")


def year_from_name(file_name: str) -> int | None:
    """2018 from '...-2018-19.csv', '18-19.csv' or '201819.csv'; None if the name gives none."""
    for first, second in YEAR_IN_NAME.findall(file_name):
        start = int(first) if len(first) == 4 else 2000 + int(first)
        if int(second) == (start + 1) % 100:
            return start
    return None


#: 2022-23 (the first release of the ICB era) keeps the heading "CCG Code" for the sub-ICB
#: location code (16C, D2P2L: they kept their CCGs' codes), names it in "Sub ICB NAME"
#: ("NHS BLACK COUNTRY ICB - D2P2L"), and puts the PCN code and name under "Code" and
#: "CCG NAME". A file with a "Sub ICB NAME" column is read that way, whatever its name.
SUB_ICB_NAME = ("Sub ICB NAME", "Sub ICB Location Name")
SUB_ICB_PCN_COLUMNS = ("Code", "CCG NAME")


def sub_icb_layout(headings) -> bool:
    have = {normalise_header(h) for h in headings}
    return any(normalise_header(h) in have for h in SUB_ICB_NAME)


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
        Column("RURALITY", ("Practice Rurality", "PracticeRurality"), required=False),
        Column("CCG_NAME", ("CCG NAME", "Commissioner Name"), required=False),
        Column("PRACTICE_NAME", ("Practice Name",), required=False),
        Column("PRACTICE_POSTCODE", ("Practice Postcode", "Postcode"), required=False),
        Column("PRACTICE_TYPE", ("Practice Type", "PracticeType"), required=False),
        Column("OPEN_DATE", ("Practice Open Date",), required=False),
        Column("CLOSE_DATE", ("Practice Close Date",), required=False),
        Column("FINANCIAL_YEAR", ("Year", "Financial Year"), required=False),
        *(
            Column(LINE_COLUMNS[str(kind)], (heading, *aliases), required=False)
            for kind, heading, aliases in (*LINES, *BESIDE_LINES)
        ),
    ]

    not_imported = (
        *SUB_ICB_PCN_COLUMNS,
        "NHS England (Region) code", "NHS England (Region) Name", "Practice Address", "Atypical Characteristics",
        "AtypicalCharacteristics", "Average payments per registered patient", "Average payments per weighted patient",
        "Quarter used for patient data", "PCN Code", "PCN Name",
        # 2015-16: the two parts of "Total Local Enhanced Services", which is imported
        "LocalEnhancedServices_NHAIS_", "LocalEnhancedServices_ISFE_",
        # 2020-21 and 2021-22: the total with the lines paid beside it, and averages of those
        "Total NHS Payments including covid vaccination and covid support and expansion payments",
        "Total NHS Payments including PCN Workforce, Leadership and Support",
        "Total NHS Payments to General Practice including covid vaccination, covid support and long covid payments",
        "Total NHS Payments to General Practice including Covid and PCN payments",
        "Total NHS Payments to General Practice including Covid and PCN payments minus deductions",
        "Average payments per registered patient including PCN Workforce, Leadership and Support",
        "Average payments per weighted patient including PCN Workforce, Leadership and Support",
        "Average payments per registered patient including covid vaccination and covid support and expansion payments",
        "Average payments per weighted patient including covid vaccination and covid support and expansion payments",
        "Average payments per registered patient including covid vaccination, covid support and long covid payments",
        "Average payments per weighted patient including covid vaccination, covid support and long covid payments",
    )  # fmt: skip

    def read(self, path: Path) -> Table:
        self.sub_icb = sub_icb_layout(file_headers(Path(path)))
        columns = self.columns
        if self.sub_icb:  # its "CCG NAME" is the PCN's: read the sub-ICB location's name instead
            columns = [Column("SUB_ICB_NAME", SUB_ICB_NAME) if c.name == "CCG_NAME" else c for c in columns]
        table = read_table(path, columns)
        if self.sub_icb:
            table.headings["CCG_NAME"] = table.headings.pop("SUB_ICB_NAME")
            for row in table.rows:
                row.values["CCG_NAME"] = row.values.pop("SUB_ICB_NAME")
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

    def note_layout(self) -> None:
        if getattr(self, "sub_icb", False):
            self.report.notes.append(
                f"Recognised by its columns as a release of the ICB era (2022-23 on): {self.heading('CCG_CODE')} gives "
                f"sub-ICB location codes, which kept their CCGs' codes, so each row is stored under the CCG of that "
                f"code, named as {self.heading('CCG_NAME')} names it if the portal lacks it; "
                f"{' and '.join(SUB_ICB_PCN_COLUMNS)} are the PCN's code and name."
            )

    def run(self, table: Table) -> None:
        self.table = table
        report = self.report
        self.note_layout()
        self.note_columns(table)
        missing = [heading for kind, heading, _ in LINES if LINE_COLUMNS[str(kind)] not in table.headings]
        if missing:
            report.notes.append(f"The file has no column for: {', '.join(missing)}; those lines are not stored.")
        organisations = Organisations(self)
        file_totals = FileTotals()
        self.rounding: list[Decimal] = []

        parsed: list[tuple[Row, tuple[str, int], dict, dict[str, Decimal], Practice, CCG]] = []
        seen: dict[tuple[str, int], int] = {}
        for row in table.rows:
            code = row["PRACTICE_CODE"].upper()
            if not self.in_scope(row["CCG_CODE"].upper(), organisations.current_ccg(code)):
                report.count("skipped")
                continue
            file_totals.add(row)
            try:
                values, lines = self.parse_row(row)
                key = (values["practice_code"], values["financial_year"])
                if key in seen:
                    raise RowError(f"{code} has a second row for {FinancialYear(key[1])} (first on line {seen[key]})")
                practice, ccg = organisations.place(row, values)
            except RowError as exc:
                report.reject(row.line, str(exc))
                continue
            seen[key] = row.line
            parsed.append((row, key, values, lines, practice, ccg))
        organisations.write()

        years = {key[1] for _, key, _, _, _, _ in parsed} or ({self.file_year} if self.file_year else set())
        payments = ModelSync(
            PracticePayment, "practice payments",
            ["ccg", "contract_type", "dispensing", "rurality", "registered_patients", "weighted_patients",
             "total_payments", "deductions", "net_payments", "per_registered_patient", "source"],
            PracticePayment.objects.filter(financial_year__in=years),
            key=lambda p: (p.practice_id, p.financial_year),
        )  # fmt: skip
        outcomes = {}
        for _row, key, values, _lines, practice, ccg in parsed:
            values = {k: v for k, v in values.items() if k != "practice_code"}
            payment = payments.get_or_add((practice.pk, key[1]), practice_id=practice.pk, ccg_id=ccg.pk, **values)
            payment.compute_per_patient()
            outcomes[key] = payments.outcome(payment)
        self.write(payments)

        ids = dict(
            ((practice_id, year), pk)
            for practice_id, year, pk in PracticePayment.objects.filter(financial_year__in=years).values_list(
                "practice_id", "financial_year", "pk"
            )
        )
        wanted = {ids[(practice.pk, key[1])]: lines for _row, key, _values, lines, practice, _ccg in parsed}
        changed_lines = self.write_lines(wanted, years)
        for _row, key, _values, _lines, practice, _ccg in parsed:
            outcome = outcomes[key]
            if outcome == "unchanged" and ids[(practice.pk, key[1])] in changed_lines:
                outcome = "updated"
            report.count(outcome)
        organisations.note()
        self.note_rounding()
        report.reconciliation = reconcile(file_totals, years)

    def parse_row(self, row: Row) -> tuple[dict, dict[str, Decimal]]:
        code = self.value_practice_code(row, "PRACTICE_CODE")
        self.value_ccg_code(row, "CCG_CODE")
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
        remainder = total - sum(lines.values(), Decimal("0.00"))
        for kind, _heading, _aliases in BESIDE_LINES:
            amount = self.value_amount(row, LINE_COLUMNS[str(kind)])
            if amount:
                lines[str(kind)] = amount
        if remainder and self.is_rounding(total, lines, remainder):
            lines[str(Kind.NOT_ITEMISED)] = remainder
            self.rounding.append(remainder)
        elif remainder:
            lines[str(Kind.NOT_ITEMISED)] = remainder
            self.report.warn(row.line, f"{code}: the lines the portal knows add up to £{remainder:,} less than "
                                       f"{self.heading('TOTAL_PAYMENTS')}; stored as a line not itemised")  # fmt: skip
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
            "practice_code": code,
            "financial_year": year,
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

    def is_rounding(self, total: Decimal, lines: dict[str, Decimal], remainder: Decimal) -> bool:
        """A release in whole pounds (2014-15) rounds each column on its own, so its lines miss
        the total by up to 50p a line: that, and no more, is rounding."""
        line_columns = sum(1 for kind, _, _ in LINES if LINE_COLUMNS[str(kind)] in self.table.headings)
        whole = all(amount == amount.to_integral_value() for amount in (total, *lines.values()))
        return whole and abs(remainder) <= Decimal("0.50") * line_columns

    def note_rounding(self) -> None:
        if self.rounding:
            self.report.notes.append(
                f"{len(self.rounding):,} rows give whole pounds, each column rounded on its own, so their lines "
                f"miss the total by rounding (£{sum(self.rounding):,} in all, at most "
                f"£{max(abs(r) for r in self.rounding):,} on a row): stored as a line not itemised, so that lines "
                "still add up to the total."
            )

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


SETTINGS = {
    "GP_PRACTICE": Practice.Setting.GP_PRACTICE,
    "WALK_IN_CENTRE": Practice.Setting.WALK_IN_CENTRE,
    "WALK_IN_AND_OUT_OF_HOURS_CENTRE": Practice.Setting.WALK_IN_OUT_OF_HOURS,
}


def setting_of(practice_type: str) -> str:
    """``Practice.Setting`` of the file's "Practice Type": 'Walk in centre' is a walk-in centre."""
    return SETTINGS.get(normalise_header(practice_type), Practice.Setting.OTHER if practice_type else "")


def year_span(start_year: int) -> tuple[dt.date, dt.date]:
    """A financial year as a membership span: 1 April to the next 1 April (the first day out)."""
    return dt.date(start_year, 4, 1), dt.date(start_year + 1, 4, 1)


class Organisations:
    """The CCGs, practices and CCG memberships a payments file names, made where the portal lacks them.

    Kept apart from the payments themselves so that other imports of a year's file can share
    the rule: the file's own CCG code and name make the CCG, and the practice's membership of
    it covers the file's financial year.
    """

    def __init__(self, importer: Importer) -> None:
        self.importer = importer
        self.ccgs = load_ccgs(["name"])
        self.practices = load_practices(["name"], self.ccgs)
        self.memberships = ModelSync(
            CCGMembership, "CCG memberships", ["ccg", "start_date", "end_date"], CCGMembership.objects.all(), key=id
        )
        self.spans: dict[int, list[CCGMembership]] = defaultdict(list)
        for membership in self.memberships.by_key.values():
            membership.ccg = self.ccgs.by_pk[membership.ccg_id]
            self.spans[id(self.practices.by_pk[membership.practice_id])].append(membership)
        self.created_ccgs: list[str] = []
        self.named_ccgs: list[str] = []
        self.created_practices: list[str] = []
        self.overlaps = 0

    def current_ccg(self, practice_code: str) -> str:
        practice = self.practices.get(practice_code)
        return practice.ccg.ods_code if practice else ""

    def place(self, row: Row, values: dict) -> tuple[Practice, CCG]:
        ccg_code = row["CCG_CODE"].upper()
        name = row["CCG_NAME"][:200]
        ccg = self.ccgs.get(ccg_code)
        if ccg is None:
            ccg = self.ccgs.add(CCG(ods_code=ccg_code, name=name or ccg_code))
            self.created_ccgs.append(f"{ccg_code} {name}".strip())
        elif name and ccg.name == ccg.ods_code:
            ccg.name = name
            self.named_ccgs.append(ccg_code)
        practice = self.practices.get(values["practice_code"])
        if practice is None:
            practice = self.new_practice(row, values["practice_code"], ccg)
        self.place_membership(practice, ccg, values["financial_year"])
        return practice, ccg

    def new_practice(self, row: Row, code: str, ccg: CCG) -> Practice:
        importer = self.importer
        name = importer.value_required(row, "PRACTICE_NAME")[:200] if row["PRACTICE_NAME"] else code
        open_date = None if row["OPEN_DATE"] in NO_DATE else importer.value_date(row, "OPEN_DATE")
        close_date = None if row["CLOSE_DATE"] in NO_DATE else importer.value_date(row, "CLOSE_DATE")
        if open_date and close_date and close_date < open_date:
            importer.report.warn(row.line, f"{code}: closes before it opens; imported without its dates")
            open_date = close_date = None
        setting = setting_of(row["PRACTICE_TYPE"]) or Practice.Setting.GP_PRACTICE
        practice = self.practices.add(
            Practice(
                ods_code=code, name=name, postcode=importer.value_postcode(row, "PRACTICE_POSTCODE"), ccg=ccg,
                setting=setting, open_date=open_date, close_date=close_date,
                status=Practice.Status.CLOSED if close_date else Practice.Status.ACTIVE,
            )
        )  # fmt: skip
        self.created_practices.append(f"{code} {name} ({Practice.Setting(setting).label})")
        return practice

    def place_membership(self, practice: Practice, ccg: CCG, year: int) -> None:
        start, end = year_span(year)
        spans = self.spans[id(practice)]
        same = [s for s in spans if s.ccg is ccg]
        if any(s.start_date < end and (s.end_date is None or s.end_date > start) for s in same):
            return
        before = next((s for s in same if s.end_date == start), None)
        after = next((s for s in same if s.start_date == end), None)
        if before is not None:
            before.end_date = after.end_date if after is not None and after is not before else end
            return
        if after is not None:
            after.start_date = start
            return
        if any(s.start_date < end and (s.end_date is None or s.end_date > start) for s in spans):
            self.overlaps += 1
        spans.append(self.memberships.add(CCGMembership(practice=practice, ccg=ccg, start_date=start, end_date=end)))

    def write(self) -> None:
        self.importer.write(self.ccgs, self.practices, self.memberships)

    def note(self) -> None:
        notes = self.importer.report.notes
        if self.created_ccgs:
            notes.append(f"CCGs not in the portal, created as the file names them: {'; '.join(self.created_ccgs)}.")
        if self.named_ccgs:
            notes.append(f"CCGs named by their code only, now named as the file names them: "
                         f"{', '.join(sorted(set(self.named_ccgs)))}.")  # fmt: skip
        if self.created_practices:
            notes.append(f"Practices not in the portal, created from the file: {'; '.join(self.created_practices)}.")
        if self.overlaps:
            notes.append(f"{self.overlaps:,} CCG memberships of the file's year overlap a membership of another CCG "
                         "that ODS gives; both are kept.")  # fmt: skip


@dataclass
class FileTotals:
    """The publisher's own totals of a payments file, rejected rows included, under the CCG
    each row names: its "Total NHS Payments", what it paid beside that total, and its rows and
    total by practice type. A value that is not an amount is left out (its row is rejected)."""

    total: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    beside: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    names: dict[str, str] = field(default_factory=dict)
    by_type: dict[str, list] = field(default_factory=lambda: defaultdict(lambda: [0, Decimal("0.00")]))

    def add(self, row: Row) -> None:
        ccg_code = row["CCG_CODE"].upper()
        self.names.setdefault(ccg_code, row["CCG_NAME"])
        try:
            amount = to_pence(row["TOTAL_PAYMENTS"]) if row["TOTAL_PAYMENTS"] else Decimal("0.00")
            beside = sum(
                (to_pence(row[column]) for column in BESIDE_COLUMNS if row[column]),
                Decimal("0.00"),
            )
        except ValueError:
            return
        self.total[ccg_code] += amount
        self.beside[ccg_code] += beside
        kind = self.by_type[row["PRACTICE_TYPE"] or "Not given"]
        kind[0] += 1
        kind[1] += amount


def reconcile(file: FileTotals, years: set[int]) -> dict:
    """The file's total payments per CCG and for England against what the portal stores for them.

    ``portal_total`` is the sum of stored practice totals of the file's years under each CCG,
    ``lines_total`` the sum of their lines within the total; ``file_beside`` and
    ``portal_beside`` are what was paid beside the total (2020-21's PCN and COVID-19 payments)
    in the file and in the lines stored. Amounts are text in pounds and pence.
    """
    codes = sorted(file.total)
    stored = {
        row["ccg__ods_code"]: row["total"]
        for row in PracticePayment.objects.filter(financial_year__in=years, ccg__ods_code__in=codes)
        .values("ccg__ods_code").annotate(total=Sum("total_payments"))
    }  # fmt: skip
    lines = PaymentLine.objects.filter(payment__financial_year__in=years, payment__ccg__ods_code__in=codes)

    def by_ccg(queryset) -> dict[str, Decimal]:
        rows = queryset.values("payment__ccg__ods_code").annotate(total=Sum("amount"))
        return {row["payment__ccg__ods_code"]: row["total"] for row in rows}

    within, beside = by_ccg(lines.within_total()), by_ccg(lines.beside_total())
    zero = Decimal("0.00")

    def entry(ccg: str | None = None, **more) -> dict:
        def pick(values: dict) -> Decimal:
            found = values.get(ccg) if ccg else sum((v or zero for v in values.values()), zero)
            return to_pence(found or zero)

        file_total, portal = pick(file.total), pick(stored)
        return {**more, "file_total": str(file_total), "portal_total": str(portal),
                "lines_total": str(pick(within)), "difference": str(portal - file_total),
                "file_beside": str(pick(file.beside)), "portal_beside": str(pick(beside))}  # fmt: skip

    ccgs = [entry(code, code=code, name=file.names.get(code, "")) for code in codes]
    england = entry()
    return {
        "financial_years": [str(FinancialYear(y)) for y in sorted(years)],
        "ccgs": ccgs,
        "england": england,
        "reconciled": all(
            c["difference"] == "0.00"
            and c["lines_total"] == c["portal_total"]
            and c["file_beside"] == c["portal_beside"]
            for c in ccgs
        ),
        "paid_beside": england["file_beside"] != "0.00" or england["portal_beside"] != "0.00",
        "practice_types": [
            {"practice_type": kind, "rows": n, "file_total": str(total)}
            for kind, (n, total) in sorted(file.by_type.items())
        ],
    }


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
    # The payments dataset imports the rest of the file.
    not_imported = (
        *PaymentsImporter.not_imported,
        *(spelling for column in PaymentsImporter.columns for spelling in (column.name, *column.aliases)),
    )

    def run(self, table: Table) -> None:
        self.table = table
        report = self.report
        practices = {
            code: (pk, ccg_code)
            for code, pk, ccg_code in Practice.objects.values_list("ods_code", "pk", "ccg__ods_code")
        }
        self.note_columns(table, where="Left to the payments dataset")
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
