"""XLSX and CSV downloads of funding: the CCG summary, schemes and payments per practice.

Money goes out as Decimal pounds and pence in a money column (a number with a £ format in an
XLSX, '516249.00' in a CSV), never as formatted text, so that the figures can be added up again;
dates as dates; each heading names its unit, and each total its financial year. The words are
the pages' own: a stream with no allocation says 'No allocation', as the summary page does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from portal import exports
from portal.exports import Sheet, date, integer, money, number, text
from portal.periods import FinancialYear

from .models import PracticePayment, Scheme
from .payments_across_years import PaymentsAcrossYears
from .selectors import FundingSummary

CONTENT_TYPES = exports.CONTENT_TYPES
ALL_STREAMS = "All streams"


def export_bytes(sheet: Sheet, file_format: str) -> bytes:
    if file_format not in CONTENT_TYPES:
        raise ValueError(f"Export as one of {sorted(CONTENT_TYPES)}.")
    return exports.write_table(headers=sheet.headers, rows=sheet.rows, file_format=file_format, title=sheet.title)


SUMMARY_COLUMNS = [
    text("CCG code"), text("CCG"), text("Stream"), text("Financial year"), money("Allocated (£)"),
    money("Committed (£)"), money("Spent (£)"), money("Forecast outturn (£)"), money("Remaining to commit (£)"),
    text("Over-committed"),
]  # fmt: skip


def summary_dataset(summary: FundingSummary, *, on: dt.date | None = None) -> Sheet:
    """Each stream in each financial year, then that year's total ("All streams"), as the summary page
    shows them. ``on``: the date the summary is as at, written in its own column so the file says it."""
    totals = {row.financial_year: row for row in summary.year_totals()}
    rows = []
    for year in summary.years:
        for row in [*summary.in_year(year), totals[year]]:
            rows.append([
                summary.ccg.ods_code, summary.ccg.name, ALL_STREAMS if row.is_total else row.stream.label,
                row.year_label, row.allocated_recorded, row.committed, row.spent, row.outturn, row.remaining_to_commit,
                row.over_committed_wording, *([on] if on else []),
            ])  # fmt: skip
    return Sheet("Funding summary", [*SUMMARY_COLUMNS, *([date("As at")] if on else [])], rows)


SCHEME_COLUMNS = [
    text("Scheme"), text("CCG code"), text("Stream"), text("Bidder"), text("Cluster"), text("Practices covered"),
    text("Status"), text("Financial year"), money("Requested (£)"), text("Committee"), date("Decided on"),
    text("Minute"), text("Conditions"), text("Override reason"),
]  # fmt: skip


def schemes_dataset(schemes: Iterable[Scheme]) -> Sheet:
    rows = []
    for scheme in schemes:
        practices = " ".join(sorted(p.ods_code for p in scheme.practices.all()))
        common = [scheme.title, scheme.ccg.ods_code, scheme.stream.label, scheme.get_applicant_display(),
                  scheme.cluster.name if scheme.cluster else "", practices, scheme.get_status_display()]  # fmt: skip
        decision = [scheme.committee, scheme.decided_on, scheme.minute_reference, scheme.conditions,
                    scheme.override_reason]  # fmt: skip
        amounts = sorted(scheme.amounts.all(), key=lambda a: a.financial_year) or [None]
        for amount in amounts:
            year, value = (amount.year_label, amount.amount) if amount else ("", None)
            rows.append([*common, year, value, *decision])
    return Sheet("Schemes", SCHEME_COLUMNS, rows)


PAYMENT_COLUMNS = [
    text("Practice code"), text("Practice"), text("CCG code"), text("Financial year"), text("Contract type"),
    number("Registered patients (last known figure in the year)", 2), money("Total NHS payments (£)"),
    money("Deductions (£)"),
    money("Net payments (£)"), money("Payments per registered patient (£)"),
]  # fmt: skip


def payments_dataset(payments: Iterable[PracticePayment]) -> Sheet:
    rows = (
        [
            payment.practice.ods_code,
            payment.practice.name,
            payment.ccg.ods_code,
            payment.year_label,
            payment.contract_type or "Not known",
            payment.registered_patients,
            payment.total_payments,
            payment.deductions,
            payment.net_payments,
            payment.per_registered_patient,
        ]  # fmt: skip
        for payment in payments
    )
    return Sheet("Payments", PAYMENT_COLUMNS, rows)


ACROSS_YEARS_COLUMNS = [
    text("Practice code"), text("Practice"), text("CCG code"), text("Financial year"), text("Contract type"),
    number("Registered patients (last known figure in the year)", 0), money("Total NHS payments (£)"),
    money("General Practice Forward View (£)"), money("Payments per registered patient (£)"), text("Source"),
]  # fmt: skip


def payments_across_years_dataset(across: PaymentsAcrossYears) -> Sheet:
    """One row per practice per year, each with the year's file as its source."""
    rows = []
    for row in across.practices:
        for start_year in sorted(row.by_year):
            year = row.by_year[start_year]
            rows.append([
                row.practice.ods_code, row.practice.name, across.ccg.ods_code, year.year_label,
                year.contract_type or "Not known", year.registered_patients, year.total_payments, year.gpfv,
                year.per_registered_patient, year.source,
            ])  # fmt: skip
    return Sheet("Payments by year", ACROSS_YEARS_COLUMNS, rows)


CLUSTER_COLUMNS = [
    text("CCG code"), text("Financial year"), text("Cluster"), integer("Practices"),
    number("Registered patients (last known figure in the year)", 0), money("Total NHS payments (£)"),
    money("General Practice Forward View (£)"), money("Payments per registered patient (£)"), date("Membership on"),
]  # fmt: skip


def cluster_payments_dataset(across: PaymentsAcrossYears) -> Sheet:
    rows = []
    for ccg_year, clusters in across.cluster_years:
        for cluster in clusters:
            rows.append([
                across.ccg.ods_code, cluster.year_label, cluster.name, cluster.practices, cluster.registered_patients,
                cluster.total_payments, cluster.gpfv, cluster.per_registered_patient,
                FinancialYear(ccg_year.financial_year).end,
            ])  # fmt: skip
    return Sheet("Payments by cluster", CLUSTER_COLUMNS, rows)
