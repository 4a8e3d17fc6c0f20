"""Demo funding for Luton and the two Norfolk CCGs, drawn from their GP Forward View plans.

    from commissioning.funding.demo import load_demo_funding
    load_demo_funding()  # after load_demo and load_demo_plans; safe to run again

From the plans: Luton's extended access £780,397 in 2018/19 (£3.34 per head), practice
transformational support £350,000 in each of 2017/18 and 2018/19, its rule that practice
transformation money goes only to schemes covering at least 50,000 patients, and the ETTF
Farley Hill scheme (£2.1m build, about £127,000 a year reimbursable rent); North and South
Norfolk's £3 per head (£516,000 and £710,000) and their 2016/17 reception and clerical
training (£15,000 and £20,000). Everything marked ``# invented`` is made up to look like
2017-19: the online consultation and care navigator amounts, how Norfolk phased its £3,
the schemes, committees, minutes and spend.

The demo's only list sizes are NHS Digital's of 1 January 2021, so its per-head allocations
and schemes count the registered population on that date, and each allocation says so.

Every record is looked up by its natural key and created only when missing; nothing that
exists is changed, so a second run writes nothing. Scheme decisions go through the services
(checks, override reasons), as they would in the portal. The NHS payments files of 2016-17,
2018-19 and 2019-20 are imported for the demo CCGs, so that the payments pages have years to
set side by side; a file the importer cannot read is counted as not imported, not hidden.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from commissioning.models import Chapter, HighImpactAction, NationalCommitment
from commissioning.national_frame import load_national_frame
from practices.models import CCG, Cluster, Practice, Role, User
from practices.populations import per_head_population_date
from practices.reference import ReferenceFileError, import_reference

from .checks import failed_checks, scheme_checks
from .models import (
    Allocation,
    FundingStream,
    Scheme,
    SchemeAmount,
    SchemeMilestone,
    SchemeSpend,
    StreamRate,
    StreamRule,
)
from .services import scheme_approve, scheme_reject, scheme_submit
from .streams import load_funding_streams

# Schemes of the 2017-19 plans count their practices on the first day of the plans' first year.
DEMO_LIST_SIZES = per_head_population_date(2017)
POPULATION_NOTE = (
    "The expected amount counts the registered population on 1 April of the year (the GP Forward View years' "
    "QOF and NHS Payments list sizes of the January before), not the stream's reference date."
)
PAYMENTS_DIR = Path(settings.BASE_DIR) / "data/reference/nhs-payments-to-general-practice"
PAYMENTS_FILES = tuple(PAYMENTS_DIR / f"nhs-payments-gp-{year}.csv" for year in ("2016-17", "2018-19", "2019-20"))
PAYMENT_CCGS = {"06P", "06F", "04F", "06V", "06Y", "06A", "00J", "00D", "11J"}
D = Decimal
PCCC = "Primary Care Commissioning Committee"
COUNTED = ("practice_payments", "streams", "allocations", "rules", "schemes")


@dataclass(frozen=True)
class AllocationSpec:
    ccg: str
    stream: str
    year: int
    amount: Decimal
    reference: str
    per_head_demo: bool = False  # counts the demo's 2021 list sizes


@dataclass(frozen=True)
class SchemeSpec:
    ccg: str
    stream: str
    title: str
    applicant: str
    purpose: str
    amounts: dict[int, Decimal]
    status: str
    cluster: str = ""
    practices: tuple[str, ...] = ()
    business_case: str = ""
    high_impact_actions: tuple[int, ...] = ()
    annual_revenue_cost: Decimal | None = None
    committee: str = PCCC
    decided_on: dt.date | None = None
    minute: str = ""
    conditions: str = ""
    reason: str = ""
    override_reason: str = ""
    actual: dict[dt.date, Decimal] = field(default_factory=dict)
    forecast: dict[dt.date, Decimal] = field(default_factory=dict)
    milestones: tuple[tuple[str, dt.date, dt.date | None], ...] = ()


PTS, EXTENDED, ONLINE, NAVIGATORS, ETTF = (
    "practice-transformational-support", "extended-access", "online-consultation-systems",
    "care-navigator-training", "ettf",
)  # fmt: skip
CLUSTER, GROUP, PRACTICE = Scheme.Applicant.CLUSTER, Scheme.Applicant.PRACTICE_GROUP, Scheme.Applicant.PRACTICE
DRAFT, SUBMITTED, APPROVED, REJECTED = "draft", "submitted", "approved", "rejected"


def quarters(first_year: int, values: list[int]) -> dict[dt.date, Decimal]:
    """{first day of each quarter from Q1 of ``first_year``: value} for consecutive quarters."""
    days = [dt.date(first_year + (m - 1) // 12, (m - 1) % 12 + 1, 1) for m in (4, 7, 10, 13, 16, 19, 22, 25)]
    return {day: D(value) for day, value in zip(days, values, strict=False)}


LUTON_PTS = "Luton GPFV plan 2017-19: practice transformational support"
ALLOCATIONS: tuple[AllocationSpec, ...] = (
    AllocationSpec("06P", EXTENDED, 2018, D("780397.00"), "Luton GPFV plan 2017-19: £3.34 per head", True),
    AllocationSpec("06P", PTS, 2017, D("350000.00"), LUTON_PTS, True),
    AllocationSpec("06P", PTS, 2018, D("350000.00"), LUTON_PTS, True),
    AllocationSpec("06P", ONLINE, 2018, D("64000.00"), "NHS England online consultation allocation"),  # invented
    AllocationSpec("06P", ONLINE, 2019, D("64000.00"), "NHS England online consultation allocation"),  # invented
    AllocationSpec("06P", NAVIGATORS, 2017, D("37000.00"), "NHS England training allocation"),  # invented
    AllocationSpec("06P", NAVIGATORS, 2018, D("37000.00"), "NHS England training allocation"),  # invented
    # "£3 per head (£516,000)": the plan gives the total; half in each year is invented.
    AllocationSpec("06V", PTS, 2017, D("258000.00"), "North Norfolk GPFV plan: £3 per head, £516,000", True),
    AllocationSpec("06V", PTS, 2018, D("258000.00"), "North Norfolk GPFV plan: £3 per head, £516,000", True),
    AllocationSpec("06V", NAVIGATORS, 2016, D("15000.00"), "Reception and clerical staff training 2016/17"),
    AllocationSpec("06Y", PTS, 2017, D("355000.00"), "South Norfolk GPFV plan: £3 per head, £710,000", True),
    AllocationSpec("06Y", PTS, 2018, D("355000.00"), "South Norfolk GPFV plan: £3 per head, £710,000", True),
    AllocationSpec("06Y", NAVIGATORS, 2016, D("20000.00"), "Reception and clerical staff training 2016/17"),
)  # fmt: skip

LUTON_RULE = (
    "Luton CCG: practice transformation money goes only to schemes covering at least 50,000 patients, so that "
    "it builds working at scale (GPFV plan 2017-19)."
)

SCHEMES: tuple[SchemeSpec, ...] = (  # invented, on the lines of the plans
    SchemeSpec(
        "06P", PTS, "Luton Central: care navigation and productive workflows", CLUSTER,
        "Active signposting at every reception desk and document workflow by trained clerical staff.",
        {2017: D("87500.00"), 2018: D("87500.00")}, APPROVED, cluster="Luton Central",
        business_case="Frees an estimated 2 GP sessions a week per practice; backfill for training and a "
        "shared workflow lead for 18 months.",
        high_impact_actions=(1, 5), decided_on=dt.date(2017, 6, 14), minute="PCCC 17/031",
        actual=quarters(2017, [15000, 22500, 25000, 25000, 21000, 22000]),
        forecast=quarters(2017, [0, 0, 0, 0, 0, 0, 22000, 22500]),
        milestones=(("Care navigators trained in all four practices", dt.date(2017, 12, 31), dt.date(2017, 11, 30)),
                    ("Workflow lead in post", dt.date(2018, 3, 31), dt.date(2018, 2, 5))),
    ),
    SchemeSpec(
        "06P", PTS, "Luton North: shared clinical pharmacist and online triage", CLUSTER,
        "A clinical pharmacist shared across the cluster and an online triage pilot.",
        {2017: D("87500.00"), 2018: D("92500.00")}, APPROVED, cluster="Luton North",
        high_impact_actions=(2, 4), decided_on=dt.date(2017, 6, 14), minute="PCCC 17/032",
        conditions="Quarterly report on appointments released; the online triage pilot is evaluated before "
        "a second year is paid.",
        actual=quarters(2017, [10000, 20000, 27500, 30000, 23000]),
        forecast=quarters(2017, [0, 0, 0, 0, 0, 23000, 23000, 23500]),
    ),
    SchemeSpec(
        "06P", PTS, "Luton West: extended hours hub and workforce", CLUSTER,
        "A cluster hub for extended hours and shared nurse training.",
        {2017: D("87500.00"), 2018: D("90000.00")}, APPROVED, cluster="Luton West",
        high_impact_actions=(4, 7), decided_on=dt.date(2017, 7, 12), minute="PCCC 17/040",
        actual=quarters(2017, [0, 30000, 30000, 27500, 22500, 22500]),
        forecast=quarters(2017, [0, 0, 0, 0, 0, 0, 22500, 22500]),
    ),
    SchemeSpec(
        "06P", PTS, "Luton South and East: resilience and at-scale back office", CLUSTER,
        "Shared back office and a resilience review of two practices at risk.",
        {2017: D("87500.00"), 2018: D("90000.00")}, APPROVED, cluster="Luton South and East",
        high_impact_actions=(5, 7), decided_on=dt.date(2018, 4, 11), minute="PCCC 18/044",
        override_reason="The committee agreed to fund the £10,000 above the 2018/19 allocation from the CCG's "
        "primary care reserve (minute PCCC 18/044).",
        actual=quarters(2017, [0, 0, 40000, 47500, 22500, 22500]),
        forecast=quarters(2017, [0, 0, 0, 0, 0, 0, 22500, 22500]),
    ),
    SchemeSpec(
        "06P", PTS, "The Medici Medical Practice: online consultations pilot", PRACTICE,
        "An online consultation system for one practice.", {2018: D("25000.00")}, REJECTED,
        practices=("E81073",), decided_on=dt.date(2018, 5, 9), minute="PCCC 18/052",
        reason="Practice transformation money goes to schemes covering at least 50,000 patients; the practice "
        "is asked to join the Luton Central bid, and online consultations are funded from the national stream.",
    ),
    SchemeSpec(
        "06P", NAVIGATORS, "Luton care navigator and medical assistant training 2018/19", GROUP,
        "Care navigation training for reception staff and clinical correspondence training in every practice.",
        {2018: D("37000.00")}, SUBMITTED, practices=("*",), high_impact_actions=(1, 5),
    ),
    SchemeSpec(
        # The bid for the estates app's "Farley Hill new build" (estates.demo links the two): the same
        # practices as the plan gives them; the disbanded APMS practice is closed in the files, so its
        # patients count under Lea Vale's list size.
        "06P", ETTF, "Farley Hill new build", PRACTICE,
        "A new building at Farley Hill for the Lea Vale Medical Group's branch surgery and the patients of a "
        "disbanded APMS practice, with room for the cluster's extended access hub.",
        {2018: D("600000.00"), 2019: D("1500000.00")}, APPROVED, practices=("E81032",),
        business_case="£2.1m build funded by ETTF; the CCG then reimburses about £127,000 a year in rent "
        "from its primary care allocation.",
        annual_revenue_cost=D("127000.00"), committee="NHS England ETTF Programme Board",
        decided_on=dt.date(2018, 2, 20), minute="ETTF/EoE/18/007",
        conditions="Subject to NHS England's due diligence, a District Valuer rent assessment and a signed lease.",
        actual=quarters(2018, [0, 150000, 200000, 250000]),
        forecast=quarters(2018, [0, 0, 0, 0, 400000, 500000, 400000, 200000]),
        milestones=(("Planning permission", dt.date(2018, 9, 30), dt.date(2018, 10, 22)),
                    ("Building opens", dt.date(2020, 3, 31), None)),
    ),
    SchemeSpec(
        "06P", EXTENDED, "Luton North: weekend extended access hub 2019/20", CLUSTER,
        "Saturday and Sunday appointments for the cluster's patients from one hub.",
        {2019: D("120000.00")}, DRAFT, cluster="Luton North", high_impact_actions=(2,),
    ),
    SchemeSpec(
        "06V", NAVIGATORS, "North Norfolk reception and clerical training 2016/17", GROUP,
        "Reception and clerical staff training in every practice.", {2016: D("15000.00")}, APPROVED,
        practices=("*",), high_impact_actions=(1,), decided_on=dt.date(2016, 11, 3), minute="PCCC 16/088",
        actual={dt.date(2016, 10, 1): D("6000.00"), dt.date(2017, 1, 1): D("9000.00")},
    ),
    SchemeSpec(
        "06V", PTS, "Fakenham and Holt locality: care navigation", CLUSTER,
        "Care navigation and a shared workflow hub for the locality.", {2017: D("60000.00"), 2018: D("60000.00")},
        APPROVED, cluster="Fakenham and Holt", high_impact_actions=(1, 5), decided_on=dt.date(2017, 9, 7),
        minute="PCCC 17/104", actual=quarters(2017, [0, 15000, 20000, 25000, 15000]),
        forecast=quarters(2017, [0, 0, 0, 0, 0, 15000, 15000, 15000]),
    ),
    SchemeSpec(
        "06V", PTS, "Cromer and North Walsham locality: digital front door", CLUSTER,
        "Online consultations and telephone triage across the locality.", {2018: D("95000.00")}, SUBMITTED,
        cluster="Cromer and North Walsham", high_impact_actions=(2,),
    ),
    SchemeSpec(
        "06V", PTS, "Broads locality: shared workforce", CLUSTER,
        "A shared practice nurse and HCA bank.", {2018: D("70000.00")}, DRAFT, cluster="Broads",
        high_impact_actions=(4,),
    ),
    SchemeSpec(
        "06Y", PTS, "Norwich South locality: frailty and productive workflows", CLUSTER,
        "A frailty nurse and workflow redesign.", {2017: D("90000.00"), 2018: D("90000.00")}, APPROVED,
        cluster="Norwich South", high_impact_actions=(5, 7), decided_on=dt.date(2017, 10, 5), minute="PCCC 17/121",
        conditions="Evaluation against admissions of over-75s reported to the committee in March 2018.",
        actual=quarters(2017, [0, 0, 30000, 30000, 22500]),
        forecast=quarters(2017, [0, 0, 0, 0, 0, 22500, 22500, 22500]),
    ),
    SchemeSpec(
        "06Y", PTS, "Diss and Harleston locality: branch surgery refit", CLUSTER,
        "Refit of two branch surgeries.", {2017: D("120000.00")}, REJECTED, cluster="Diss and Harleston",
        decided_on=dt.date(2017, 10, 5), minute="PCCC 17/122",
        reason="Premises works are for the Estates and Technology Transformation Fund, not practice "
        "transformational support.",
    ),
)  # fmt: skip


def load_demo_funding(*, user: User | None = None, payments: bool = True) -> dict[str, int]:
    """Create what is missing of the demo funding; return how many of each record were created."""
    counts: Counter[str] = Counter(
        dict.fromkeys(("practice_payments", "streams", "allocations", "rules", "schemes"), 0)
    )
    for path in PAYMENTS_FILES if payments else ():
        if not path.exists():
            continue
        try:
            report = import_reference("payments", path, only_ccgs=PAYMENT_CCGS)
        except ReferenceFileError:
            counts["payment_files_not_imported"] += 1
            continue
        counts["practice_payments"] += report.created
    with transaction.atomic():
        # Data migrations load the frame and the streams; a flushed database (tests) lacks them.
        load_national_frame(Chapter, NationalCommitment, HighImpactAction)
        counts["streams"] += load_funding_streams(FundingStream, StreamRate)
        ccgs = {c.ods_code: c for c in CCG.objects.filter(ods_code__in={"06P", "06V", "06Y"})}
        streams = {s.code: s for s in FundingStream.objects.filter(ccg__isnull=True)}
        for spec in ALLOCATIONS:
            ccg = ccgs.get(spec.ccg)
            if ccg is None:
                counts["ccgs_not_loaded"] += 1
                continue
            _, made = Allocation.objects.get_or_create(
                stream=streams[spec.stream], ccg=ccg, financial_year=spec.year,
                defaults={
                    "amount": spec.amount, "reference": spec.reference, "notified_on": dt.date(spec.year, 3, 1),
                    "population_date": per_head_population_date(spec.year) if spec.per_head_demo else None,
                    "notes": POPULATION_NOTE if spec.per_head_demo else "",
                },
            )  # fmt: skip
            counts["allocations"] += made
        if "06P" in ccgs:
            _, made = StreamRule.objects.get_or_create(
                stream=streams[PTS], ccg=ccgs["06P"], kind=StreamRule.Kind.MIN_POPULATION,
                defaults={"value": D("50000"), "description": LUTON_RULE},
            )  # fmt: skip
            counts["rules"] += made
        hias = {h.number: h for h in HighImpactAction.objects.all()}
        for spec in SCHEMES:
            ccg = ccgs.get(spec.ccg)
            if ccg is None or Scheme.objects.filter(ccg=ccg, title=spec.title).exists():
                continue
            _create_scheme(spec, ccg, streams[spec.stream], hias, user or _decider(ccg))
            counts["schemes"] += 1
    return dict(counts)


def _decider(ccg: CCG) -> User | None:
    role = Role.objects.filter(ccg=ccg, kind=Role.Kind.COMMISSIONER).select_related("user").order_by("pk").first()
    if role is not None:
        return role.user
    role = Role.objects.filter(kind=Role.Kind.ADMINISTRATOR).select_related("user").order_by("pk").first()
    return role.user if role else User.objects.filter(is_superuser=True).order_by("pk").first()


def _create_scheme(spec: SchemeSpec, ccg: CCG, stream: FundingStream, hias: dict, user: User | None) -> Scheme:
    cluster = Cluster.objects.filter(ccg=ccg, name=spec.cluster).first() if spec.cluster else None
    scheme = Scheme(
        ccg=ccg, stream=stream, title=spec.title, applicant=spec.applicant, cluster=cluster, purpose=spec.purpose,
        business_case=spec.business_case, population_date=DEMO_LIST_SIZES,
        annual_revenue_cost=spec.annual_revenue_cost,
    )  # fmt: skip
    scheme._history_user = user
    scheme.save()
    if cluster is not None:
        practices = Practice.objects.in_cluster(cluster, dt.date(2017, 4, 1))
    elif spec.practices == ("*",):
        practices = Practice.objects.filter(ccg=ccg).open_on(DEMO_LIST_SIZES)
    else:
        practices = Practice.objects.filter(ods_code__in=spec.practices)
    scheme.practices.set(practices)
    scheme.high_impact_actions.set([hias[n] for n in spec.high_impact_actions if n in hias])
    for year, amount in spec.amounts.items():
        SchemeAmount.objects.create(scheme=scheme, financial_year=year, amount=amount)
    if spec.status == DRAFT or user is None:
        return scheme
    scheme_submit(scheme=scheme, user=user)
    if spec.status == SUBMITTED:
        return scheme
    decision = {"user": user, "committee": spec.committee, "decided_on": spec.decided_on,
                "minute_reference": spec.minute}  # fmt: skip
    if spec.status == REJECTED:
        return scheme_reject(scheme=scheme, reason=spec.reason, **decision)
    override = spec.override_reason
    if not override and failed_checks(scheme_checks(scheme)):
        override = "Demo: approved by the committee although the portal's checks on 2021 list sizes fail."
    scheme = scheme_approve(scheme=scheme, conditions=spec.conditions, override_reason=override, **decision)
    for quarter in sorted(set(spec.actual) | set(spec.forecast)):
        actual = spec.actual.get(quarter) or None
        forecast = spec.forecast.get(quarter) or None
        if actual is not None or forecast is not None:
            row = SchemeSpend(scheme=scheme, quarter=quarter, actual=actual, forecast=forecast)
            row._history_user = user
            row.save()
    for title, due, done in spec.milestones:
        SchemeMilestone.objects.create(scheme=scheme, title=title, due_date=due, completed_on=done)
    return scheme
