"""The registered population of a CCG or a cluster on a date, and what it was counted from.

Definition (shown to users): the practices that were members of the organisation on that
date (dated CCG or cluster memberships) and open (``PracticeQuerySet.open_on``: active in
ODS, or closed after that date), each with its latest list size total on or before that
date; a list size published after the date never moves it. Of two figures for one day (QOF
and the payments file both count 1 January), the same one is taken every time. The result
says which extract dates and which publications and files the figures came from, whether
it adds list sizes of different extract dates, and the date of the ODS file the practices'
statuses come from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import OuterRef, QuerySet, Subquery

from portal.display import as_at, uk_date

from .models import CCG, CCGMembership, Cluster, ClusterMembership, ListSize, Practice

DEFINITION = (
    "The registered population of a CCG or cluster on a date counts the practices that were members of it on "
    "that date and open (active in ODS, or closed after that date), each with its latest list size on or before"
    " that date."
)


@dataclass
class Population:
    """A registered population on a date, and what it was counted from."""

    on: dt.date
    patients: int = 0
    practices: int = 0
    without_list_size: list[str] = field(default_factory=list)
    extract_dates: set[dt.date] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    source_files: set[str] = field(default_factory=set)
    #: The dates of the ODS files the practices' statuses come from (none for practices added by hand).
    ods_file_dates: set[dt.date] = field(default_factory=set)

    @property
    def mixes_extract_dates(self) -> bool:
        """True when the total adds list sizes of more than one extract date."""
        return len(self.extract_dates) > 1

    @property
    def earliest_extract(self) -> dt.date | None:
        return min(self.extract_dates, default=None)

    @property
    def dates_text(self) -> str:
        """The extract dates the total adds, in words: 'list sizes as at 1 May 2022' or 'list sizes of
        3 extract dates, 1 Jan 2017 to 1 May 2022, added together'."""
        if not self.extract_dates:
            return ""
        if not self.mixes_extract_dates:
            return f"list sizes {as_at(self.latest_extract)}"
        return (
            f"list sizes of {len(self.extract_dates)} extract dates, {uk_date(self.earliest_extract)}"
            f" to {uk_date(self.latest_extract)}, added together"
        )

    @property
    def ods_file_date(self) -> dt.date | None:
        """The latest ODS file the practices' open or closed status comes from."""
        return max(self.ods_file_dates, default=None)

    @property
    def source(self) -> str:
        return "; ".join(sorted(self.sources)) or "no list sizes on or before that date"

    @property
    def latest_extract(self) -> dt.date | None:
        return max(self.extract_dates, default=None)

    @property
    def source_file(self) -> str:
        return "; ".join(sorted(self.source_files))

    def add(
        self,
        code: str,
        patients: int | None,
        extract_date=None,
        source: str = "",
        source_file: str = "",
        ods_file_date: dt.date | None = None,
    ) -> None:
        """Count one practice with its latest list size total (None: it has none on or before the date)."""
        self.practices += 1
        if ods_file_date:
            self.ods_file_dates.add(ods_file_date)
        if patients is None:
            self.without_list_size.append(code)
            return
        self.patients += patients
        self.extract_dates.add(extract_date)
        if source:
            self.sources.add(source)
        if source_file:
            self.source_files.add(source_file)


def per_head_population_date(start_year: int) -> dt.date:
    """The date a financial year's per-head money counts its population on: the year's first day, 1 April.

    With ``population_on`` that is each practice's latest list size on or before 1 April, so
    2017/18 money is set against the list sizes of January 2017, not those of a later year.
    """
    return dt.date(start_year, 4, 1)


def counted_practices(practices: QuerySet[Practice], on: dt.date) -> QuerySet[Practice]:
    """Of ``practices``, those open on ``on`` (``PracticeQuerySet.open_on``: dormant and proposed never count)."""
    return practices.open_on(on)


def ccg_practices_on(ccg: CCG | int, on: dt.date) -> QuerySet[Practice]:
    """The open practices that were members of the CCG on ``on`` (chainable)."""
    ccg_id = ccg.pk if isinstance(ccg, CCG) else ccg
    members = CCGMembership.objects.current(on).filter(ccg_id=ccg_id).values("practice_id")
    return counted_practices(Practice.objects.filter(pk__in=members), on)


def _latest_list_size(practice_ref: str, on: dt.date) -> dict[str, Subquery]:
    """Annotations of the latest list size total on or before ``on`` of the practice ``practice_ref`` names."""
    latest = ListSize.objects.totals().filter(practice=OuterRef(practice_ref), extract_date__lte=on)
    latest = latest.order_by(*ListSize.LATEST_FIRST)
    return {
        name: Subquery(latest.values(column)[:1])
        for name, column in [("patients_on", "patients"), ("extract_date_on", "extract_date"),
                             ("source_on", "source"), ("source_file_on", "source_file")]
    }  # fmt: skip


_COLUMNS = ("patients_on", "extract_date_on", "source_on", "source_file_on")


def population_of(practices: QuerySet[Practice], on: dt.date) -> Population:
    """The registered population of ``practices`` on ``on``: each one's latest total on or before it. One query."""
    population = Population(on=on)
    rows = practices.annotate(**_latest_list_size("pk", on)).values_list("ods_code", *_COLUMNS, "ods_file_date")
    for code, *figures in rows:
        population.add(code, *figures)
    return population


def population_on(organisation: CCG | Cluster, on: dt.date) -> Population:
    """The registered population of a CCG or a cluster on ``on`` (see the module's definition)."""
    if isinstance(organisation, Cluster):
        practices = counted_practices(Practice.objects.in_cluster(organisation, on), on)
    else:
        practices = ccg_practices_on(organisation, on)
    return population_of(practices, on)


def populations_on(organisations: Iterable[CCG] | Iterable[Cluster], on: dt.date) -> dict[int, Population]:
    """``population_on`` for many CCGs or many clusters (all of one kind) at once, by id: one
    query however many there are, for lists and the API."""
    organisations = list(organisations)
    populations = {organisation.pk: Population(on=on) for organisation in organisations}
    if not organisations:
        return populations
    if isinstance(organisations[0], Cluster):
        memberships, key = ClusterMembership.objects.filter(cluster_id__in=populations), "cluster_id"
    else:
        memberships, key = CCGMembership.objects.filter(ccg_id__in=populations), "ccg_id"
    rows = (
        memberships.current(on)
        .filter(practice__in=counted_practices(Practice.objects.all(), on))
        .annotate(**_latest_list_size("practice_id", on))
        .values_list(key, "practice__ods_code", *_COLUMNS, "practice__ods_file_date")
        .distinct()  # a practice counts once, even with two overlapping memberships
    )
    for organisation_id, code, *figures in rows:
        populations[organisation_id].add(code, *figures)
    return populations
