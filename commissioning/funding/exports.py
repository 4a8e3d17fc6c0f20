"""XLSX and CSV downloads of funding: the CCG summary, schemes and payments per practice.

Money goes out as Decimal pounds and pence (a number in a spreadsheet, '516249.00' in CSV),
never as formatted text, so that the figures can be added up again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import tablib

from portal import exports
from portal.periods import FinancialYear

from .models import PracticePayment, Scheme
from .payments_across_years import PaymentsAcrossYears
from .selectors import FundingSummary

CONTENT_TYPES = exports.CONTENT_TYPES


def export_bytes(dataset: tablib.Dataset, file_format: str) -> bytes:
    if file_format not in CONTENT_TYPES:
        raise ValueError(f"Export as one of {sorted(CONTENT_TYPES)}.")
    return exports.write_dataset(dataset, file_format)


def summary_dataset(summary: FundingSummary, *, on: dt.date | None = None) -> tablib.Dataset:
    """``on``: the date the summary is as at, written in its own column so the file says it."""
    dataset = tablib.Dataset(
        headers=[
            "CCG code", "CCG", "Stream", "Financial year", "Allocated (£)", "Committed (£)", "Spent (£)",
            "Forecast outturn (£)", "Remaining to commit (£)", "Over-committed", *(["As at"] if on else []),
        ],
        title="Funding summary",
    )  # fmt: skip
    for row in summary.rows:
        dataset.append([
            summary.ccg.ods_code, summary.ccg.name, row.stream.name, row.year_label, row.allocated, row.committed,
            row.spent, row.outturn, row.remaining, "Yes" if row.over_committed else "No", *([on] if on else []),
        ])  # fmt: skip
    return dataset


def schemes_dataset(schemes: Iterable[Scheme]) -> tablib.Dataset:
    dataset = tablib.Dataset(
        headers=[
            "Scheme", "CCG code", "Stream", "Bidder", "Cluster", "Practices covered", "Status", "Financial year",
            "Requested (£)", "Committee", "Decided on", "Minute", "Conditions", "Override reason",
        ],
        title="Schemes",
    )  # fmt: skip
    for scheme in schemes:
        practices = " ".join(sorted(p.ods_code for p in scheme.practices.all()))
        decided = scheme.decided_on.isoformat() if scheme.decided_on else ""
        common = [scheme.title, scheme.ccg.ods_code, scheme.stream.name, scheme.get_applicant_display(),
                  scheme.cluster.name if scheme.cluster else "", practices, scheme.get_status_display()]  # fmt: skip
        decision = [scheme.committee, decided, scheme.minute_reference, scheme.conditions, scheme.override_reason]
        amounts = sorted(scheme.amounts.all(), key=lambda a: a.financial_year) or [None]
        for amount in amounts:
            year, value = (amount.year_label, amount.amount) if amount else ("", None)
            dataset.append([*common, year, value, *decision])
    return dataset


def payments_dataset(payments: Iterable[PracticePayment]) -> tablib.Dataset:
    dataset = tablib.Dataset(
        headers=[
            "Practice code", "Practice", "CCG code", "Financial year", "Contract type", "Registered patients",
            "Total NHS payments (£)", "Deductions (£)", "Net payments (£)", "Payments per registered patient (£)",
        ],
        title="Payments",
    )  # fmt: skip
    for payment in payments:
        dataset.append([
            payment.practice.ods_code, payment.practice.name, payment.ccg.ods_code, payment.year_label,
            payment.contract_type or "Not known", payment.registered_patients, payment.total_payments,
            payment.deductions, payment.net_payments, payment.per_registered_patient,
        ])  # fmt: skip
    return dataset


def payments_across_years_dataset(across: PaymentsAcrossYears) -> tablib.Dataset:
    """One row per practice per year, each with the year's file as its source."""
    dataset = tablib.Dataset(
        headers=[
            "Practice code", "Practice", "CCG code", "Financial year", "Contract type", "Registered patients",
            "Total NHS payments (£)", "General Practice Forward View (£)", "Payments per registered patient (£)",
            "Source",
        ],
        title="Payments by year",
    )  # fmt: skip
    for row in across.practices:
        for start_year in sorted(row.by_year):
            year = row.by_year[start_year]
            dataset.append([
                row.practice.ods_code, row.practice.name, across.ccg.ods_code, year.year_label,
                year.contract_type or "Not known", year.registered_patients, year.total_payments, year.gpfv,
                year.per_registered_patient, year.source,
            ])  # fmt: skip
    return dataset


def cluster_payments_dataset(across: PaymentsAcrossYears) -> tablib.Dataset:
    dataset = tablib.Dataset(
        headers=[
            "CCG code", "Financial year", "Cluster", "Practices", "Registered patients", "Total NHS payments (£)",
            "General Practice Forward View (£)", "Payments per registered patient (£)", "Membership on",
        ],
        title="Payments by cluster",
    )  # fmt: skip
    for ccg_year, clusters in across.cluster_years:
        for cluster in clusters:
            dataset.append([
                across.ccg.ods_code, cluster.year_label, cluster.name, cluster.practices, cluster.registered_patients,
                cluster.total_payments, cluster.gpfv, cluster.per_registered_patient,
                FinancialYear(ccg_year.financial_year).end,
            ])  # fmt: skip
    return dataset
