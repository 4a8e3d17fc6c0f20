"""Premises capacity arithmetic: each practice's share of the space it works from, a
cluster's space per 1,000 registered patients, and the projection as housing grows.

The functions read in a fixed number of queries whatever the number of practices, and do
the arithmetic in Python with ``Decimal``, so each step can be unit-tested. The Celery job
``estates.tasks.refresh_capacity`` stores their results; the pages read the stored rows.

The definitions, shown to users on the capacity page, are ``DEFINITIONS`` below.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone

from portal.periods import FinancialYear
from practices.models import ClusterMembership, Practice, Site

from .models import ZERO, HousingGrowth, Premises, Scheme, SiteOccupancy, per_1000

HUNDRED = Decimal("100")

DEFINITIONS: tuple[str, ...] = (
    "A practice's area is, over the open sites it works from on the day, each site's gross internal area "
    "times the practice's share of the site: a practice sharing another's site uses the share recorded for "
    "it, and the site's own practice keeps the rest. Clinical rooms likewise.",
    "A cluster's area is the sum of its member practices' areas, so a site shared by two members counts once.",
    "Per 1,000 patients is the area (or rooms) divided by the registered patients, times 1,000, with each "
    "practice's latest list size on or before the day.",
    "Projected patients in a later financial year are the list sizes plus, for each financial year after the "
    "list sizes' year up to that one, the new dwellings expected in the cluster's area times the patients per "
    "dwelling.",
    "Projected area adds the space of approved and in-build schemes from the financial year they are expected "
    "to open. Open schemes are in the premises register instead.",
    "A cluster falls below the guide in the first financial year whose figure per 1,000 patients is less than "
    "the guide figure.",
)


@dataclass
class Space:
    """Floor area and clinical rooms a practice (or cluster) has, and from how many sites."""

    area_m2: Decimal = ZERO
    clinical_rooms: Decimal = ZERO
    sites: int = 0
    sites_without_details: int = 0

    def add(self, area: Decimal | None, rooms: int | None, share: Decimal) -> None:
        self.sites += 1
        if area is None:
            self.sites_without_details += 1
            return
        self.area_m2 += Decimal(area) * share
        self.clinical_rooms += Decimal(rooms or 0) * share

    def __iadd__(self, other: Space) -> Space:
        self.area_m2 += other.area_m2
        self.clinical_rooms += other.clinical_rooms
        self.sites += other.sites
        self.sites_without_details += other.sites_without_details
        return self

    def rounded(self) -> Space:
        return Space(
            self.area_m2.quantize(Decimal("0.1"), ROUND_HALF_UP),
            self.clinical_rooms.quantize(Decimal("0.01"), ROUND_HALF_UP),
            self.sites,
            self.sites_without_details,
        )


def _open_sites(on: dt.date) -> Q:
    return (Q(open_date__isnull=True) | Q(open_date__lte=on)) & (Q(close_date__isnull=True) | Q(close_date__gt=on))


def _current_occupancy(on: dt.date) -> Q:
    return (Q(start_date__isnull=True) | Q(start_date__lte=on)) & (Q(end_date__isnull=True) | Q(end_date__gt=on))


def practice_space(practice_ids: Iterable[int], on: dt.date) -> dict[int, Space]:
    """Each practice's share of the open sites it hosts or shares on ``on``; two queries.

    A site with no premises details counts in ``sites_without_details`` and adds no space.
    """
    ids = set(practice_ids)
    occupancies = list(
        SiteOccupancy.objects.filter(_current_occupancy(on))
        .filter(Q(practice_id__in=ids) | Q(site__practice_id__in=ids))
        .filter(site__in=Site.objects.filter(_open_sites(on)))
        .values_list(
            "site_id", "practice_id", "share_percent", "site__premises__gross_internal_area_m2",
            "site__premises__clinical_rooms",
        )
    )  # fmt: skip
    others_share: dict[int, Decimal] = defaultdict(lambda: ZERO)
    spaces: dict[int, Space] = {practice_id: Space() for practice_id in ids}
    for site_id, practice_id, share, area, rooms in occupancies:
        others_share[site_id] += share
        if practice_id in ids:
            spaces[practice_id].add(area, rooms, share / HUNDRED)
    hosted = (
        Site.objects.filter(_open_sites(on), practice_id__in=ids)
        .values_list("pk", "practice_id", "premises__gross_internal_area_m2", "premises__clinical_rooms")
    )  # fmt: skip
    for site_id, practice_id, area, rooms in hosted:
        host_share = max(HUNDRED - others_share[site_id], ZERO) / HUNDRED
        spaces[practice_id].add(area, rooms, host_share)
    return spaces


@dataclass
class PracticeFigures:
    """One practice's list size and space on a day."""

    practice_id: int
    patients: int | None
    list_size_date: dt.date | None
    space: Space

    @property
    def area_per_1000(self) -> Decimal | None:
        return per_1000(self.space.area_m2, self.patients)

    @property
    def rooms_per_1000(self) -> Decimal | None:
        return per_1000(self.space.clinical_rooms, self.patients)


def practice_figures(practices, on: dt.date) -> dict[int, PracticeFigures]:
    """List size and space of each of ``practices`` (a queryset) on ``on``; three queries."""
    rows = list(practices.with_list_size(on).values_list("pk", "list_size", "list_size_date"))
    spaces = practice_space([pk for pk, _, _ in rows], on)
    return {pk: PracticeFigures(pk, size, size_date, spaces[pk]) for pk, size, size_date in rows}


@dataclass
class ClusterNow:
    """A cluster's members, registered patients and space on a day."""

    cluster_id: int
    practice_ids: list[int] = field(default_factory=list)
    patients: int = 0
    practices_without_list_size: int = 0
    as_at: dt.date | None = None
    space: Space = field(default_factory=Space)

    @property
    def area_per_1000(self) -> Decimal | None:
        return per_1000(self.space.area_m2, self.patients)

    @property
    def rooms_per_1000(self) -> Decimal | None:
        return per_1000(self.space.clinical_rooms, self.patients)


def cluster_figures(
    cluster_ids: Iterable[int], on: dt.date
) -> tuple[dict[int, ClusterNow], dict[int, PracticeFigures]]:
    """The members on ``on`` of each cluster (closed practices left out), their patients and
    their space summed; four queries. Also returns the figures of each member practice."""
    members: dict[int, ClusterNow] = {cluster_id: ClusterNow(cluster_id) for cluster_id in cluster_ids}
    memberships = (
        ClusterMembership.objects.current(on)
        .filter(cluster_id__in=members)
        .exclude(practice__status=Practice.Status.CLOSED)
        .values_list("cluster_id", "practice_id")
    )
    practice_ids = set()
    for cluster_id, practice_id in memberships:
        members[cluster_id].practice_ids.append(practice_id)
        practice_ids.add(practice_id)
    figures = practice_figures(Practice.objects.filter(pk__in=practice_ids), on)
    for cluster in members.values():
        for practice_id in cluster.practice_ids:
            practice = figures[practice_id]
            cluster.space += practice.space
            if practice.patients is None:
                cluster.practices_without_list_size += 1
                continue
            cluster.patients += practice.patients
            if practice.list_size_date and (cluster.as_at is None or practice.list_size_date > cluster.as_at):
                cluster.as_at = practice.list_size_date
    return members, figures


@dataclass(frozen=True)
class SchemeAddition:
    """Space a scheme adds from the financial year it opens."""

    open_year: int
    area_m2: Decimal
    clinical_rooms: int


@dataclass
class YearCapacity:
    """A cluster's patients and space in one financial year, projected or not."""

    year: int
    is_projected: bool
    patients: int | None
    new_dwellings: int
    area_m2: Decimal
    clinical_rooms: Decimal
    scheme_area_m2: Decimal = ZERO
    scheme_rooms: int = 0

    @property
    def year_label(self) -> str:
        return str(FinancialYear(self.year))

    @property
    def area_per_1000(self) -> Decimal | None:
        return per_1000(self.area_m2, self.patients)

    @property
    def rooms_per_1000(self) -> Decimal | None:
        return per_1000(self.clinical_rooms, self.patients)


def project_capacity(
    *,
    base_year: int,
    patients: int | None,
    area_m2: Decimal,
    clinical_rooms: Decimal,
    dwellings_by_year: dict[int, int],
    patients_per_dwelling: Decimal,
    schemes: Iterable[SchemeAddition] = (),
    years: int,
) -> list[YearCapacity]:
    """The base year (the list sizes' financial year) and ``years`` projected years after it."""
    schemes = list(schemes)
    rows = [YearCapacity(base_year, False, patients, 0, area_m2, clinical_rooms)]
    dwellings = 0
    for year in range(base_year + 1, base_year + years + 1):
        dwellings += dwellings_by_year.get(year, 0)
        growth = (Decimal(dwellings) * patients_per_dwelling).quantize(Decimal("1"), ROUND_HALF_UP)
        opened = [s for s in schemes if s.open_year <= year]
        scheme_area = sum((s.area_m2 for s in opened), ZERO)
        scheme_rooms = sum(s.clinical_rooms for s in opened)
        rows.append(
            YearCapacity(
                year=year,
                is_projected=True,
                patients=None if patients is None else patients + int(growth),
                new_dwellings=dwellings,
                area_m2=area_m2 + scheme_area,
                clinical_rooms=clinical_rooms + scheme_rooms,
                scheme_area_m2=scheme_area,
                scheme_rooms=scheme_rooms,
            )
        )
    return rows


def first_year_below(rows, guide: Decimal, measure: str = "area_per_1000") -> int | None:
    """The first financial year whose ``measure`` is below ``guide``; None if it never is."""
    for row in rows:
        value = getattr(row, measure)
        if value is not None and value < guide:
            return row.year
    return None


@dataclass
class VoidSaving:
    """Void space of the same sites then and now: what their empty space cost a year at each date."""

    since: dt.date
    sites: int = 0
    area_then: Decimal = ZERO
    cost_then: Decimal = ZERO
    area_now: Decimal = ZERO
    cost_now: Decimal = ZERO

    @property
    def saving(self) -> Decimal:
        return self.cost_then - self.cost_now


def void_saving(premises_ids: Iterable[int], since: dt.date) -> VoidSaving:
    """Like for like: the premises recorded on ``since`` (read from their change history),
    their void space and cost then, and the same premises' now; two queries."""
    moment = timezone.make_aware(dt.datetime.combine(since, dt.time.max))
    then = Premises.history.as_of(moment).filter(id__in=list(premises_ids))
    result = VoidSaving(since)
    ids = []
    for premises_id, area, cost in then.values_list("id", "void_area_m2", "void_cost_per_year"):
        ids.append(premises_id)
        result.area_then += area or ZERO
        result.cost_then += cost or ZERO
    result.sites = len(ids)
    for area, cost in Premises.objects.filter(pk__in=ids).values_list("void_area_m2", "void_cost_per_year"):
        result.area_now += area or ZERO
        result.cost_now += cost or ZERO
    return result


def housing_growth_by_cluster(cluster_ids: Iterable[int]) -> dict[int, dict[int, int]]:
    growth: dict[int, dict[int, int]] = defaultdict(dict)
    for cluster_id, year, dwellings in HousingGrowth.objects.filter(cluster_id__in=list(cluster_ids)).values_list(
        "cluster_id", "year", "new_dwellings"
    ):
        growth[cluster_id][year] = dwellings
    return growth


def scheme_additions_by_cluster(cluster_ids: Iterable[int]) -> dict[int, list[SchemeAddition]]:
    """Approved and in-build schemes with an expected opening date, by the cluster they add to."""
    additions: dict[int, list[SchemeAddition]] = defaultdict(list)
    schemes = Scheme.objects.filter(
        cluster_id__in=list(cluster_ids), status__in=Scheme.ADDS_PROJECTED_CAPACITY, expected_open_date__isnull=False
    ).values_list("cluster_id", "expected_open_date", "area_added_m2", "clinical_rooms_added")
    for cluster_id, open_date, area, rooms in schemes:
        additions[cluster_id].append(SchemeAddition(FinancialYear.containing(open_date).start_year, area, rooms))
    return additions
