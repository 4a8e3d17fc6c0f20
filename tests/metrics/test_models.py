"""The chainable reads that pick values by practice and by latest period."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.models import MetricValue
from metrics.services import metrics_recompute
from tests.factories import PracticeFactory

from .helpers import OCTOBER_2018, SEPTEMBER_2018, accepted_access

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_practices(luton, luton_practice):
    """The first practice returned September and October, the second September only."""
    second = PracticeFactory(ods_code="E81002", ccg=luton)
    accepted_access(luton_practice, SEPTEMBER_2018, 10_000, online_registration_percent=20)
    accepted_access(luton_practice, OCTOBER_2018, 10_000, online_registration_percent=25)
    accepted_access(second, SEPTEMBER_2018, 5_000, online_registration_percent=40)
    metrics_recompute()
    return luton_practice, second


def test_latest_per_organisation_gives_each_practices_latest_period(two_practices):
    first, second = two_practices
    rows = MetricValue.objects.for_practices(two_practices).metric("online_registration").latest_per_organisation()
    assert sorted((row.org_id, row.period, row.value) for row in rows) == [
        (first.pk, OCTOBER_2018, pytest.approx(25)),
        (second.pk, SEPTEMBER_2018, pytest.approx(40)),
    ]


def test_latest_per_organisation_keeps_to_the_periods_chosen_before_it(two_practices):
    first, second = two_practices
    rows = (
        MetricValue.objects.for_practices([first.pk, second.pk]).metric(["online_registration", "dna_rate"])
        .between(dt.date(2018, 1, 1), SEPTEMBER_2018).latest_per_organisation()
    )  # fmt: skip
    assert sorted((row.org_id, row.metric, row.period) for row in rows) == [
        (first.pk, "dna_rate", SEPTEMBER_2018),
        (first.pk, "online_registration", SEPTEMBER_2018),
        (second.pk, "dna_rate", SEPTEMBER_2018),
        (second.pk, "online_registration", SEPTEMBER_2018),
    ]


def test_for_practices_gives_only_those_practices_values(two_practices):
    first, second = two_practices
    rows = MetricValue.objects.for_practices([second]).metric("online_registration")
    assert [(row.level, row.org_id) for row in rows] == [("practice", second.pk)]
