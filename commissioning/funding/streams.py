"""The General Practice Forward View funding streams, as the planning documents give them.

Sources: General Practice Forward View (NHS England, April 2016), NHS Operational Planning
and Contracting Guidance 2017-2019, and the GPFV planning templates CCGs returned. Loaded
by a data migration; commissioners add their own streams and rules in the portal, and
administrators correct these ones. Reference dates for per-head rates are the 1 January
list-size extract before the rate's first year (an assumption: the guidance says
'registered population' without a date).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class RateSpec:
    first_year: int
    last_year: int
    rate_per_head: Decimal
    population_date: dt.date


@dataclass(frozen=True)
class StreamSpec:
    code: str
    name: str
    short_name: str
    source: str
    basis: str
    recurrent: bool
    first_year: int | None
    last_year: int | None
    national_total: Decimal | None = None
    national_total_note: str = ""
    rate_note: str = ""
    conditions: str = ""
    rates: tuple[RateSpec, ...] = field(default_factory=tuple)


NHS_ENGLAND, CCG_BASELINE = "nhs_england", "ccg_baseline"
PER_HEAD, BID, FORMULA, FIXED_SUM = "per_head", "bid", "formula", "fixed_sum"

STREAMS: tuple[StreamSpec, ...] = (
    StreamSpec(
        "practice-transformational-support",
        "Practice Transformational Support",
        "Practice transformation",
        CCG_BASELINE,
        PER_HEAD,
        recurrent=False,
        first_year=2017,
        last_year=2018,
        national_total=Decimal("171000000"),
        national_total_note="£3 a head of registered population, from CCG baselines",
        conditions=(
            "CCGs provide a total of £3 per head, non-recurrently, over 2017/18 and 2018/19, starting in 2017/18. "
            "To stimulate the development of at-scale providers for extended access, to implement the 10 High "
            "Impact Actions to free up GP time, and to secure the sustainability of general practice."
        ),
        rates=(RateSpec(2017, 2018, Decimal("3.00"), dt.date(2017, 1, 1)),),
    ),
    StreamSpec(
        "extended-access",
        "Extended Access (Improving Access)",
        "Extended access",
        NHS_ENGLAND,
        PER_HEAD,
        recurrent=True,
        first_year=2018,
        last_year=None,
        conditions=(
            "100% population coverage by 1 October 2018: appointments 6.30pm-8pm on weekdays and on Saturdays and "
            "Sundays, at least 30 minutes per 1,000 population a week rising to 45, bookable through NHS 111 and "
            "by other practices, with robust measurement of use. £3.34 per head in 2018/19, recurrent at a "
            "minimum of £6 per head from 2019/20."
        ),
        rates=(
            RateSpec(2018, 2018, Decimal("3.34"), dt.date(2018, 1, 1)),
            RateSpec(2019, 2019, Decimal("6.00"), dt.date(2019, 1, 1)),
        ),
    ),
    StreamSpec(
        "online-consultation-systems",
        "Online Consultation Systems",
        "Online consultations",
        NHS_ENGLAND,
        FORMULA,
        recurrent=False,
        first_year=2017,
        last_year=2019,
        national_total=Decimal("45000000"),
        national_total_note="over 3 years",
        conditions="To buy online consultation systems for practices, allocated through STPs; match funding expected.",
    ),
    StreamSpec(
        "care-navigator-training",
        "Training for Care Navigators and Medical Assistants",
        "Care navigator training",
        NHS_ENGLAND,
        FORMULA,
        recurrent=False,
        first_year=2016,
        last_year=2020,
        national_total=Decimal("45000000"),
        national_total_note="over 5 years",
        conditions=(
            "Training for reception and clerical staff in active signposting (care navigation) and clinical "
            "correspondence management (medical assistants); 2016/17 money for reception and clerical training."
        ),
    ),
    StreamSpec(
        "gp-resilience-programme",
        "General Practice Resilience Programme",
        "Resilience programme",
        NHS_ENGLAND,
        BID,
        recurrent=False,
        first_year=2016,
        last_year=2019,
        national_total=Decimal("40000000"),
        national_total_note="over 4 years",
        conditions="Support for practices at risk: diagnostic, specialist advice, coaching and change management.",
    ),
    StreamSpec(
        "vulnerable-practices-fund",
        "Vulnerable Practices Fund",
        "Vulnerable practices",
        NHS_ENGLAND,
        BID,
        recurrent=False,
        first_year=2016,
        last_year=2016,
        national_total=Decimal("10000000"),
        conditions="One-off support for practices judged vulnerable by their CCG and NHS England's regional team.",
    ),
    StreamSpec(
        "ettf",
        "Estates and Technology Transformation Fund (ETTF)",
        "ETTF",
        NHS_ENGLAND,
        BID,
        recurrent=False,
        first_year=2015,
        last_year=2019,
        national_total=Decimal("900000000"),
        national_total_note="over 5 years",
        conditions=(
            "Capital for premises and technology that increase capacity for out-of-hospital care; up to 100% of "
            "costs; bids go through the CCG and NHS England with a business case and due diligence. Recurring "
            "revenue consequences (rent, rates) fall on the CCG's primary care allocation."
        ),
    ),
    StreamSpec(
        "clinical-pharmacists",
        "Clinical Pharmacists in General Practice",
        "Clinical pharmacists",
        NHS_ENGLAND,
        BID,
        recurrent=False,
        first_year=2016,
        last_year=2020,
        national_total=Decimal("112000000"),
        conditions="Co-funds a clinical pharmacist for three years (60%, 40%, 20%); practices bid in waves.",
    ),
    StreamSpec(
        "gp-retained-doctors",
        "GP Retained Doctors Scheme",
        "Retained doctors",
        NHS_ENGLAND,
        FIXED_SUM,
        recurrent=True,
        first_year=2016,
        last_year=None,
        rate_note="£76.92 per session per week (a year's payment to the practice for each weekly session)",
        conditions="Practices employing a retained GP for 1 to 4 sessions a week receive the payment per session.",
    ),
    StreamSpec(
        "gp-health-service",
        "NHS GP Health Service",
        "GP Health Service",
        NHS_ENGLAND,
        FIXED_SUM,
        recurrent=False,
        first_year=2017,
        last_year=2021,
        national_total=Decimal("19500000"),
        national_total_note="over 5 years",
        conditions="A confidential service for GPs with mental ill health or addiction, commissioned nationally.",
    ),
)


def load_funding_streams(FundingStream, StreamRate) -> int:  # noqa: N803
    """Create the national streams and rates that are missing; return how many streams were made.

    Rows that exist (by code, and by first year for rates) are left as a person may have
    corrected them. Takes the model classes so that the data migration can pass its own.
    """
    created = 0
    for spec in STREAMS:
        stream, made = FundingStream.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "short_name": spec.short_name,
                "source": spec.source,
                "basis": spec.basis,
                "recurrent": spec.recurrent,
                "first_year": spec.first_year,
                "last_year": spec.last_year,
                "national_total": spec.national_total,
                "national_total_note": spec.national_total_note,
                "rate_note": spec.rate_note,
                "conditions": spec.conditions,
            },
        )
        created += made
        for rate in spec.rates:
            StreamRate.objects.get_or_create(
                stream=stream,
                first_year=rate.first_year,
                defaults={
                    "last_year": rate.last_year,
                    "rate_per_head": rate.rate_per_head,
                    "population_date": rate.population_date,
                },
            )
    return created
