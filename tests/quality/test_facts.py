"""The register's workforce and online services facts: the metrics engine's stored values of
each practice's latest accepted return on or before the day, worked out by hand."""

import datetime as dt

import pytest

from metrics.services import metrics_recompute
from quality.facts import practice_facts
from quality.models import VulnerabilityScore
from quality.services import vulnerability_scores_compute
from tests.metrics.helpers import Q1_2018, Q4_2017, SEPTEMBER_2018, accepted_access, accepted_workforce
from workforce.models import WorkforceLine

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_quarters(luton_practice):
    """2017/18 Q4: 9,000 patients, 2 GP partners (2.0 FTE, one aged 55 and over) and a locum
    (1.0 FTE); a nurse post vacant 4 months. 2018/19 Q1: 9,000 patients, one partner (1.5 FTE)."""
    q4 = accepted_workforce(
        luton_practice, Q4_2017, 9000,
        gp_partner=(2, 2.0, 1, 0), gp_locum=(1, 1.0, 0, 0), practice_nurse=(2, 1.0, 0, 0.5),
    )  # fmt: skip
    WorkforceLine.objects.filter(revision=q4, role="practice_nurse").update(vacant_posts=1, vacancy_months=4)
    q1 = accepted_workforce(luton_practice, Q1_2018, 9000, gp_partner=(1, 1.5, 0, 0))
    metrics_recompute()
    return q4, q1


def test_workforce_facts_are_the_engines_values_of_the_latest_return_on_or_before_the_day(two_quarters, luton_practice):
    facts = practice_facts([luton_practice.pk], dt.date(2018, 3, 31))[luton_practice.pk]
    assert facts.patients_per_gp_fte == pytest.approx(9000 / 3.0)
    assert facts.share_gps_aged_55_plus == pytest.approx(1 / 3)
    assert facts.longest_vacancy_months == 4
    assert facts.gp_headcount == 2, "partners, salaried and retained GPs: not the locum"
    assert facts.workforce_period == "2017/18 Q4"

    facts = practice_facts([luton_practice.pk], dt.date(2018, 4, 1))[luton_practice.pk]
    assert (facts.patients_per_gp_fte, facts.share_gps_aged_55_plus) == (pytest.approx(6000), 0)
    assert (facts.longest_vacancy_months, facts.gp_headcount, facts.workforce_period) == (0, 1, "2018/19 Q1")


def test_a_practice_without_an_accepted_return_in_the_engine_has_no_workforce_facts(luton_practice):
    accepted_workforce(luton_practice, Q1_2018, 9000, gp_partner=(1, 1.5, 0, 0))  # not yet recomputed
    facts = practice_facts([luton_practice.pk], dt.date(2018, 6, 30))[luton_practice.pk]
    assert (facts.patients_per_gp_fte, facts.gp_headcount, facts.workforce_period) == (None, None, "")


def test_online_registration_is_the_latest_accepted_access_returns_on_or_before_the_day(luton_practice):
    accepted_access(luton_practice, dt.date(2018, 8, 1), 9000, online_registration_percent=12)
    accepted_access(luton_practice, SEPTEMBER_2018, 9000, online_registration_percent=18.5)
    metrics_recompute()
    assert practice_facts([luton_practice.pk], dt.date(2018, 8, 31))[luton_practice.pk].online_registration_percent == (
        pytest.approx(12)
    )
    assert practice_facts([luton_practice.pk], SEPTEMBER_2018)[luton_practice.pk].online_registration_percent == (
        pytest.approx(18.5)
    )


def test_the_engines_values_score_the_register_with_the_return_they_come_from(two_quarters, luton_practice):
    # The default rules: more than 2,500 patients per GP FTE scores (see quality/defaults.py).
    vulnerability_scores_compute(run_date=dt.date(2018, 3, 31))
    reasons = [r["reason"] for r in VulnerabilityScore.objects.get(practice=luton_practice).reasons]
    assert "3,000 patients per GP FTE, above 2,500 (workforce return 2017/18 Q4)" in reasons
