"""factory_boy factories for premises, sharing, housing growth, schemes and IT checklists."""

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from estates.models import HousingGrowth, PracticeIT, Premises, Scheme, SchemeMilestone, SiteOccupancy
from tests.factories import CCGFactory, SiteFactory


class PremisesFactory(DjangoModelFactory):
    class Meta:
        model = Premises

    site = factory.SubFactory(SiteFactory)
    ownership = Premises.Ownership.GP_OWNED
    tenure = Premises.Tenure.FREEHOLD
    gross_internal_area_m2 = Decimal("500.0")
    clinical_rooms = 6
    condition = Premises.Condition.B
    accessibility = Premises.Accessibility.COMPLIANT
    rent_basis = Premises.RentBasis.NOTIONAL
    rent_reimbursed_per_year = Decimal("60000.00")


class SiteOccupancyFactory(DjangoModelFactory):
    class Meta:
        model = SiteOccupancy

    site = factory.SubFactory(SiteFactory)
    share_percent = Decimal("40.00")


class HousingGrowthFactory(DjangoModelFactory):
    class Meta:
        model = HousingGrowth

    year = 2019
    new_dwellings = 100


class SchemeFactory(DjangoModelFactory):
    class Meta:
        model = Scheme

    ccg = factory.SubFactory(CCGFactory)
    name = factory.Sequence(lambda n: f"Scheme {n}")
    kind = Scheme.Kind.NEW_BUILD
    status_changed_on = dt.date(2018, 4, 1)


class SchemeMilestoneFactory(DjangoModelFactory):
    class Meta:
        model = SchemeMilestone

    scheme = factory.SubFactory(SchemeFactory)
    title = "Planning permission granted"
    due_date = dt.date(2019, 1, 31)


class PracticeITFactory(DjangoModelFactory):
    class Meta:
        model = PracticeIT
