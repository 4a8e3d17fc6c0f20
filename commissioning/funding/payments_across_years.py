"""A CCG's NHS payments to its practices across the financial years, for commissioners and
the governing body: each practice year by year, the CCG's own funding for general practice
beside them, and payments per registered patient by cluster.

Definitions, as the page shows them:

- A practice's year: the row of NHS Digital's 'NHS payments to general practice' for that
  financial year that placed the practice in this CCG (a practice in another CCG that year
  is not counted here), with its contract type, registered patients, total NHS payments and
  its 'General Practice Forward View' payment line, each from the file it was imported from.
- Payments per registered patient: total NHS payments divided by registered patients, to the
  penny (NHS Digital's 'average payments per registered patient').
- A cluster's year: the practices that were members of the cluster on the last day of the
  financial year (31 March) and have a payment row for the year in this CCG; its registered
  patients and total NHS payments are their sums, and its payments per registered patient
  the total divided by the patients, to the penny (not an average of the practices' figures).
- The CCG's own funding for general practice in a year: its allocations across the funding
  streams recorded in the portal for that year, with what approved schemes committed and
  what was spent (see the funding summary).

Everything is read in a fixed number of queries, whatever the number of practices.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum

from portal.money import ZERO, to_pence
from portal.periods import FinancialYear
from practices.models import CCG, Cluster, ClusterMembership, Practice

from .models import PaymentLine, PracticePayment
from .selectors import SummaryRow, YearPerPatient, funding_summary

DEFINITION = (
    "Payments per registered patient: total NHS payments in the year divided by registered patients, to the penny. "
    "A cluster's figure is its practices' total divided by their patients; a practice counts in the cluster it "
    "belonged to on 31 March of the year, and in this CCG only for the years NHS Digital placed it here."
)


@dataclass
class PracticeYear:
    """One practice's payments in one financial year, with its GP Forward View line."""

    payment: PracticePayment
    gpfv: Decimal

    @property
    def financial_year(self) -> int:
        return self.payment.financial_year

    @property
    def year_label(self) -> str:
        return str(FinancialYear(self.payment.financial_year))

    @property
    def contract_type(self) -> str:
        return self.payment.contract_type

    @property
    def registered_patients(self) -> Decimal:
        return self.payment.registered_patients

    @property
    def total_payments(self) -> Decimal:
        return self.payment.total_payments

    @property
    def per_registered_patient(self) -> Decimal | None:
        return self.payment.per_registered_patient

    @property
    def source(self) -> str:
        return self.payment.source


@dataclass
class PracticeAcrossYears:
    practice: Practice
    by_year: dict[int, PracticeYear]
    cells: list[PracticeYear | None] = field(default_factory=list, repr=False)
    """One per year of the page, ``None`` where the practice has no payments in this CCG that year."""

    @property
    def contract_types(self) -> list[str]:
        """The contract types of its years, earliest first, each once ('' where not known is left out)."""
        seen: list[str] = []
        for year in sorted(self.by_year):
            kind = self.by_year[year].contract_type
            if kind and kind not in seen:
                seen.append(kind)
        return seen

    @property
    def changed_contract(self) -> bool:
        return len(self.contract_types) > 1


@dataclass
class YearTotal(YearPerPatient):
    """Practices' payments summed for one financial year."""

    financial_year: int
    practices: int = 0
    registered_patients: Decimal = ZERO
    total_payments: Decimal = ZERO
    gpfv: Decimal = ZERO

    def add(self, year: PracticeYear) -> None:
        self.practices += 1
        self.registered_patients += year.registered_patients
        self.total_payments += year.total_payments
        self.gpfv += year.gpfv


@dataclass(kw_only=True)
class ClusterYear(YearTotal):
    """The practices of one cluster (or of none) in one financial year, their patients and payments."""

    cluster: Cluster | None

    @property
    def name(self) -> str:
        return self.cluster.name if self.cluster else "Not in a cluster"


@dataclass(kw_only=True)
class CCGYear(YearTotal):
    """The CCG's practices' payments in one year beside its own funding for general practice."""

    sources: list[str]
    funding: SummaryRow | None = None


@dataclass
class PaymentsAcrossYears:
    ccg: CCG
    years: list[int]
    practices: list[PracticeAcrossYears]
    ccg_years: list[CCGYear]
    clusters: dict[int, list[ClusterYear]] = field(default_factory=dict)

    @property
    def year_labels(self) -> list[tuple[int, str]]:
        return [(y, str(FinancialYear(y))) for y in self.years]

    def clusters_in(self, start_year: int) -> list[ClusterYear]:
        return self.clusters.get(start_year, [])

    @property
    def cluster_years(self) -> list[tuple[CCGYear, list[ClusterYear]]]:
        return [(c, self.clusters_in(c.financial_year)) for c in self.ccg_years]


def payments_across_years(*, ccg: CCG) -> PaymentsAcrossYears:
    """The CCG's practices' payments in every year imported, by practice, by cluster and beside
    the CCG's own funding (the module's definitions). Four queries plus the funding summary's four."""
    payments = list(
        PracticePayment.objects.in_ccg(ccg)
        .select_related("practice")
        .annotate(gpfv_total=Sum("lines__amount", filter=Q(lines__kind=PaymentLine.Kind.GPFV)))
        .order_by("practice__name", "practice__ods_code", "financial_year")
    )
    years = sorted({p.financial_year for p in payments})
    by_practice: dict[int, PracticeAcrossYears] = {}
    ccg_years = {y: CCGYear(financial_year=y, sources=[]) for y in years}
    for payment in payments:
        year = PracticeYear(payment=payment, gpfv=to_pence(payment.gpfv_total or ZERO))  # SQLite sums as floats
        by_practice.setdefault(payment.practice_id, PracticeAcrossYears(payment.practice, {})).by_year[
            payment.financial_year
        ] = year
        total = ccg_years[payment.financial_year]
        total.add(year)
        if payment.source and payment.source not in total.sources:
            total.sources.append(payment.source)
    for across in by_practice.values():
        across.cells = [across.by_year.get(y) for y in years]
    funding = {row.financial_year: row for row in funding_summary(ccg=ccg).year_totals()}
    for year, total in ccg_years.items():
        total.funding = funding.get(year)

    clusters: dict[int, list[ClusterYear]] = {}
    if years:
        memberships = list(
            ClusterMembership.objects.filter(practice_id__in=by_practice)
            .filter(start_date__lte=FinancialYear(years[-1]).end)
            .select_related("cluster")
            .order_by("practice_id", "start_date")
        )
        held: dict[int, list[ClusterMembership]] = defaultdict(list)
        for membership in memberships:
            held[membership.practice_id].append(membership)
        for start_year in years:
            last_day = FinancialYear(start_year).end
            groups: dict[int | None, ClusterYear] = {}
            for practice_id, across in by_practice.items():
                year = across.by_year.get(start_year)
                if year is None:
                    continue
                cluster = next(
                    (
                        m.cluster
                        for m in reversed(held.get(practice_id, []))
                        if m.start_date <= last_day and (m.end_date is None or m.end_date > last_day)
                    ),
                    None,
                )
                key = cluster.pk if cluster else None
                groups.setdefault(key, ClusterYear(cluster=cluster, financial_year=start_year)).add(year)
            clusters[start_year] = sorted(groups.values(), key=lambda c: (c.cluster is None, c.name))
    return PaymentsAcrossYears(
        ccg=ccg,
        years=years,
        practices=list(by_practice.values()),
        ccg_years=[ccg_years[y] for y in years],
        clusters=clusters,
    )
