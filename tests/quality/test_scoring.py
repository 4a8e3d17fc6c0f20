"""Every rule of the vulnerable practice register, at and either side of its threshold."""

import datetime as dt
from decimal import Decimal

import pytest

from quality.facts import whole_months_between
from quality.models import Rating, RuleKey
from quality.scoring import RULES, PracticeFacts, RuleSetting, default_settings, score_practice


def score(facts: PracticeFacts, key: str, threshold=None, points: int = 3):
    rule = RULES[key]
    setting = RuleSetting(
        key, True, Decimal(str(threshold)) if threshold is not None else rule.default_threshold, points
    )
    return score_practice(facts, [setting])


@pytest.mark.parametrize(
    ("rating", "inadequate", "requires_improvement"),
    [
        (Rating.INADEQUATE, 3, 0),
        (Rating.REQUIRES_IMPROVEMENT, 0, 3),
        (Rating.GOOD, 0, 0),
        (Rating.OUTSTANDING, 0, 0),
        ("", 0, 0),
    ],
)
def test_cqc_rules_score_only_their_own_rating(rating, inadequate, requires_improvement):
    facts = PracticeFacts(cqc_overall=rating, cqc_published=dt.date(2018, 5, 1))
    assert score(facts, RuleKey.CQC_INADEQUATE).score == inadequate
    assert score(facts, RuleKey.CQC_REQUIRES_IMPROVEMENT).score == requires_improvement


def test_the_cqc_reason_names_the_rating_and_publication_date():
    result = score(PracticeFacts(cqc_overall=Rating.INADEQUATE, cqc_published=dt.date(2018, 5, 1)), "cqc_inadequate")
    assert result.reasons[0].reason == "Latest CQC rating inadequate, published 1 May 2018"


@pytest.mark.parametrize("key", ["special_measures", "warning_notice", "list_closure"])
def test_yes_no_rules_score_only_when_true(key):
    field = {"special_measures": "special_measures", "warning_notice": "warning_notice"}.get(key, "open_list_closure")
    assert score(PracticeFacts(**{field: True}), key).score == 3
    assert score(PracticeFacts(), key).score == 0


@pytest.mark.parametrize(("patients", "points"), [(2499.9, 0), (2500, 0), (2500.1, 3), (None, 0)])
def test_patients_per_gp_fte_scores_only_above_the_threshold(patients, points):
    assert score(PracticeFacts(patients_per_gp_fte=patients), "patients_per_gp_fte", 2500).score == points


@pytest.mark.parametrize(("share", "points"), [(0.49, 0), (0.5, 3), (0.75, 3), (None, 0)])
def test_gps_aged_55_plus_scores_at_or_above_the_threshold(share, points):
    assert score(PracticeFacts(share_gps_aged_55_plus=share), "gps_aged_55_plus", 50).score == points


@pytest.mark.parametrize(("months", "points"), [(5, 0), (6, 0), (7, 3), (None, 0)])
def test_a_vacancy_scores_only_when_open_over_the_threshold(months, points):
    assert score(PracticeFacts(longest_vacancy_months=months), "long_vacancy", 6).score == points


@pytest.mark.parametrize(("gps", "points"), [(0, 0), (1, 3), (2, 0), (None, 0)])
def test_single_handed_means_exactly_one_gp(gps, points):
    assert score(PracticeFacts(gp_headcount=gps), "single_handed").score == points


@pytest.mark.parametrize(("months", "points"), [(0, 3), (11, 3), (12, 0), (None, 0)])
def test_a_breach_notice_scores_within_the_threshold_months(months, points):
    assert score(PracticeFacts(months_since_breach_notice=months), "breach_notice", 12).score == points


@pytest.mark.parametrize(("missing", "threshold", "points"), [(0, 1, 0), (1, 1, 3), (1, 2, 0), (2, 2, 3)])
def test_missing_returns_score_at_or_above_the_threshold(missing, threshold, points):
    assert score(PracticeFacts(missing_returns=missing), "missing_returns", threshold).score == points


@pytest.mark.parametrize(("percent", "points"), [(9.9, 3), (10, 0), (10.1, 0), (None, 0)])
def test_low_online_uptake_scores_only_below_the_threshold(percent, points):
    assert score(PracticeFacts(online_registration_percent=percent), "low_online_uptake", 10).score == points


def test_points_add_up_by_domain_with_a_reason_each():
    facts = PracticeFacts(
        cqc_overall=Rating.REQUIRES_IMPROVEMENT, special_measures=True, patients_per_gp_fte=3000.0,
        open_list_closure=True, workforce_period="2018/19 Q2",
    )  # fmt: skip
    result = score_practice(facts, default_settings().values())
    assert result.by_domain == {"quality": 3 + 6, "workforce": 3, "contract": 3}
    assert result.score == 15
    assert len(result.reasons) == 4
    assert result.reasons[0].points == 6
    assert "3,000 patients per GP FTE, above 2,500 (workforce return 2018/19 Q2)" in [r.reason for r in result.reasons]


def test_a_disabled_rule_or_zero_points_scores_nothing():
    facts = PracticeFacts(special_measures=True)
    assert score_practice(facts, [RuleSetting("special_measures", False, None, 6)]).score == 0
    assert score_practice(facts, [RuleSetting("special_measures", True, None, 0)]).score == 0


def test_nothing_known_scores_nothing():
    assert score_practice(PracticeFacts(), default_settings().values()).score == 0


@pytest.mark.parametrize(
    ("earlier", "later", "months"),
    [(dt.date(2018, 1, 31), dt.date(2018, 2, 28), 0), (dt.date(2018, 1, 15), dt.date(2019, 1, 15), 12),
     (dt.date(2018, 1, 15), dt.date(2019, 1, 14), 11)],
)  # fmt: skip
def test_whole_months_between_counts_completed_months(earlier, later, months):
    assert whole_months_between(earlier, later) == months
