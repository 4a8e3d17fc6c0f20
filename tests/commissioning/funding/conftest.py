"""Funding fixtures: the GP Forward View streams (from a data migration, which a transactional
test's flush removes), Luton's practices with dated memberships and list sizes, and Luton's
rule for practice transformation money."""

import datetime as dt
from decimal import Decimal

import pytest

from commissioning.funding.models import FundingStream, StreamRate, StreamRule
from commissioning.funding.streams import load_funding_streams
from tests.factories import CCGMembershipFactory, ListSizeFactory, PracticeFactory

from .factories import AllocationFactory


@pytest.fixture(autouse=True)
def streams(db):
    load_funding_streams(FundingStream, StreamRate)
    return {s.code: s for s in FundingStream.objects.all()}


@pytest.fixture
def pts(streams):
    """Practice Transformational Support: £3 per head over 2017/18-2018/19."""
    return streams["practice-transformational-support"]


@pytest.fixture
def extended_access(streams):
    return streams["extended-access"]


def luton_member(ccg, code, patients, *, on=dt.date(2017, 1, 1), since=dt.date(2013, 4, 1), **practice):
    """A practice in ``ccg`` since ``since`` with ``patients`` registered on ``on``."""
    member = PracticeFactory(ods_code=code, ccg=ccg, **practice)
    CCGMembershipFactory(practice=member, ccg=ccg, start_date=since)
    ListSizeFactory(practice=member, extract_date=on, patients=patients)
    return member


@pytest.fixture
def luton_practices(luton, luton_practice, luton_cluster):
    """Three Luton practices, 60,000 patients on 1 Jan 2017; ``luton_practice`` (bob's) is the first."""
    CCGMembershipFactory(practice=luton_practice, ccg=luton, start_date=dt.date(2013, 4, 1))
    ListSizeFactory(practice=luton_practice, extract_date=dt.date(2017, 1, 1), patients=20_000)
    return [
        luton_practice,
        luton_member(luton, "E81002", 25_000),
        luton_member(luton, "E81003", 15_000),
    ]


@pytest.fixture
def luton_rule(luton, pts):
    return StreamRule.objects.create(
        stream=pts, ccg=luton, kind=StreamRule.Kind.MIN_POPULATION, value=Decimal("50000"),
        description="Luton: practice transformation money only for schemes covering at least 50,000 patients.",
    )  # fmt: skip


@pytest.fixture
def luton_pts_allocations(luton, pts):
    return [
        AllocationFactory(stream=pts, ccg=luton, financial_year=2017, amount=Decimal("350000.00")),
        AllocationFactory(stream=pts, ccg=luton, financial_year=2018, amount=Decimal("350000.00")),
    ]
