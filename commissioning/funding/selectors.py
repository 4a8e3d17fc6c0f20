"""Reads of funding: registered populations, expected per-head amounts, the CCG summary
(allocated / committed / spent / remaining) and payments per registered patient.

Every figure here is worked out from stored rows in a fixed number of queries, whatever
the number of practices or schemes. Definitions, as the pages show them:

- Registered population of a CCG on a date: the practices that were members of the CCG on
  that date (dated CCG memberships) and open, each with its latest list size total on or
  before that date. A list size published after the date never moves it.
- Expected amount: registered population x rate per head, rounded half up to the penny.
- Allocated: the amount notified for the year. Committed: the amounts approved schemes
  asked for in the year. Spent: actual spend recorded for the year's quarters.
  Forecast outturn: actual where known, otherwise forecast. Remaining: allocated minus
  committed, what is left to commit. A warning shows when committed exceeds allocated.
- As at a date: an allocation counts from the day it was notified (one with no notification
  date from the first day of its financial year); a scheme's amounts from the date of the
  decision approving it; actual spend only for quarters begun by then, later quarters at
  their forecast in the outturn.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from portal.money import ZERO, per_head, to_pence
from portal.periods import FinancialYear
from practices.models import CCG, Practice
from practices.populations import DEFINITION as POPULATION_DEFINITION
from practices.populations import Population, ccg_practices_on, population_of

from .models import (
    Allocation,
    FundingStream,
    PaymentLine,
    PracticePayment,
    Scheme,
    SchemeAmount,
    SchemeSpend,
    StreamRate,
)

DEFINITIONS = {
    "population": POPULATION_DEFINITION,
    "expected": "Expected amount = registered population x rate per head, rounded half up to the penny.",
    "allocated": "Allocated: the amount notified to the CCG for the year.",
    "committed": "Committed: what approved schemes (with or without conditions) asked for in the year.",
    "spent": "Spent: actual spend recorded for the quarters of the year.",
    "outturn": "Forecast outturn: actual spend where recorded, otherwise the forecast, for each quarter.",
    "as_at": (
        "As at a date: an allocation counts from the day it was notified (with no notification date, from the "
        "start of its financial year), a scheme from the date of the decision approving it, and actual spend "
        "for the quarters begun by that date."
    ),
    "remaining": (
        "Remaining: allocated minus committed, what is still free to commit; a total adds up the streams that "
        "have an allocation (bids to national funds such as ETTF have none)."
    ),
}


# Registered population


def registered_population(*, ccg: CCG | int, on: dt.date) -> Population:
    """The CCG's registered population on ``on`` (see the module's definition)."""
    return population_of(ccg_practices_on(ccg, on), on)


# Expected per-head amounts


@dataclass
class ExpectedAmount:
    """A per-head rate's expected amount for one CCG beside what it was notified over the same years."""

    stream: FundingStream
    rate: StreamRate
    population: Population
    allocations: list[Allocation]

    @property
    def expected(self) -> Decimal:
        return to_pence(self.population.patients * self.rate.rate_per_head)

    @property
    def notified(self) -> Decimal:
        return sum((a.amount for a in self.allocations), ZERO)

    @property
    def difference(self) -> Decimal:
        """Notified minus expected: negative when the CCG was notified less than the rate gives."""
        return self.notified - self.expected

    @property
    def years_label(self) -> str:
        return self.rate.period_label

    @property
    def missing_years(self) -> list[str]:
        have = {a.financial_year for a in self.allocations}
        return [str(FinancialYear(y)) for y in self.rate.years if y not in have]


def population_date_for(rate: StreamRate, allocations: Iterable[Allocation]) -> dt.date:
    """The rate's reference date, unless the earliest allocation under it names another."""
    for allocation in sorted(allocations, key=lambda a: a.financial_year):
        if allocation.population_date:
            return allocation.population_date
    return rate.population_date


def expected_amounts(*, ccg: CCG, allocations: Iterable[Allocation] | None = None) -> list[ExpectedAmount]:
    """One ``ExpectedAmount`` per per-head rate under which the CCG has an allocation.

    A rate over several years (£3 per head over 2017/18-2018/19) is compared with the sum of
    the CCG's allocations in those years. One population query per distinct date.
    """
    if allocations is None:
        allocations = Allocation.objects.filter(ccg=ccg)
    allocations = [a for a in allocations if a.stream.is_per_head]
    streams = {a.stream_id: a.stream for a in allocations}
    rates = StreamRate.objects.filter(stream_id__in=streams).order_by("stream_id", "first_year")
    groups: dict[int, tuple[StreamRate, list[Allocation]]] = {}
    for rate in rates:
        under = [a for a in allocations if a.stream_id == rate.stream_id and rate.covers(a.financial_year)]
        if under:
            groups[rate.pk] = (rate, under)
    populations: dict[dt.date, Population] = {}
    results = []
    for rate, under in groups.values():
        on = population_date_for(rate, under)
        if on not in populations:
            populations[on] = registered_population(ccg=ccg, on=on)
        results.append(ExpectedAmount(stream=streams[rate.stream_id], rate=rate, population=populations[on],
                                      allocations=under))  # fmt: skip
    return sorted(results, key=lambda e: (e.stream.name, e.rate.first_year))


# The CCG's funding summary

#: What the summary says of a stream with no allocation recorded, where it would show what remains.
NO_ALLOCATION = "No allocation"


@dataclass
class SummaryRow:
    """One stream in one financial year for one CCG."""

    stream: FundingStream | None
    financial_year: int
    allocated: Decimal = ZERO
    committed: Decimal = ZERO
    spent: Decimal = ZERO
    outturn: Decimal = ZERO
    has_allocation: bool = False

    @property
    def year_label(self) -> str:
        return str(FinancialYear(self.financial_year))

    remaining_of_parts: Decimal = ZERO

    @property
    def is_total(self) -> bool:
        return self.stream is None

    @property
    def remaining(self) -> Decimal:
        """Allocated minus committed; for a total, the sum over the streams that have an allocation."""
        return self.remaining_of_parts if self.is_total else self.allocated - self.committed

    @property
    def over_committed(self) -> bool:
        """Approved schemes of the stream asked for more than its allocation (where it has one)."""
        return not self.is_total and self.has_allocation and self.committed > self.allocated

    @property
    def over_committed_by(self) -> Decimal:
        return self.committed - self.allocated

    @property
    def allocated_recorded(self) -> Decimal | None:
        """The allocation, or None where none is recorded (the page: 'None recorded'); a total is always a sum."""
        return self.allocated if self.has_allocation or self.is_total else None

    @property
    def remaining_to_commit(self) -> Decimal | None:
        """Remaining to commit, or None where the stream has no allocation (a bid to a national fund; the page
        says 'No allocation'); a total is the sum over the streams that have one."""
        return self.remaining if self.has_allocation or self.is_total else None

    @property
    def over_committed_wording(self) -> str:
        """The page's answer to "over-committed?": 'No allocation' where it shows that, else Yes or No."""
        if self.is_total:
            return ""
        if not self.has_allocation:
            return NO_ALLOCATION
        return "Yes" if self.over_committed else "No"

    def add(self, other: SummaryRow) -> None:
        self.allocated += other.allocated
        self.committed += other.committed
        self.spent += other.spent
        self.outturn += other.outturn
        self.has_allocation = self.has_allocation or other.has_allocation
        if other.has_allocation:
            self.remaining_of_parts += other.remaining


@dataclass
class FundingSummary:
    ccg: CCG
    rows: list[SummaryRow]

    @property
    def years(self) -> list[int]:
        return sorted({r.financial_year for r in self.rows})

    def year_totals(self) -> list[SummaryRow]:
        totals: dict[int, SummaryRow] = {}
        for row in self.rows:
            totals.setdefault(row.financial_year, SummaryRow(stream=None, financial_year=row.financial_year)).add(row)
        return [totals[y] for y in sorted(totals)]

    def in_year(self, start_year: int) -> list[SummaryRow]:
        return [r for r in self.rows if r.financial_year == start_year]

    def total(self, rows: Iterable[SummaryRow] | None = None) -> SummaryRow:
        total = SummaryRow(stream=None, financial_year=0)
        for row in self.rows if rows is None else rows:
            total.add(row)
        return total

    @property
    def warnings(self) -> list[SummaryRow]:
        return [r for r in self.rows if r.over_committed]


def allocations_as_at(on: dt.date) -> Q:
    """Allocations notified by ``on`` (see the module's definition of as at)."""
    return Q(notified_on__lte=on) | Q(
        notified_on__isnull=True, financial_year__lte=FinancialYear.containing(on).start_year
    )


def decided_as_at(on: dt.date, prefix: str = "") -> Q:
    """Schemes decided by ``on``: by the decision's date, else the day it was recorded."""
    until = timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min))
    return Q(**{f"{prefix}decided_on__lte": on}) | Q(
        **{f"{prefix}decided_on__isnull": True, f"{prefix}decision_recorded_at__lt": until}
    )


def funding_summary(
    *, ccg: CCG, streams: Iterable[FundingStream] | None = None, on: dt.date | None = None
) -> FundingSummary:
    """Allocated, committed, spent, outturn and remaining by stream and year, in four queries;
    ``on``: as recorded by that date (the module's definition), else everything recorded."""
    stream_map = {s.pk: s for s in (streams if streams is not None else FundingStream.objects.for_ccg(ccg))}
    rows: dict[tuple[int, int], SummaryRow] = {}

    def row(stream_id: int, year: int) -> SummaryRow | None:
        if stream_id not in stream_map:
            return None
        return rows.setdefault((stream_id, year), SummaryRow(stream=stream_map[stream_id], financial_year=year))

    allocations = Allocation.objects.filter(ccg=ccg)
    if on is not None:
        allocations = allocations.filter(allocations_as_at(on))
    for stream_id, year, amount in allocations.values_list("stream_id", "financial_year", "amount"):
        if (r := row(stream_id, year)) is not None:
            r.allocated += amount
            r.has_allocation = True
    amounts = SchemeAmount.objects.filter(scheme__ccg=ccg, scheme__status__in=Scheme.APPROVED)
    if on is not None:
        amounts = amounts.filter(decided_as_at(on, "scheme__"))
    committed = amounts.values("scheme__stream_id", "financial_year").annotate(total=Sum("amount"))
    for item in committed:
        if (r := row(item["scheme__stream_id"], item["financial_year"])) is not None:
            r.committed += to_pence(item["total"])  # SQLite sums decimals as floats
    # Each scheme's own actual-or-forecast per quarter makes the outturn, so rows are read, not summed.
    spend = SchemeSpend.objects.filter(scheme__ccg=ccg).values_list(
        "scheme__stream_id", "quarter", "actual", "forecast"
    )
    for stream_id, quarter, actual, forecast in spend:
        if on is not None and quarter > on:
            actual = None  # a quarter not begun by then has no actual spend yet
            if forecast is None:
                continue
        if (r := row(stream_id, FinancialYear.containing(quarter).start_year)) is not None:
            r.spent += actual or ZERO
            r.outturn += actual if actual is not None else (forecast or ZERO)
    ordered = sorted(rows.values(), key=lambda r: (r.stream.name, r.financial_year))
    return FundingSummary(ccg=ccg, rows=ordered)


def remaining_allocation(*, stream: FundingStream, ccg_id: int, start_year: int, excluding: Scheme | None = None):
    """(allocated or None when there is no allocation, committed by other approved schemes)."""
    allocation = Allocation.objects.filter(stream=stream, ccg_id=ccg_id, financial_year=start_year).first()
    committed = SchemeAmount.objects.filter(
        scheme__stream=stream, scheme__ccg_id=ccg_id, scheme__status__in=Scheme.APPROVED, financial_year=start_year
    )
    if excluding is not None and excluding.pk:
        committed = committed.exclude(scheme=excluding)
    total = to_pence(committed.aggregate(total=Sum("amount"))["total"] or ZERO)
    return (allocation.amount if allocation else None), total


# Schemes


def scheme_population(scheme: Scheme) -> Population:
    """The registered population of the practices a scheme covers, on its population date."""
    return population_of(Practice.objects.filter(pk__in=scheme.practices.values("pk")), scheme.population_date)


def scheme_spend_by_year(scheme: Scheme) -> list[dict]:
    """For each year the scheme asked for or spent in: requested, actual, outturn."""
    years: dict[int, dict] = defaultdict(lambda: {"requested": ZERO, "spent": ZERO, "outturn": ZERO})
    for amount in scheme.amounts.all():
        years[amount.financial_year]["requested"] += amount.amount
    for spend in scheme.spend.all():
        entry = years[spend.financial_year]
        entry["spent"] += spend.actual or ZERO
        entry["outturn"] += spend.outturn or ZERO
    return [
        {"year": y, "year_label": str(FinancialYear(y)), **v, "unspent": v["requested"] - v["spent"]}
        for y, v in sorted(years.items())
    ]


# Payments to practices


@dataclass
class Distribution:
    """Payments per registered patient across a CCG's practices in one year."""

    values: list[Decimal]

    @property
    def count(self) -> int:
        return len(self.values)

    def _quantiles(self) -> list[float]:
        return statistics.quantiles([float(v) for v in self.values], n=4, method="inclusive")

    @property
    def lowest(self) -> Decimal | None:
        return min(self.values, default=None)

    @property
    def highest(self) -> Decimal | None:
        return max(self.values, default=None)

    @property
    def median(self) -> Decimal | None:
        return to_pence(statistics.median(self.values)) if self.values else None

    @property
    def lower_quartile(self) -> Decimal | None:
        return to_pence(str(self._quantiles()[0])) if self.count >= 2 else self.lowest

    @property
    def upper_quartile(self) -> Decimal | None:
        return to_pence(str(self._quantiles()[2])) if self.count >= 2 else self.highest

    def rank_of(self, value: Decimal) -> int:
        """1 for the highest payments per patient."""
        return 1 + sum(1 for v in self.values if v > value)


def payment_distribution(*, ccg: CCG | int, start_year: int) -> Distribution:
    values = (
        PracticePayment.objects.in_ccg(ccg)
        .in_year(start_year)
        .with_per_patient()
        .order_by("per_registered_patient")
        .values_list("per_registered_patient", flat=True)
    )
    return Distribution(values=list(values))


class YearPerPatient:
    """The year's label and payments per registered patient of a total that has a
    ``financial_year``, ``total_payments`` and ``registered_patients``."""

    financial_year: int
    total_payments: Decimal
    registered_patients: Decimal

    @property
    def year_label(self) -> str:
        return str(FinancialYear(self.financial_year))

    @property
    def per_registered_patient(self) -> Decimal | None:
        return per_head(self.total_payments, self.registered_patients)


@dataclass
class CCGPayments(YearPerPatient):
    """A CCG's payments to its practices in one year: totals, lines and per patient."""

    ccg: CCG
    financial_year: int
    practices: int
    registered_patients: Decimal
    total_payments: Decimal
    deductions: Decimal
    net_payments: Decimal
    lines: list[tuple[str, str, Decimal]]
    """The lines within the total, largest first; they add up to ``total_payments``."""
    beside: list[tuple[str, str, Decimal]] = field(default_factory=list)
    """Lines paid beside the total (PCN and COVID-19 payments from 2020/21), largest first."""

    @property
    def beside_total(self) -> Decimal:
        return sum((amount for _k, _l, amount in self.beside), ZERO)

    def line(self, kind: str) -> Decimal:
        return next((amount for k, _label, amount in self.lines if k == kind), ZERO)


def ccg_payments(*, ccg: CCG, start_year: int) -> CCGPayments | None:
    """Totals of one CCG's practice payments in a year, with each line summed. Three queries."""
    payments = PracticePayment.objects.in_ccg(ccg).in_year(start_year)
    totals = payments.aggregate(
        registered=Sum("registered_patients"),
        total=Sum("total_payments"),
        deductions=Sum("deductions"),
        net=Sum("net_payments"),
    )
    count = payments.count()
    if not count:
        return None
    labels = dict(PaymentLine.Kind.choices)
    lines = (
        PaymentLine.objects.filter(payment__in=payments).values("kind").annotate(total=Sum("amount")).order_by("-total")
    )
    summed = [(item["kind"], labels.get(item["kind"], item["kind"]), to_pence(item["total"])) for item in lines]
    return CCGPayments(
        ccg=ccg,
        financial_year=start_year,
        practices=count,
        registered_patients=totals["registered"] or ZERO,
        total_payments=to_pence(totals["total"] or ZERO),
        deductions=to_pence(totals["deductions"] or ZERO),
        net_payments=to_pence(totals["net"] or ZERO),
        lines=[line for line in summed if line[0] not in PaymentLine.BESIDE_TOTAL],
        beside=[line for line in summed if line[0] in PaymentLine.BESIDE_TOTAL],
    )


def payment_years(ccg: CCG | int | None = None) -> list[int]:
    payments = PracticePayment.objects.all()
    if ccg is not None:
        payments = payments.filter(ccg=ccg)
    return sorted(set(payments.values_list("financial_year", flat=True)), reverse=True)
