"""factory_boy factories for the organisation hierarchy and the people who use it."""

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from practices.models import (
    CCG,
    STP,
    CCGMembership,
    Cluster,
    ClusterMembership,
    DeprivationScore,
    ListSize,
    Practice,
    Role,
    Site,
    User,
)


class STPFactory(DjangoModelFactory):
    class Meta:
        model = STP
        django_get_or_create = ["ons_code"]

    ons_code = factory.Sequence(lambda n: f"E54{n:06d}")
    name = factory.Sequence(lambda n: f"STP footprint {n}")


class CCGFactory(DjangoModelFactory):
    class Meta:
        model = CCG
        django_get_or_create = ["ods_code"]

    ods_code = factory.Sequence(lambda n: f"{n % 100:02d}{chr(65 + n % 26)}")
    name = factory.Sequence(lambda n: f"Test CCG {n}")
    stp = factory.SubFactory(STPFactory)


class ClusterFactory(DjangoModelFactory):
    class Meta:
        model = Cluster

    ccg = factory.SubFactory(CCGFactory)
    name = factory.Sequence(lambda n: f"Cluster {n}")
    kind = Cluster.Kind.CLUSTER


class PracticeFactory(DjangoModelFactory):
    class Meta:
        model = Practice
        django_get_or_create = ["ods_code"]

    ods_code = factory.Sequence(lambda n: f"Z{n:05d}")
    name = factory.Sequence(lambda n: f"Test Surgery {n}")
    address_line_1 = "1 High Street"
    town = "Luton"
    postcode = "LU1 3UA"
    ccg = factory.SubFactory(CCGFactory)
    contract_type = Practice.ContractType.GMS
    status = Practice.Status.ACTIVE
    open_date = dt.date(1974, 4, 1)


class ClusterMembershipFactory(DjangoModelFactory):
    class Meta:
        model = ClusterMembership

    practice = factory.SubFactory(PracticeFactory)
    cluster = factory.SubFactory(ClusterFactory, ccg=factory.SelfAttribute("..practice.ccg"))
    start_date = dt.date(2016, 4, 1)


class SiteFactory(DjangoModelFactory):
    class Meta:
        model = Site

    practice = factory.SubFactory(PracticeFactory)
    name = factory.Sequence(lambda n: f"Branch {n}")
    kind = Site.Kind.BRANCH
    postcode = "LU2 7DB"


class ListSizeFactory(DjangoModelFactory):
    class Meta:
        model = ListSize

    practice = factory.SubFactory(PracticeFactory)
    extract_date = dt.date(2018, 4, 1)
    patients = 8000


class DeprivationScoreFactory(DjangoModelFactory):
    class Meta:
        model = DeprivationScore

    practice = factory.SubFactory(PracticeFactory)
    index = "IMD 2019"
    score = Decimal("32.361")
    decile = 2
    practices_ranked = 6545
    period = "2019"
    source = "OHID Fingertips indicator 93553: Deprivation score (IMD 2019)"
    source_file = "fingertips_93553_IMD2019_gp_practices.csv"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@nhs.test")
    password = factory.django.Password("correct horse battery staple")


class RoleFactory(DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    kind = Role.Kind.COMMISSIONER


class CCGMembershipFactory(DjangoModelFactory):
    class Meta:
        model = CCGMembership
        django_get_or_create = ["practice", "ccg", "start_date"]

    practice = factory.SubFactory(PracticeFactory)
    ccg = factory.SelfAttribute("practice.ccg")
    start_date = dt.date(2013, 4, 1)
