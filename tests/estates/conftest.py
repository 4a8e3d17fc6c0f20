"""Luton's practice E81001 (bob's) with a main site and its premises, for the estates tests."""

from decimal import Decimal

import pytest

from practices.models import Site
from tests.factories import SiteFactory

from .factories import PremisesFactory


@pytest.fixture
def luton_site(luton_practice):
    return SiteFactory(practice=luton_practice, name="The Medical Centre", kind=Site.Kind.MAIN, postcode="LU1 3UA")


@pytest.fixture
def luton_premises(luton_site):
    return PremisesFactory(site=luton_site, gross_internal_area_m2=Decimal("760.0"), clinical_rooms=8)


@pytest.fixture
def wolverhampton_premises(wolverhampton_practice):
    site = SiteFactory(practice=wolverhampton_practice, name="Wolverhampton Surgery", kind=Site.Kind.MAIN,
                       postcode="WV1 2LW")  # fmt: skip
    return PremisesFactory(site=site)
