"""Demo estates data for the demo CCGs: premises of every open site, one site shared by two
practices, housing growth per cluster, the named schemes and every practice's IT checklist.

    from estates.demo import load_demo_estates
    load_demo_estates()  # after the demo organisations are loaded; safe to run again

What is real: the practices, their sites' addresses and list sizes (from the practices demo
and the NHS reference files); the schemes' names, places and headline figures as the planning
documents give them (Luton's Farley Hill new build for the Lea Vale Medical Group branch and
the patients of a disbanded APMS practice, about £2.1m plus VAT with a reimbursable rent of
about £127,000 a year; Wolverhampton's Newbridge and East Park schemes); Wolverhampton's
aim of about £100,000 a year of void space savings; Luton's one remote device per 5,000
patients.

Everything else is invented to look like 2016-19 and holds no patient data: every premises
figure (areas, rooms, owners, leases, condition, rents, void space), which APMS practice
the Farley Hill patients came from (Whipperley Medical Centre, Y02477, which closed on
30 April 2018 in the reference file), the Stopsley share, the housing growth per cluster
(scaled so that BLMK grows about 17% in 15 years), the other schemes' costs, dates and
milestones, every IT checklist, and the 2018/19 estates return the demo opens for Luton and
Wolverhampton (not started by any practice).

Each record is created only when missing, so a second run writes nothing.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from commissioning.funding.models import FundingStream, StreamRate
from commissioning.funding.models import Scheme as FundingScheme
from commissioning.funding.streams import load_funding_streams
from practices.demo.spec import DEMO_CCG_CODES
from practices.models import CCG, Cluster, Practice, Role, Site, User
from returns.models import Collection
from returns.services import collection_open

from .models import (
    ETTF_STREAM_CODE,
    EstatesSettings,
    HousingGrowth,
    PracticeIT,
    Premises,
    Scheme,
    SchemeMilestone,
    SiteOccupancy,
)
from .services import capacity_refresh, scheme_create, scheme_status_change

CHANGE_REASON = "Demo estates data"
# New dwellings a year for each CCG, shared between its clusters (invented, after the local
# plans' orders of magnitude; BLMK's make about +17% in 15 years at 2.4 patients a dwelling).
DWELLINGS_A_YEAR = {
    "06P": 1_600,
    "06F": 2_900,
    "04F": 1_750,
    "06V": 550,
    "06Y": 1_000,
    "06A": 800,
    "00J": 700,
    "00D": 650,
    "11J": 1_500,
}
HOUSING_YEARS = range(2016, 2036)
# Wolverhampton's void space savings: the register as it stood on 1 April 2017 (invented).
VOID_SAVINGS_CCG = "06A"
VOID_SAVINGS_SINCE = dt.date(2017, 4, 1)
VOID_SAVINGS_TARGET = Decimal("100000")
HOUSING_SOURCE = "Demo figure (invented), after the local plan"


@dataclass(frozen=True)
class SchemeSpec:
    ccg: str
    name: str
    kind: str
    description: str
    practices: tuple[str, ...]
    cluster_of: str
    stream: str
    capital_cost: Decimal
    share_funded: Decimal
    expected_rent: Decimal
    area_added: Decimal
    rooms_added: int
    expected_open: dt.date
    lead: str
    statuses: tuple[tuple[str, dt.date, str], ...]
    milestones: tuple[tuple[str, dt.date, dt.date | None], ...]


IMPROVEMENT_GRANTS = "wolverhampton-improvement-grants"
S = Scheme.Status

SCHEMES: tuple[SchemeSpec, ...] = (
    SchemeSpec(
        "06P",
        "Farley Hill new build",
        Scheme.Kind.NEW_BUILD,
        "A new building at Farley Hill for the Lea Vale Medical Group's branch surgery and the patients of a "
        "disbanded APMS practice. About £2.1m plus VAT; reimbursable rent about £127,000 a year.",
        practices=("E81032", "Y02477"),
        cluster_of="E81032",
        stream=ETTF_STREAM_CODE,
        capital_cost=Decimal("2100000"),
        share_funded=Decimal("100"),  # invented
        expected_rent=Decimal("127000"),
        area_added=Decimal("1150"),  # invented
        rooms_added=14,  # invented
        expected_open=dt.date(2021, 10, 1),  # invented
        lead="Head of Primary Care Estates",  # invented
        statuses=(
            (S.BID, dt.date(2016, 6, 30), "ETTF estates bid submitted to NHS England."),
            (S.BUSINESS_CASE, dt.date(2017, 4, 3), "Project initiation document accepted; full business case."),
            (S.APPROVED, dt.date(2018, 3, 28), "Primary Care Commissioning Committee, minute PCCC/18/031."),
            (S.IN_BUILD, dt.date(2019, 1, 14), "Contractor on site."),
        ),
        milestones=(
            ("ETTF bid submitted", dt.date(2016, 6, 30), dt.date(2016, 6, 30)),
            ("Full business case approved", dt.date(2018, 3, 31), dt.date(2018, 3, 28)),
            ("Planning permission granted", dt.date(2018, 7, 31), dt.date(2018, 8, 20)),
            ("Start on site", dt.date(2019, 1, 14), dt.date(2019, 1, 14)),
            ("Practical completion", dt.date(2021, 8, 31), None),
        ),
    ),
    SchemeSpec(
        "06A",
        "Newbridge Surgery extension",
        Scheme.Kind.EXTENSION,
        "Two consulting rooms and a treatment room added to Newbridge Surgery, Tettenhall Road.",
        practices=("M92029",),
        cluster_of="M92029",
        stream=IMPROVEMENT_GRANTS,
        capital_cost=Decimal("420000"),  # invented
        share_funded=Decimal("66"),  # invented
        expected_rent=Decimal("18500"),  # invented
        area_added=Decimal("140"),  # invented
        rooms_added=3,
        expected_open=dt.date(2020, 4, 1),  # invented
        lead="Primary Care Estates Manager",  # invented
        statuses=(
            (S.BUSINESS_CASE, dt.date(2017, 9, 4), "Improvement grant application."),
            (S.APPROVED, dt.date(2018, 6, 26), "Primary Care Commissioning Committee, minute 18/054."),
        ),
        milestones=(
            ("Improvement grant approved", dt.date(2018, 6, 30), dt.date(2018, 6, 26)),
            ("Planning permission granted", dt.date(2018, 12, 31), None),
        ),
    ),
    SchemeSpec(
        "06A",
        "East Park Medical Practice new premises",
        Scheme.Kind.NEW_BUILD,
        "New premises for East Park Medical Practice, Jonesfield Crescent, replacing a building in condition C.",
        practices=("M92630",),
        cluster_of="M92630",
        stream=ETTF_STREAM_CODE,
        capital_cost=Decimal("1650000"),  # invented
        share_funded=Decimal("100"),  # invented
        expected_rent=Decimal("96000"),  # invented
        area_added=Decimal("420"),  # invented: the net gain over the old building
        rooms_added=6,
        expected_open=dt.date(2022, 4, 1),  # invented
        lead="Primary Care Estates Manager",  # invented
        statuses=((S.BID, dt.date(2017, 6, 30), "ETTF estates bid submitted."),),
        milestones=(("Project initiation document", dt.date(2018, 3, 31), None),),
    ),
)

# One building used by two practices: Stopsley (the practices demo gives both a main site at
# LU2 9AU). The host's site is the whole building; the other uses 40% of it (invented).
SHARED_SITES = (("E81006", "E81617", Decimal("40")),)


def load_demo_estates() -> dict[str, int]:
    """Create what is missing of the demo estates data; return how many of each were created."""
    counts: Counter[str] = Counter()
    with transaction.atomic():
        load_funding_streams(FundingStream, StreamRate)
        ccgs = {c.ods_code: c for c in CCG.objects.filter(ods_code__in=DEMO_CCG_CODES)}
        for code in ("06P", "06A"):
            if code in ccgs:
                counts["settings"] += EstatesSettings.objects.get_or_create(ccg=ccgs[code])[1]
        practices = {
            p.ods_code: p for p in Practice.objects.filter(ccg__in=ccgs.values()).with_list_size().select_related("ccg")
        }
        _premises(practices, counts)
        _shared_sites(practices, counts)
        _housing_growth(ccgs, counts)
        _schemes(ccgs, practices, counts)
        _link_funding_bids(ccgs, counts)
        _checklists(practices, counts)
        _estates_returns(ccgs, counts)
        if any(counts.values()):
            for ccg in ccgs.values():
                capacity_refresh(ccg=ccg)
    names = ("settings", "premises", "shares", "housing_growth", "schemes", "milestones", "links to funding bids",
             "checklists", "collections")  # fmt: skip
    return {name: counts[name] for name in names}


def _rng(*parts) -> random.Random:
    return random.Random("-".join(str(p) for p in parts))


def _money(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("1"), ROUND_HALF_UP)


def premises_for_site(site: Site, practice: Practice, shared_with: Decimal = Decimal("0")) -> Premises:
    """Invented but plausible premises for a site, the same every run (seeded by the site)."""
    rng = _rng(practice.ods_code, site.kind, site.name)
    patients = practice.list_size or 6000
    if site.kind == Site.Kind.BRANCH:
        patients = patients * rng.uniform(0.15, 0.35)
    patients = patients / (1 - float(shared_with) / 100) if shared_with else patients
    area = Decimal(str(round(patients * rng.uniform(55, 125) / 1000, 1)))
    rooms = max(2, round(float(area) / rng.uniform(70, 110)))
    ownership = rng.choices(
        list(Premises.Ownership), weights=[40, 30, 15, 5, 10] if practice.ccg.ods_code != "06A" else [25, 20, 45, 5, 5]
    )[0]
    if ownership == Premises.Ownership.GP_OWNED:
        tenure, rent_basis, lease_end = Premises.Tenure.FREEHOLD, Premises.RentBasis.NOTIONAL, None
    else:
        tenure, rent_basis = Premises.Tenure.LEASEHOLD, Premises.RentBasis.ACTUAL
        lease_end = dt.date(rng.randint(2018, 2035), rng.choice([3, 6, 9, 12]), 1) - dt.timedelta(days=1)
    void_area = Decimal("0")
    if ownership == Premises.Ownership.NHS_PROPERTY_SERVICES and rng.random() < 0.35:
        void_area = Decimal(str(round(float(area) * rng.uniform(0.05, 0.15), 1)))
    rent_per_m2 = rng.uniform(120, 220)
    return Premises(
        site=site,
        ownership=ownership,
        tenure=tenure,
        lease_end_date=lease_end,
        gross_internal_area_m2=area,
        clinical_rooms=rooms,
        condition=rng.choices(list(Premises.Condition), weights=[15, 50, 28, 7])[0],
        accessibility=rng.choices(list(Premises.Accessibility), weights=[55, 30, 10, 5])[0],
        rent_basis=rent_basis,
        rent_reimbursed_per_year=_money(float(area - void_area) * rent_per_m2),
        void_area_m2=void_area,
        void_cost_per_year=_money(float(void_area) * rent_per_m2 * 1.35),
        other_providers=rng.choice(["", "", "", "District nurses", "Health visitors", "Community midwives"]),
        confirmed_on=dt.date(2018, rng.randint(4, 12), rng.randint(1, 28)),
    )


def _premises(practices: dict[str, Practice], counts: Counter) -> None:
    guests = {guest for _, guest, _ in SHARED_SITES}
    shares = {host: share for host, _, share in SHARED_SITES}
    by_pk = {p.pk: p for p in practices.values()}
    sites = Site.objects.filter(practice__in=by_pk.values(), premises__isnull=True, close_date__isnull=True)
    new = []
    for site in sites.order_by("pk"):
        practice = site.practice = by_pk[site.practice_id]
        if practice.status == Practice.Status.CLOSED or practice.close_date:
            continue
        if site.kind == Site.Kind.MAIN and practice.ods_code in guests:
            continue  # it works from the host's building: see SHARED_SITES
        new.append(premises_for_site(site, practice, shares.get(practice.ods_code, Decimal("0"))))
    if new:
        Premises.objects.bulk_create(new)
        earlier = _void_before(new)
        if earlier:
            since = timezone.make_aware(dt.datetime.combine(VOID_SAVINGS_SINCE, dt.time(9)))
            Premises.history.bulk_history_create(earlier, default_date=since, default_change_reason=CHANGE_REASON)
        changed = {p.pk for p in earlier}
        Premises.history.bulk_history_create(
            [p for p in new if p.pk in changed], update=True, default_change_reason="Void space given up (demo)"
        )
        Premises.history.bulk_history_create(
            [p for p in new if p.pk not in changed], default_change_reason=CHANGE_REASON
        )
    counts["premises"] += len(new)


def _void_before(new: list[Premises]) -> list[Premises]:
    """Wolverhampton's NHS Property Services sites as they were on 1 April 2017, with the void
    space it has given up since, about £100,000 a year of it (invented to match the CCG's figure)."""
    earlier, saved = [], Decimal("0")
    for premises in sorted(new, key=lambda p: p.pk):
        if saved >= VOID_SAVINGS_TARGET:
            break
        practice = premises.site.practice
        if practice.ccg.ods_code != VOID_SAVINGS_CCG or premises.ownership != Premises.Ownership.NHS_PROPERTY_SERVICES:
            continue
        rng = _rng("void", premises.site_id)
        extra = Decimal(str(round(float(premises.gross_internal_area_m2) * rng.uniform(0.08, 0.2), 1)))
        then = copy.copy(premises)
        then.void_area_m2 = premises.void_area_m2 + extra
        then.void_cost_per_year = premises.void_cost_per_year + _money(float(extra) * 245)
        saved += then.void_cost_per_year - premises.void_cost_per_year
        earlier.append(then)
    return earlier


def _shared_sites(practices: dict[str, Practice], counts: Counter) -> None:
    for host, guest, share in SHARED_SITES:
        if host not in practices or guest not in practices:
            continue
        site = Site.objects.filter(practice=practices[host], kind=Site.Kind.MAIN, close_date__isnull=True).first()
        if site is None:
            continue
        _, created = SiteOccupancy.objects.get_or_create(
            site=site, practice=practices[guest], defaults={"share_percent": share, "start_date": dt.date(2016, 4, 1)}
        )
        counts["shares"] += created


def _housing_growth(ccgs: dict[str, CCG], counts: Counter) -> None:
    clusters = list(Cluster.objects.filter(ccg__in=ccgs.values()).select_related("ccg").order_by("pk"))
    per_ccg = Counter(c.ccg_id for c in clusters)
    existing = set(HousingGrowth.objects.filter(cluster__in=clusters).values_list("cluster_id", "year"))
    new = []
    for cluster in clusters:
        rng = _rng("housing", cluster.ccg.ods_code, cluster.name)
        share = DWELLINGS_A_YEAR.get(cluster.ccg.ods_code, 500) / per_ccg[cluster.ccg_id]
        weight = rng.uniform(0.5, 1.5)
        for year in HOUSING_YEARS:
            if (cluster.pk, year) in existing:
                continue
            dwellings = round(share * weight * rng.uniform(0.7, 1.3))
            new.append(HousingGrowth(cluster=cluster, year=year, new_dwellings=dwellings, source=HOUSING_SOURCE))
    if new:
        bulk_create_with_history(new, HousingGrowth, default_change_reason=CHANGE_REASON)
    counts["housing_growth"] += len(new)


def _stream(code: str, ccg: CCG) -> FundingStream | None:
    if code == IMPROVEMENT_GRANTS:
        stream, _ = FundingStream.objects.get_or_create(
            code=IMPROVEMENT_GRANTS,
            defaults={
                "name": "Premises improvement grants (Wolverhampton)",
                "short_name": "Improvement grants",
                "source": FundingStream.Source.CCG_BASELINE,
                "basis": FundingStream.Basis.BID,
                "conditions": "Grants under the premises costs directions; invented for the demo.",
                "ccg": ccg,
            },
        )
        return stream
    return FundingStream.objects.filter(code=code).first()


def _link_funding_bids(ccgs: dict[str, CCG], counts: Counter) -> None:
    """A scheme whose bid the funding demo holds (same CCG, stream and name) is linked to it."""
    for scheme in Scheme.objects.filter(
        ccg__in=ccgs.values(), funding_scheme__isnull=True, funding_stream__isnull=False
    ):
        bid = FundingScheme.objects.filter(ccg=scheme.ccg, stream=scheme.funding_stream, title=scheme.name).first()
        if bid is not None:
            scheme.funding_scheme = bid
            scheme.save(update_fields=["funding_scheme"])
            counts["links to funding bids"] += 1


def _schemes(ccgs: dict[str, CCG], practices: dict[str, Practice], counts: Counter) -> None:
    for spec in SCHEMES:
        ccg = ccgs.get(spec.ccg)
        if ccg is None or Scheme.objects.filter(ccg=ccg, name=spec.name).exists():
            continue
        member = practices.get(spec.cluster_of)
        scheme = Scheme(
            ccg=ccg,
            name=spec.name,
            kind=spec.kind,
            description=spec.description,
            cluster=member.cluster_on() if member else None,
            funding_stream=_stream(spec.stream, ccg),
            capital_cost=spec.capital_cost,
            share_funded_percent=spec.share_funded,
            expected_rent_per_year=spec.expected_rent,
            area_added_m2=spec.area_added,
            clinical_rooms_added=spec.rooms_added,
            expected_open_date=spec.expected_open,
            lead=spec.lead,
        )
        first = spec.statuses[0][1] - dt.timedelta(days=90)
        scheme_create(scheme=scheme, user=None, on=first)
        scheme.practices.set([practices[code] for code in spec.practices if code in practices])
        sites = Site.objects.filter(practice__ods_code__in=spec.practices, close_date__isnull=True)
        scheme.sites.set(sites.filter(practice__status=Practice.Status.ACTIVE))
        for status, on, note in spec.statuses:
            scheme_status_change(scheme=scheme, to=status, on=on, note=note, user=None)
        SchemeMilestone.objects.bulk_create(
            SchemeMilestone(scheme=scheme, title=title, due_date=due, completed_on=done)
            for title, due, done in spec.milestones
        )
        counts["schemes"] += 1
        counts["milestones"] += len(spec.milestones)


# The estates return for 2018/19, asked of every open practice of these CCGs (invented dates).
RETURN_CCGS = ("06P", "06A")
RETURN_YEAR = dt.date(2018, 4, 1)
RETURN_DUE = dt.date(2019, 5, 31)


def _estates_returns(ccgs: dict[str, CCG], counts: Counter) -> None:
    for code in RETURN_CCGS:
        ccg = ccgs.get(code)
        if ccg is None or Collection.objects.filter(ccg=ccg, return_type="estates", period_start=RETURN_YEAR).exists():
            continue
        commissioner = User.objects.filter(roles__kind=Role.Kind.COMMISSIONER, roles__ccg=ccg).order_by("pk").first()
        collection_open(
            ccg=ccg, return_type="estates", period_start=RETURN_YEAR, due_date=RETURN_DUE, user=commissioner,
            instructions="Check each site's figures against your lease and the latest NHS Property Services bill.",
        )  # fmt: skip
        counts["collections"] += 1


IT_ITEMS_LIVE_FROM = {
    "eps": (dt.date(2015, 4, 1), 0.97),
    "e_referral": (dt.date(2017, 4, 1), 0.95),
    "online_services": (dt.date(2016, 4, 1), 0.98),
    "patient_wifi": (dt.date(2017, 9, 1), 0.75),
    "sms_reminders": (dt.date(2016, 6, 1), 0.8),
    "online_consultation": (dt.date(2018, 10, 1), 0.3),
}


def _checklists(practices: dict[str, Practice], counts: Counter) -> None:
    have = set(PracticeIT.objects.filter(practice__in=practices.values()).values_list("practice_id", flat=True))
    new = []
    for practice in practices.values():
        if practice.pk in have or practice.status == Practice.Status.CLOSED or practice.close_date:
            continue
        rng = _rng("it", practice.ods_code)
        checklist = PracticeIT(
            practice=practice,
            clinical_system=practice.clinical_system or rng.choice(["emis_web", "systmone"]),
            clinical_system_since=dt.date(rng.randint(2008, 2016), rng.randint(1, 12), 1),
            confirmed_on=dt.date(2018, rng.randint(6, 12), rng.randint(1, 28)),
        )
        for item, (from_date, chance) in IT_ITEMS_LIVE_FROM.items():
            roll = rng.random()
            if roll < chance:
                status, date = PracticeIT.Status.IN_PLACE, from_date + dt.timedelta(days=rng.randint(0, 540))
            elif roll < chance + (1 - chance) / 2:
                status, date = PracticeIT.Status.PLANNED, dt.date(2019, rng.randint(4, 12), 1)
            else:
                status, date = PracticeIT.Status.NOT_PLANNED, None
            if status == PracticeIT.Status.IN_PLACE and date > checklist.confirmed_on:
                status = PracticeIT.Status.PLANNED
            setattr(checklist, item, status)
            setattr(checklist, f"{item}_date", date)
        needed = PracticeIT.remote_devices_needed(practice.list_size, 5000) or 1
        checklist.remote_devices = max(0, needed + rng.randint(-2, 1))
        checklist.remote_devices_date = checklist.confirmed_on
        new.append(checklist)
    if new:
        bulk_create_with_history(new, PracticeIT, default_change_reason=CHANGE_REASON)
    counts["checklists"] += len(new)
