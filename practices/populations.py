"""The registered population of a CCG or a cluster on a date, and what it was counted from.

Definition (shown to users): the practices that were members of the organisation on that
date (dated CCG or cluster memberships) and open, each with its latest list size total on or
before that date; a list size published after the date never moves it. Of two figures for
one day (QOF and the payments file both count 1 January), the same one is taken every time.
The result says which extract dates and which publications and files the figures came from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import OuterRef, QuerySet, Subquery

from .models import CCG, CCGMembership, Cluster, ListSize, Practice

DEFINITION = (
    "The registered population of a CCG or cluster on a date counts the practices that were members of it on "
    "that date and open, each with its latest list size on or before that date."
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

    @property
    def source(self) -> str:
        return "; ".join(sorted(self.sources)) or "no list sizes on or before that date"

    @property
    def latest_extract(self) -> dt.date | None:
        return max(self.extract_dates, default=None)

    @property
    def source_file(self) -> str:
        return "; ".join(sorted(self.source_files))


def per_head_population_date(start_year: int) -> dt.date:
    """The date a financial year's per-head money counts its population on: the year's first day, 1 April.

    With ``population_on`` that is each practice's latest list size on or before 1 April, so
    2017/18 money is set against the list sizes of January 2017, not those of a later year.
    """
    return dt.date(start_year, 4, 1)


def ccg_practices_on(ccg: CCG | int, on: dt.date) -> QuerySet[Practice]:
    """The open practices that were members of the CCG on ``on`` (chainable)."""
    ccg_id = ccg.pk if isinstance(ccg, CCG) else ccg
    members = CCGMembership.objects.current(on).filter(ccg_id=ccg_id).values("practice_id")
    return Practice.objects.filter(pk__in=members).open_on(on)


def population_of(practices: QuerySet[Practice], on: dt.date) -> Population:
    """The registered population of ``practices`` on ``on``: each one's latest total on or before it. One query."""
    population = Population(on=on)
    latest = ListSize.objects.totals().filter(practice=OuterRef("pk"), extract_date__lte=on)
    latest = latest.order_by(*ListSize.LATEST_FIRST)
    rows = practices.with_list_size(on).annotate(
        source=Subquery(latest.values("source")[:1]), source_file=Subquery(latest.values("source_file")[:1])
    )
    for code, patients, extract_date, source, source_file in rows.values_list(
        "ods_code", "list_size", "list_size_date", "source", "source_file"
    ):
        population.practices += 1
        if patients is None:
            population.without_list_size.append(code)
            continue
        population.patients += patients
        population.extract_dates.add(extract_date)
        if source:
            population.sources.add(source)
        if source_file:
            population.source_files.add(source_file)
    return population


def population_on(organisation: CCG | Cluster, on: dt.date) -> Population:
    """The registered population of a CCG or a cluster on ``on`` (see the module's definition)."""
    if isinstance(organisation, Cluster):
        practices = Practice.objects.in_cluster(organisation, on).open_on(on)
    else:
        practices = ccg_practices_on(organisation, on)
    return population_of(practices, on)
