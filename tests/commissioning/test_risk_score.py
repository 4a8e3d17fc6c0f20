"""A risk's score and grade: one definition (``risk_score``, ``risk_grade``, ``RISK_GRADE_SCORES``),
the same in SQL (``RiskQuerySet.with_score``, ``graded``, ``high``), used by the register and the
dashboards."""

import pytest

from commissioning.forms_register import GRADES
from commissioning.models import (
    HIGH_RISK_SCORE,
    RISK_GRADE_SCORES,
    Risk,
    RiskGrade,
    risk_grade,
    risk_score,
)
from dashboards.selectors import high_risks

from .factories import PlanFactory, RiskFactory

pytestmark = pytest.mark.django_db


def test_every_product_of_the_matrix_falls_in_exactly_one_grade():
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            score = risk_score(likelihood, impact)
            inside = [g for g, (low, high) in RISK_GRADE_SCORES.items() if low <= score <= high]
            assert inside == [RiskGrade(risk_grade(score))], score


def test_a_high_risk_scores_at_least_eight():
    assert HIGH_RISK_SCORE == 8
    assert (risk_grade(6), risk_grade(8), risk_grade(12), risk_grade(15)) == ("moderate", "high", "high", "extreme")


def test_the_filter_choices_name_the_grades_with_their_scores():
    assert GRADES == [
        ("low", "Low (1-3)"), ("moderate", "Moderate (4-6)"), ("high", "High (8-12)"), ("extreme", "Extreme (15-25)"),
    ]  # fmt: skip


@pytest.fixture
def register():
    plan = PlanFactory()
    made = {
        "low": RiskFactory(plan=plan, reference="R01", likelihood=1, impact=3),
        "moderate": RiskFactory(plan=plan, reference="R02", likelihood=2, impact=3),
        "high": RiskFactory(plan=plan, reference="R03", likelihood=2, impact=4),
        "extreme": RiskFactory(plan=plan, reference="R04", likelihood=5, impact=4),
        "closed extreme": RiskFactory(plan=plan, reference="R05", likelihood=5, impact=5, status=Risk.Status.CLOSED),
    }
    return plan, made


def test_with_score_in_the_database_is_the_score_of_the_model(register):
    _plan, made = register
    annotated = {r.pk: r.score_value for r in Risk.objects.with_score()}
    assert annotated == {r.pk: r.score for r in made.values()}


def test_graded_keeps_the_risks_of_one_grade(register):
    _plan, made = register
    assert [r.reference for r in Risk.objects.graded("high")] == ["R03"]
    assert [r.reference for r in Risk.objects.graded("extreme").order_by("reference")] == ["R04", "R05"]


def test_high_risks_are_open_and_high_or_extreme_highest_first(register):
    plan, _made = register
    assert [r.reference for r in Risk.objects.high().highest_first()] == ["R04", "R03"]
    assert [r.reference for r in high_risks(plan)] == ["R04", "R03"]


def test_a_rescored_risk_moves_grade_and_leaves_or_joins_the_high_risks(register):
    plan, made = register
    risk = made["high"]
    risk.likelihood = 1
    risk.save()
    assert Risk.objects.get(pk=risk.pk).grade == "moderate"
    assert [r.reference for r in high_risks(plan)] == ["R04"]
