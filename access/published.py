"""NHS Digital's published appointments (GPAD) for a CCG, month by month, per 1,000 patients.

NHS Digital publishes the figures under the commissioner code of its release. For a CCG
that later merged (Wolverhampton into the Black Country and West Birmingham, D2P2L) the
2021 releases give only the merged CCG's figures, months before the merger included, so the
page shows the merged area's figures and says which of the portal's CCGs they cover. The
patients they are set against are those of all the CCGs covered (``practices.populations``,
on the first day of each month), so the rate is the whole area's.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, Sum

from metrics import definitions as d
from portal.periods import MONTHLY, weeks_in
from practices.models import CCG, CCGMembership, Practice
from practices.populations import Population, counted_practices, population_of

from .models import PublishedAppointments

Mode = PublishedAppointments.Mode
Status = PublishedAppointments.Status
SOURCE = "NHS Digital, Appointments in General Practice (CCG level, monthly)"

#: The CCG mergers of April 2020 and April 2021 behind the merged codes of the four GPAD files
#: the portal ships (ODS successor records; NHS England's CCG mergers of 2020 and 2021). The
#: practice map links only the CCGs the portal holds, so this says which CCGs an area needs
#: before its patients, and so a rate per 1,000, can be counted.
MERGERS: dict[str, tuple[str, ...]] = {
    "D2P2L": ("05C", "05L", "05Y", "06A"),  # Black Country and West Birmingham, 1 April 2021
    "M1J4Y": ("04F", "06F", "06P"),  # Bedfordshire, Luton and Milton Keynes, 1 April 2021
    "26A": ("06M", "06V", "06W", "06Y", "07J"),  # Norfolk and Waveney, 1 April 2020
    "84H": ("00D", "00J"),  # County Durham, 1 April 2020
}


@dataclass
class PublishedArea:
    """The commissioner code NHS Digital publishes a CCG's appointments under, and the CCGs it covers."""

    code: str
    name: str
    ccgs: list[CCG]

    @property
    def is_merged(self) -> bool:
        return self.code in MERGERS or len(self.ccgs) > 1 or any(ccg.ods_code != self.code for ccg in self.ccgs)

    @property
    def missing_ccgs(self) -> list[str]:
        """The codes of the area's former CCGs the portal does not hold: its patients cannot be counted without them."""
        held = {ccg.ods_code for ccg in self.ccgs}
        return [code for code in MERGERS.get(self.code, ()) if code not in held]

    @property
    def counts_patients(self) -> bool:
        return not self.missing_ccgs


@dataclass
class MonthAppointments:
    """One month's published appointments in an area, and the area's registered patients on its first day."""

    month: dt.date
    population: Population
    appointments: int = 0
    by_mode: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    did_not_attend: int = 0

    @property
    def weeks(self) -> float:
        return weeks_in(MONTHLY, self.month)

    def value(self, code: str) -> float | None:
        """The value of one of ``metrics.definitions.PUBLISHED_METRICS`` for this month."""
        metric = d.published(code)
        if code == "published_appointments_per_1000":
            patients = self.population.patients
            return metric.value_of(self.appointments, patients * self.weeks) if patients else None
        if code == "published_dna_rate":
            return metric.value_of(self.did_not_attend, self.appointments)
        mode = code.removeprefix("published_").removesuffix("_share")
        return metric.value_of(self.by_mode.get(mode, 0), self.appointments)

    def display(self, code: str) -> str:
        return d.published(code).format(self.value(code))


def published_area(ccg: CCG) -> PublishedArea | None:
    """The code the CCG's appointments are published under: its own, else its successor's or the
    merged CCG's it became part of; None if none has any."""
    codes = [ccg.ods_code]
    if ccg.successor_id:
        codes.append(ccg.successor.ods_code)
    codes += [merged for merged, former in MERGERS.items() if ccg.ods_code in former]
    held = dict(
        PublishedAppointments.objects.filter(ccg_code__in=codes)
        .order_by("ccg_code", "-month")
        .values_list("ccg_code", "ccg_name")
    )
    code = next((c for c in codes if c in held), None)
    if code is None:
        return None
    covered = list(
        CCG.objects.filter(
            Q(ods_code=code) | Q(successor__ods_code=code) | Q(ods_code__in=MERGERS.get(code, ()))
        ).order_by("name")
    )
    return PublishedArea(code=code, name=held[code], ccgs=covered)


def published_months(area: PublishedArea, *, latest: int = 13) -> list[MonthAppointments]:
    """The area's ``latest`` months of published appointments, newest first: two queries, and one per month."""
    rows = (
        PublishedAppointments.objects.filter(ccg_code=area.code)
        .values("month", "mode", "status")
        .annotate(total=Sum("appointments"))
    )
    months = sorted({row["month"] for row in rows}, reverse=True)[:latest]
    found = {
        month: MonthAppointments(
            month=month, population=area_population(area, month) if area.counts_patients else Population(on=month)
        )
        for month in months
    }
    for row in rows:
        figures = found.get(row["month"])
        if figures is None:
            continue
        figures.appointments += row["total"]
        figures.by_mode[row["mode"]] += row["total"]
        if row["status"] == Status.DNA:
            figures.did_not_attend += row["total"]
    return [found[month] for month in months]


def area_population(area: PublishedArea, on: dt.date) -> Population:
    """The registered patients of every practice of the CCGs the area covers on ``on`` (one query)."""
    members = CCGMembership.objects.current(on).filter(ccg__in=area.ccgs).values("practice_id")
    return population_of(counted_practices(Practice.objects.filter(pk__in=members), on), on)
