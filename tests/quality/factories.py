import datetime as dt

import factory
from factory.django import DjangoModelFactory

from quality.models import Concern, ContractEvent, CQCInspection, Organisation, Rating, SupportOffer, VulnerabilityScore
from tests.factories import PracticeFactory


class CQCInspectionFactory(DjangoModelFactory):
    class Meta:
        model = CQCInspection

    practice = factory.SubFactory(PracticeFactory)
    publication_date = dt.date(2018, 6, 1)
    inspection_date = dt.date(2018, 4, 20)
    overall = Rating.GOOD


class ContractEventFactory(DjangoModelFactory):
    class Meta:
        model = ContractEvent

    practice = factory.SubFactory(PracticeFactory)
    kind = ContractEvent.Kind.LIST_CLOSURE
    summary = "Close the list for 12 weeks."
    received_date = dt.date(2018, 9, 3)
    committee = "Primary Care Commissioning Committee"


class ConcernFactory(DjangoModelFactory):
    class Meta:
        model = Concern

    practice = factory.SubFactory(PracticeFactory)
    raised_by = Organisation.HEALTHWATCH
    raised_date = dt.date(2018, 9, 1)
    concern = "Complaints about the telephone system are rising."
    agreed_action = "CCG to visit."
    responsible = Organisation.CCG


class VulnerabilityScoreFactory(DjangoModelFactory):
    class Meta:
        model = VulnerabilityScore

    practice = factory.SubFactory(PracticeFactory)
    ccg = factory.SelfAttribute("practice.ccg")
    run_date = dt.date(2018, 10, 1)
    score = 6
    quality_points = 6
    reasons = factory.LazyFunction(
        lambda: [{"rule": "cqc_inadequate", "domain": "quality", "points": 6, "reason": "Latest CQC rating inadequate"}]
    )


class SupportOfferFactory(DjangoModelFactory):
    class Meta:
        model = SupportOffer

    practice = factory.SubFactory(PracticeFactory)
    kind = SupportOffer.Kind.COACHING
    offered_date = dt.date(2018, 10, 2)
