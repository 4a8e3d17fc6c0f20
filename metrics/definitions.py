"""What each metric means, kept in code and shown to users on the metric definitions page.

A metric's value for one organisation and period is ``numerator / denominator * scale``
(a ratio) or ``numerator - denominator`` (a change). A cluster's, CCG's or STP's value is
worked out from the sums of its practices' numerators and denominators, never as an
average of the practices' own values: a practice of 20,000 patients weighs twice as much
as one of 10,000.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Area(StrEnum):
    WORKFORCE = "workforce"
    ACCESS = "access"


class Kind(StrEnum):
    RATIO = "ratio"
    CHANGE = "change"


#: The quarter against which workforce growth is measured: 2017/18 Q3, the first quarter the
#: portal collected the workforce census. A practice without a return for it has no change.
BASELINE_PERIOD = dt.date(2017, 10, 1)
BASELINE_LABEL = "2017/18 Q3"

#: The GP Forward View floor for extended access: 30 minutes a week per 1,000 patients.
MINUTES_FLOOR_PER_1000 = 30

#: Practices with fewer registered patients than this are left out of percentiles.
SMALL_LIST_SIZE = 1000


@dataclass(frozen=True)
class Metric:
    code: str
    name: str
    area: Area
    unit: str
    numerator: str
    denominator: str
    source: str
    caveats: str = ""
    higher_is_better: bool | None = True
    kind: Kind = Kind.RATIO
    scale: float = 1.0
    #: Decimal places every page, chart and export shows the value to (``format``).
    decimals: int = 1
    target: float | None = None
    target_text: str = ""
    #: False for yes/no measures (a practice is fully compliant or not): no percentiles, no outliers.
    benchmarked: bool = True
    #: Only organisations of these levels get a value (the trajectory exists for a CCG only).
    levels: tuple[str, ...] = ("practice", "cluster", "ccg", "stp")

    def __str__(self) -> str:
        return self.name

    @property
    def direction(self) -> str:
        if self.higher_is_better is None:
            return "Neither higher nor lower is better"
        return "Higher is better" if self.higher_is_better else "Lower is better"

    def value_of(self, numerator: float | None, denominator: float | None) -> float | None:
        """The value from one organisation's numerator and denominator (None when it has none)."""
        if numerator is None or denominator is None:
            return None
        if self.kind == Kind.CHANGE:
            return numerator - denominator
        if not denominator:
            return None
        return numerator / denominator * self.scale

    def format(self, value: float | None, *, unit: bool = True, missing: str = "No value") -> str:
        """The value as every page shows it, to the metric's ``decimals``: '0.40 FTE per 1,000 patients',
        '12.5%', '+1.25 FTE'; with ``unit=False`` (a column whose header names the unit) '0.40', '12.5%'."""
        if value is None:
            return missing
        sign = "+" if self.kind == Kind.CHANGE and value > 0 else ""
        number = f"{sign}{value:,.{self.decimals}f}"
        if self.unit == "%":
            return f"{number}%"
        return f"{number} {self.unit}" if unit else number


WORKFORCE_SOURCE = (
    "Accepted workforce census returns (quarterly; staff on the last day of the quarter), with the list size "
    "each return was checked against: the published registered patients for the quarter, or the practice's "
    "own corrected figure with its reason."
)
ACCESS_SOURCE = (
    "Accepted access returns (monthly or quarterly, as the CCG collects them), with the list size each "
    "return was checked against."
)
FTE_NOTE = "1.0 FTE is 37.5 hours a week. Locums and registrars count in GPs, as the return asks."
ZERO_PATIENTS = (
    "A practice with no registered patients has no value of its own, but its figures still count in its "
    "cluster's, CCG's and STP's sums."
)


def _fte_per_1000(code: str, group: str, roles: str) -> Metric:
    return Metric(
        code=code,
        name=f"{group} FTE per 1,000 registered patients",
        area=Area.WORKFORCE,
        unit="FTE per 1,000 patients",
        numerator=f"Full-time equivalent {roles} in post on the last day of the quarter.",
        denominator="Registered patients (the list size the return used), in thousands.",
        source=WORKFORCE_SOURCE,
        caveats=f"{FTE_NOTE} {ZERO_PATIENTS}",
        scale=1000,
        decimals=2,
    )


def _share_aged_55(code: str, group: str) -> Metric:
    return Metric(
        code=code,
        name=f"Share of {group.lower()} aged 55 and over",
        area=Area.WORKFORCE,
        unit="%",
        numerator=f"{group} aged 55 and over (headcount).",
        denominator=f"All {group.lower()} (headcount).",
        source=WORKFORCE_SOURCE,
        caveats="People, not FTE: a retiring part-time partner counts as one. The higher the share, the more "
        "retirements to plan for in the next ten years.",
        higher_is_better=False,
        scale=100,
    )


METRICS: tuple[Metric, ...] = (
    _fte_per_1000("gp_fte_per_1000", "GP", "GPs (partners, salaried, locums, registrars and retainers)"),
    _fte_per_1000("nurse_fte_per_1000", "Nurse", "practice nurses, advanced nurse practitioners and nurse specialists"),
    _fte_per_1000(
        "dpc_fte_per_1000",
        "Direct patient care",
        "direct patient care staff (health care assistants, phlebotomists, clinical pharmacists, physician "
        "associates, mental health therapists, physiotherapists, paramedics and others)",
    ),
    _fte_per_1000("admin_fte_per_1000", "Admin", "admin and non-clinical staff (managers, receptionists, secretaries)"),
    Metric(
        code="patients_per_gp_fte",
        name="Registered patients per GP FTE",
        area=Area.WORKFORCE,
        unit="patients per GP FTE",
        numerator="Registered patients (the list size the return used).",
        denominator="Full-time equivalent GPs in post on the last day of the quarter.",
        source=WORKFORCE_SOURCE,
        caveats=f"{FTE_NOTE} A practice with no GP FTE has no value.",
        higher_is_better=False,
        decimals=0,
    ),
    _share_aged_55("gp_aged_55_plus", "GPs"),
    _share_aged_55("nurse_aged_55_plus", "Nurses"),
    Metric(
        code="vacancy_rate",
        name="Vacancy rate",
        area=Area.WORKFORCE,
        unit="%",
        numerator="Vacant FTE being recruited to on the last day of the quarter, all staff groups.",
        denominator="FTE in post plus vacant FTE, all staff groups.",
        source=WORKFORCE_SOURCE,
        caveats="Only posts being actively recruited to count as vacant.",
        higher_is_better=False,
        scale=100,
    ),
    Metric(
        code="gp_fte_change",
        name=f"Change in GP FTE since {BASELINE_LABEL}",
        area=Area.WORKFORCE,
        unit="FTE",
        numerator="GP FTE in post on the last day of the quarter.",
        denominator=f"GP FTE in post on the last day of the baseline quarter, {BASELINE_LABEL}.",
        source=WORKFORCE_SOURCE,
        caveats=f"Numerator minus denominator. Only practices with an accepted return for both the quarter and "
        f"{BASELINE_LABEL} count, in the practice's figure and in every sum, so a practice that opened or "
        "stopped returning does not look like growth or loss.",
        kind=Kind.CHANGE,
        decimals=2,
    ),
    Metric(
        code="clinical_fte_change",
        name=f"Change in clinical FTE since {BASELINE_LABEL}",
        area=Area.WORKFORCE,
        unit="FTE",
        numerator="GP, nurse and direct patient care FTE in post on the last day of the quarter.",
        denominator=f"The same staff groups' FTE on the last day of the baseline quarter, {BASELINE_LABEL}.",
        source=WORKFORCE_SOURCE,
        caveats=f"Numerator minus denominator. Only practices with an accepted return for both the quarter and "
        f"{BASELINE_LABEL} count.",
        kind=Kind.CHANGE,
        decimals=2,
    ),
    Metric(
        code="gp_fte_against_trajectory",
        name="GP FTE against the CCG's GP Forward View trajectory",
        area=Area.WORKFORCE,
        unit="FTE",
        numerator="GP FTE in post in the CCG's practices that made an accepted return for the quarter.",
        denominator="The GP FTE the CCG's GP Forward View plan planned for the quarter (a trajectory measured "
        "in FTE whose measure starts 'GP FTE' or 'GPs in post').",
        source=f"{WORKFORCE_SOURCE} The trajectory points of the CCG's plans.",
        caveats="Numerator minus denominator: above 0 is ahead of the plan. Practices that made no return are "
        "missing from the numerator, so a low response rate looks like a shortfall.",
        kind=Kind.CHANGE,
        decimals=2,
        benchmarked=False,
        levels=("ccg",),
    ),
    Metric(
        code="clinical_fte_against_trajectory",
        name="Clinical FTE against the CCG's GP Forward View trajectory",
        area=Area.WORKFORCE,
        unit="FTE",
        numerator="GP, nurse and direct patient care FTE in post in the CCG's practices that made an accepted "
        "return for the quarter.",
        denominator="The clinical FTE the CCG's plan planned for the quarter (a trajectory measured in FTE whose "
        "measure starts 'Clinical FTE' or 'Clinical staff in post').",
        source=f"{WORKFORCE_SOURCE} The trajectory points of the CCG's plans.",
        caveats="Numerator minus denominator: above 0 is ahead of the plan. Practices that made no return are "
        "missing from the numerator.",
        kind=Kind.CHANGE,
        decimals=2,
        benchmarked=False,
        levels=("ccg",),
    ),
    # --- access ---------------------------------------------------------------------------
    *(
        Metric(
            code=f"extended_access_{level}",
            name=f"Practices {label} with extended access",
            area=Area.ACCESS,
            unit="%",
            numerator=f"Practices {label}: {rule}.",
            denominator="Practices with an accepted access return for the period.",
            source=ACCESS_SOURCE,
            caveats="A practice's own value is 100% or 0%: it is the compliance of its return. A slot met "
            "through the practice's group or hub counts as met.",
            higher_is_better={"full": True, "partial": None, "none": False}[level],
            scale=100,
            decimals=0,
            benchmarked=False,
        )
        for level, label, rule in (
            (
                "full",
                "fully compliant",
                "pre-bookable appointments before 08:00 or after 18:30 on weekdays, on Saturdays and on Sundays",
            ),
            ("partial", "partially compliant", "one or two of the three slots"),
            ("none", "not compliant", "none of the three slots"),
        )
    ),
    Metric(
        code="extended_access_through_group",
        name="Practices meeting extended access through their group or hub",
        area=Area.ACCESS,
        unit="%",
        numerator="Practices at least partially compliant that meet at least one of the three slots only through "
        "their group, hub or federation.",
        denominator="Practices with an accepted access return for the period.",
        source=ACCESS_SOURCE,
        caveats="A practice's own value is 100% or 0%. Shows how much of extended access rests on shared hubs.",
        higher_is_better=None,
        scale=100,
        decimals=0,
        benchmarked=False,
    ),
    Metric(
        code="extended_access_population_covered",
        name="Registered population covered by fully compliant extended access",
        area=Area.ACCESS,
        unit="%",
        numerator="Registered patients of practices that are fully compliant with extended access.",
        denominator="Registered patients of practices with an accepted access return for the period.",
        source=ACCESS_SOURCE,
        caveats="Practices without an accepted return are in neither figure.",
        scale=100,
        decimals=1,
        target=100,
        target_text="100% of the population by March 2019 (GP Forward View).",
        benchmarked=False,
    ),
    Metric(
        code="extended_access_minutes_per_1000",
        name="Extended access minutes a week per 1,000 patients",
        area=Area.ACCESS,
        unit="minutes a week per 1,000 patients",
        numerator="Minutes of pre-bookable appointments outside core hours in a typical week, at the practice or "
        "through its group.",
        denominator="Registered patients, in thousands.",
        source=ACCESS_SOURCE,
        caveats=f"The GP Forward View floor is {MINUTES_FLOOR_PER_1000} minutes a week per 1,000 patients. "
        f"Hub minutes are as each practice reported its share. {ZERO_PATIENTS}",
        scale=1000,
        target=MINUTES_FLOOR_PER_1000,
        target_text=f"At least {MINUTES_FLOOR_PER_1000} minutes a week per 1,000 patients.",
    ),
    Metric(
        code="appointments_per_1000",
        name="Appointments a week per 1,000 patients",
        area=Area.ACCESS,
        unit="appointments a week per 1,000 patients",
        numerator="Appointments of every mode in the period.",
        denominator="Registered patients, in thousands, times the weeks in the period (so months and quarters "
        "compare).",
        source=ACCESS_SOURCE,
        caveats=f"Appointments include those not attended. {ZERO_PATIENTS}",
        higher_is_better=None,
        scale=1000,
    ),
    *(
        Metric(
            code=f"appointments_{mode}_share",
            name=f"{label} appointments, share of all",
            area=Area.ACCESS,
            unit="%",
            numerator=f"{label} appointments in the period.",
            denominator="Appointments of every mode in the period.",
            source=ACCESS_SOURCE,
            caveats="The mix by mode; the four shares add up to 100%.",
            higher_is_better=None,
            scale=100,
        )
        for mode, label in (
            ("face_to_face", "Face to face"),
            ("telephone", "Telephone"),
            ("online", "Online or video"),
            ("home_visit", "Home visit"),
        )
    ),
    Metric(
        code="dna_rate",
        name="Appointments not attended (DNA rate)",
        area=Area.ACCESS,
        unit="%",
        numerator="Booked appointments the patient did not attend and did not cancel.",
        denominator="Appointments of every mode in the period.",
        source=ACCESS_SOURCE,
        higher_is_better=False,
        scale=100,
    ),
    *(
        Metric(
            code=code,
            name=name,
            area=Area.ACCESS,
            unit="%",
            numerator=numerator,
            denominator="Registered patients.",
            source=ACCESS_SOURCE,
            caveats=caveat,
            scale=100,
            target=target,
            target_text=target_text,
        )
        for code, name, numerator, caveat, target, target_text in (
            (
                "online_registration",
                "Patients registered for online services",
                "Registered patients multiplied by the percentage registered for online services the practice "
                "reported.",
                "Weighted by list size: the CCG's figure is its patients registered for online services out of "
                "all its registered patients.",
                20,
                "20% of patients registered for online services (GP Forward View, 2017/18).",
            ),
            (
                "eps_utilisation",
                "Repeat prescriptions by the Electronic Prescription Service",
                "Registered patients multiplied by the percentage of repeat prescriptions the practice sent by EPS.",
                "The return gives a percentage, not the counts of prescriptions, so the CCG's figure weights each "
                "practice by its list size rather than by its prescriptions.",
                80,
                "80% of repeat prescriptions by EPS.",
            ),
            (
                "ers_utilisation",
                "Referrals through the NHS e-Referral Service",
                "Registered patients multiplied by the percentage of referrals the practice made through the "
                "e-Referral Service.",
                "The return gives a percentage, not the counts of referrals, so the CCG's figure weights each "
                "practice by its list size rather than by its referrals.",
                100,
                "100% of first outpatient referrals by October 2018 (paper switch-off).",
            ),
        )
    ),
)

BY_CODE: dict[str, Metric] = {metric.code: metric for metric in METRICS}


def choices() -> list[tuple[str, str]]:
    """The metric codes and names, for the models' ``choices``: a callable, so that a migration
    refers to it rather than copying the list, and a new metric needs no migration."""
    return [(metric.code, metric.name) for metric in METRICS]


def metric(code: str) -> Metric:
    return BY_CODE[code]


def of_area(area: Area) -> tuple[Metric, ...]:
    return tuple(m for m in METRICS if m.area == area)


#: How equal values rank, in the stored percentiles (in the CCG and in the portal) and in any group a
#: page ranks (``metrics.engine.percentile_among``).
TIE_RULE = (
    "Practices with equal values (as stored, to 9 decimal places) share a percentile: the average of the ranks "
    "they span, so of four values 1, 2, 2 and 3 both 2s are at the 50th percentile, and so share a decile."
)

#: The benchmarking rules, in words, as the definitions page shows them.
BENCHMARK_RULES = (
    "Each practice's value has two percentiles: among the practices of its CCG and among all practices in the "
    "portal, for the same metric and period. 0 is the lowest value and 100 the highest, whichever way is better.",
    TIE_RULE,
    f"Left out of the percentiles, deciles and outlier fences (but still shown, and still in every sum): practices "
    f"closed on the last day of the period, dormant practices, practices with fewer than {SMALL_LIST_SIZE:,} "
    "registered patients, and practices without a value (no patients, or no staff for a per-GP figure).",
    "Deciles on charts are the 10th to 90th percentiles of the practices in the portal.",
    "An outlier is a value more than 1.5 times the interquartile range below the lower quartile or above the upper "
    "quartile of the practices in the portal (Tukey's fences).",
    "Yes/no measures (extended access compliance, the population it covers) and the trajectory have no percentiles.",
)


#: NHS Digital's own figures, beside the practices' returns: CCG level only, worked out when a
#: page is read from ``access.PublishedAppointments`` (the engine computes from returns).
PUBLISHED_SOURCE = (
    "NHS Digital, Appointments in General Practice: CCG-level monthly CSV, from March 2019 (imported with "
    "import_reference appointments). The 2021 releases give merged CCGs' figures for the months before their "
    "merger too, so a CCG that merged has the merged area's figures."
)
PUBLISHED_METRICS: tuple[Metric, ...] = (
    Metric(
        code="published_appointments_per_1000",
        name="Published appointments a week per 1,000 patients",
        area=Area.ACCESS,
        unit="appointments a week per 1,000 patients",
        numerator="Appointments NHS Digital counted in the month, of every status, staff type and mode.",
        denominator="Registered patients of the area's practices on the first day of the month, in thousands, "
        "times the weeks in the month (days / 7), so that it compares with the practices' own returns.",
        source=PUBLISHED_SOURCE,
        caveats="Counts the appointments in practices' clinical systems, not only those with a GP; not attended "
        "appointments are included.",
        higher_is_better=None,
        scale=1000,
        benchmarked=False,
        levels=("ccg",),
    ),
    *(
        Metric(
            code=f"published_{mode}_share",
            name=f"Published {label.lower()} appointments, share of all",
            area=Area.ACCESS,
            unit="%",
            numerator=f"{label} appointments NHS Digital counted in the month.",
            denominator="Appointments NHS Digital counted in the month, of every mode.",
            source=PUBLISHED_SOURCE,
            caveats="The five shares, with 'Unknown', add up to 100%.",
            higher_is_better=None,
            scale=100,
            benchmarked=False,
            levels=("ccg",),
        )
        for mode, label in (
            ("face_to_face", "Face to face"),
            ("telephone", "Telephone"),
            ("online", "Video or online"),
            ("home_visit", "Home visit"),
            ("unknown", "Unknown mode"),
        )
    ),
    Metric(
        code="published_dna_rate",
        name="Published appointments not attended (DNA rate)",
        area=Area.ACCESS,
        unit="%",
        numerator="Appointments of status 'DNA' (did not attend) NHS Digital counted in the month.",
        denominator="Appointments NHS Digital counted in the month, of every status (attended, DNA, unknown).",
        source=PUBLISHED_SOURCE,
        higher_is_better=False,
        scale=100,
        benchmarked=False,
        levels=("ccg",),
    ),
)
PUBLISHED_BY_CODE: dict[str, Metric] = {metric.code: metric for metric in PUBLISHED_METRICS}


def published(code: str) -> Metric:
    return PUBLISHED_BY_CODE[code]
