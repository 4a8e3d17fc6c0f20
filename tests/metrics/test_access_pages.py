"""The extended access pages read the metrics engine's values: the figures shown are the stored
ones, and the CCG's own figure comes from its summed minutes and patients."""

from __future__ import annotations

import pytest
from django.urls import reverse

from access.compliance import Provision
from metrics.models import MetricValue
from metrics.services import metrics_recompute
from tests.factories import PracticeFactory

from .helpers import OCTOBER_2018, accepted_access

pytestmark = pytest.mark.django_db


def test_the_ccg_extended_access_page_shows_the_engines_values(client, alice, luton, luton_practice):
    second = PracticeFactory(ods_code="E81002", name="Second Surgery", ccg=luton)
    accepted_access(luton_practice, OCTOBER_2018, 10_000)  # 30 minutes per 1,000; weekend through the hub
    accepted_access(second, OCTOBER_2018, 5_000, extended_access_minutes=100, sunday_extended=Provision.NOT_OFFERED,
                    saturday_extended=Provision.AT_PRACTICE)  # fmt: skip
    metrics_recompute()
    MetricValue.objects.for_practice(second).metric("dna_rate").update(value=12.345)
    client.force_login(alice)

    page = client.get(reverse("access:ccg_access", args=[luton.pk])).content.decode()

    assert "Extended access in NHS Luton CCG" in page and "October 2018" in page
    assert "Fully compliant (with its group)" in page and "Partially compliant" in page
    assert "12.3%" in page  # the stored value, not worked out again
    assert "66.7% of the registered patients" in page  # 10,000 of 15,000 patients fully covered
    assert "26.7 minutes a week per 1,000 patients" in page  # 400 minutes for 15,000 patients


def test_practices_meeting_a_slot_through_their_group_are_counted(luton, luton_practice):
    alone = PracticeFactory(ods_code="E81002", ccg=luton)
    accepted_access(luton_practice, OCTOBER_2018, 10_000)
    accepted_access(alone, OCTOBER_2018, 5_000, saturday_extended=Provision.AT_PRACTICE,
                    sunday_extended=Provision.AT_PRACTICE)  # fmt: skip

    metrics_recompute()

    rows = MetricValue.objects.metric("extended_access_through_group").period(OCTOBER_2018)
    assert rows.for_practice(luton_practice).get().value == 100
    assert rows.for_practice(alone).get().value == 0
    assert rows.for_ccg(luton).get().value == 50
