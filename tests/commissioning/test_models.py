import datetime as dt
from decimal import Decimal

import pytest

from commissioning.models import Action, TrajectoryPoint, risk_grade

from .factories import ActionFactory, RiskFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db

DUE = dt.date(2018, 3, 31)


@pytest.mark.parametrize(
    ("status", "today", "overdue"),
    [
        (Action.Status.IN_PROGRESS, dt.date(2018, 3, 31), False),  # due today is not yet overdue
        (Action.Status.IN_PROGRESS, dt.date(2018, 4, 1), True),
        (Action.Status.NOT_STARTED, dt.date(2018, 4, 1), True),
        (Action.Status.ON_HOLD, dt.date(2018, 4, 1), True),
        (Action.Status.ACHIEVED, dt.date(2018, 4, 1), False),
    ],
)
def test_an_action_is_overdue_once_its_due_date_has_passed_unless_achieved(status, today, overdue):
    action = ActionFactory(due_date=DUE, status=status)
    assert action.is_overdue_on(today) is overdue
    assert Action.objects.overdue(today).filter(pk=action.pk).exists() is overdue
    assert Action.objects.as_at(today).get(pk=action.pk).overdue is overdue


def test_an_action_without_a_due_date_is_never_overdue():
    action = ActionFactory(start_date=None, due_date=None)
    assert not action.is_overdue_on(dt.date(2030, 1, 1))
    assert not Action.objects.overdue(dt.date(2030, 1, 1)).exists()


@pytest.mark.parametrize(
    ("likelihood", "impact", "grade"),
    [
        (1, 3, "low"),
        (2, 2, "moderate"),
        (2, 3, "moderate"),
        (2, 4, "high"),
        (3, 4, "high"),
        (3, 5, "extreme"),
        (5, 5, "extreme"),
    ],
)
def test_risk_score_is_likelihood_times_impact_graded_on_the_5x5_matrix(likelihood, impact, grade):
    risk = RiskFactory(likelihood=likelihood, impact=impact)
    assert risk.score == likelihood * impact
    assert risk.grade == grade


def test_every_score_has_a_grade_and_grades_only_rise_with_score():
    order = ["low", "moderate", "high", "extreme"]
    grades = [order.index(risk_grade(likelihood * impact)) for likelihood in range(1, 6) for impact in range(1, 6)]
    scores = [likelihood * impact for likelihood in range(1, 6) for impact in range(1, 6)]
    pairs = sorted(zip(scores, grades, strict=True))
    assert all(a[1] <= b[1] for a, b in zip(pairs, pairs[1:], strict=False))


def test_risk_score_history_is_kept():
    risk = RiskFactory(likelihood=4, impact=4)
    risk.likelihood = 2
    risk.save()
    scores = [h.likelihood * h.impact for h in risk.history.order_by("history_date")]
    assert scores == [16, 8]


def test_trajectory_point_is_on_track_when_actual_meets_plan():
    trajectory = TrajectoryFactory()
    point = TrajectoryPoint.objects.create(
        trajectory=trajectory,
        period=dt.date(2018, 1, 1),
        planned=Decimal("50"),
        actual=Decimal("47.5"),
        actual_source="typed",
    )
    assert point.variance == Decimal("-2.5")
    assert point.on_track is False
    assert point.period_label == "2017/18 Q4"
