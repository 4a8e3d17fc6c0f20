"""Demo quality data for the demo CCGs (safe to run again; a second run adds nothing).

    from quality.demo import load_demo_quality
    load_demo_quality()  # after the demo practices and accounts

QOF prevalence is the real 2018-19 file (data/reference/qof-prevalence/), loaded for the
demo CCGs. Everything else is INVENTED for the demo and is not the CQC's or any CCG's real
record: CQC histories (most practices good, a few requires improvement, one inadequate and
in special measures), a few contract events with decisions and reviews, a few concerns in
the shared risk log and one support offer. The register is then worked out for today.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from practices.demo.spec import DEMO_CCG_CODES
from practices.models import CCG, Practice
from practices.reference import import_reference

from .defaults import load_default_scoring_rules
from .models import Concern, ContractEvent, CQCEnforcement, CQCInspection, Organisation, Rating, SupportOffer
from .services import vulnerability_scores_compute

PREVALENCE = Path(settings.BASE_DIR) / "data" / "reference" / "qof-prevalence" / "PREVALENCE_1819_v2.csv"
SEED = 2018
#: The demo practice managers' own practices get a visible history.
SHOWCASE = ("E81073", "M92016")
RATING_DRAW = [Rating.GOOD] * 16 + [Rating.OUTSTANDING] * 2 + [Rating.REQUIRES_IMPROVEMENT] * 2
KEY_QUESTIONS = ("safe", "effective", "caring", "responsive", "well_led")
COMMITTEE = "Primary Care Commissioning Committee"


def _inspection(practice: Practice, published: dt.date, overall: str, rng: random.Random) -> CQCInspection:
    ratings = {q: overall for q in KEY_QUESTIONS}
    if overall == Rating.REQUIRES_IMPROVEMENT:
        ratings.update(caring=Rating.GOOD, effective=Rating.GOOD)
    if overall == Rating.INADEQUATE:
        ratings.update(caring=Rating.GOOD, responsive=Rating.REQUIRES_IMPROVEMENT)
    if overall == Rating.OUTSTANDING:
        ratings.update(safe=Rating.GOOD, caring=Rating.GOOD)
    return CQCInspection(
        practice=practice, publication_date=published,
        inspection_date=published - dt.timedelta(days=rng.randint(35, 70)), overall=overall,
        source=CQCInspection.Source.ENTERED, **ratings,
    )  # fmt: skip


@transaction.atomic
def load_demo_quality() -> dict[str, int]:
    counts: Counter[str] = Counter()
    load_default_scoring_rules()
    report = import_reference("qof-prevalence", PREVALENCE, only_ccgs=set(DEMO_CCG_CODES))
    counts["prevalence figures"] = report.created
    practices = list(Practice.objects.filter(ccg__ods_code__in=DEMO_CCG_CODES).order_by("ods_code"))
    have = set(CQCInspection.objects.filter(practice__in=practices).values_list("practice_id", flat=True))
    rng = random.Random(SEED)
    new = []
    flagged: list[Practice] = []
    for practice in practices:
        first = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 500))
        overall = rng.choice(RATING_DRAW)
        if practice.pk in have:
            continue
        new.append(_inspection(practice, first, overall, rng))
        if overall == Rating.REQUIRES_IMPROVEMENT or practice.ods_code in SHOWCASE:
            worse = Rating.INADEQUATE if len(flagged) % 4 == 3 else Rating.REQUIRES_IMPROVEMENT
            new.append(_inspection(practice, first + dt.timedelta(days=400 + rng.randint(0, 200)), worse, rng))
            flagged.append(practice)
    CQCInspection.objects.bulk_create(new)
    counts["CQC inspections"] = len(new)
    if not flagged:
        return _finish(counts)

    today = timezone.localdate()
    for i, practice in enumerate(flagged):
        latest = practice.cqc_inspections.order_by("-publication_date").first()
        if latest.overall == Rating.INADEQUATE:
            CQCEnforcement.objects.create(practice=practice, kind=CQCEnforcement.Kind.SPECIAL_MEASURES,
                                          start_date=latest.publication_date)  # fmt: skip
            CQCEnforcement.objects.create(
                practice=practice, kind=CQCEnforcement.Kind.WARNING_NOTICE, start_date=latest.publication_date,
                end_date=latest.publication_date + dt.timedelta(days=90),
                description="Regulation 12: safe care and treatment (medicines management).",
            )  # fmt: skip
            counts["special measures"] += 1
        received = today - dt.timedelta(days=20 + 15 * i)
        if i % 3 == 0:
            ContractEvent.objects.create(
                practice=practice, kind=ContractEvent.Kind.LIST_CLOSURE, contract_type=practice.contract_type,
                summary="Application to close the list for 12 weeks while two GP vacancies are filled.",
                received_date=received, committee=COMMITTEE,
            )  # fmt: skip
        else:
            ContractEvent.objects.create(
                practice=practice, kind=ContractEvent.Kind.PARTNER_RETIREMENT, contract_type=practice.contract_type,
                summary="A partner retires; the remaining partners take on the contract.",
                received_date=received - dt.timedelta(days=90), committee=COMMITTEE,
                decision=ContractEvent.Decision.APPROVED_WITH_CONDITIONS,
                decision_date=received - dt.timedelta(days=40),
                conditions="A salaried GP in post within six months; workforce plan to the CCG.",
                review_date=today + dt.timedelta(days=10),
            )  # fmt: skip
        counts["contract events"] += 1
        Concern.objects.create(
            practice=practice, raised_by=[Organisation.CQC, Organisation.HEALTHWATCH, Organisation.LMC][i % 3],
            raised_date=received, concern="Patients report long waits for a routine appointment; complaints rising.",
            agreed_action="CCG quality lead to visit and agree an access improvement plan.",
            responsible=Organisation.CCG, status=Concern.Status.OPEN,
        )  # fmt: skip
        counts["concerns"] += 1
    SupportOffer.objects.create(
        practice=flagged[0], kind=SupportOffer.Kind.DIAGNOSTIC, offered_date=today - dt.timedelta(days=30),
        provider="GP Resilience Programme diagnostic team", status=SupportOffer.Status.ACCEPTED,
    )  # fmt: skip
    counts["support offers"] += 1
    return _finish(counts)


def _finish(counts: Counter) -> dict[str, int]:
    ccg_ids = list(CCG.objects.filter(ods_code__in=DEMO_CCG_CODES).values_list("pk", flat=True))
    counts["vulnerability scores"] = vulnerability_scores_compute(ccg_ids=ccg_ids)
    return dict(counts)
