import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from commissioning.funding.models import Allocation, FundingStream, Scheme, SchemeAmount, SchemeSpend
from tests.factories import CCGFactory


class FundingStreamFactory(DjangoModelFactory):
    class Meta:
        model = FundingStream
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"local-stream-{n}")
    name = factory.Sequence(lambda n: f"Local stream {n}")
    source = FundingStream.Source.CCG_BASELINE
    basis = FundingStream.Basis.BID
    first_year = 2017
    last_year = 2018


class AllocationFactory(DjangoModelFactory):
    class Meta:
        model = Allocation

    stream = factory.SubFactory(FundingStreamFactory)
    ccg = factory.SubFactory(CCGFactory)
    financial_year = 2017
    amount = Decimal("100000.00")


class SchemeFactory(DjangoModelFactory):
    """A draft scheme; pass ``practices=[...]`` and ``amounts={2017: Decimal(...)}``."""

    class Meta:
        model = Scheme
        skip_postgeneration_save = True

    ccg = factory.SubFactory(CCGFactory)
    stream = factory.SubFactory(FundingStreamFactory)
    title = factory.Sequence(lambda n: f"Cluster scheme {n}")
    applicant = Scheme.Applicant.PRACTICE_GROUP
    purpose = "Care navigation in every practice of the cluster."
    population_date = dt.date(2017, 1, 1)

    @factory.post_generation
    def practices(self, create, extracted, **kwargs):
        if create and extracted:
            self.practices.set(extracted)

    @factory.post_generation
    def amounts(self, create, extracted, **kwargs):
        if create and extracted:
            for year, amount in extracted.items():
                SchemeAmount.objects.create(scheme=self, financial_year=year, amount=Decimal(amount))


class SchemeSpendFactory(DjangoModelFactory):
    class Meta:
        model = SchemeSpend

    scheme = factory.SubFactory(SchemeFactory)
    quarter = dt.date(2017, 4, 1)
    actual = Decimal("1000.00")
