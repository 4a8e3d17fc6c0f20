"""What changed in a plan between two dates, read from the change history (time frozen on each day)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from commissioning.changes import plan_changes_between
from commissioning.models import Action, PlanVersion, Risk, TrajectoryPoint
from commissioning.services import action_status_record
from tests.commissioning.factories import ActionFactory, PlanFactory, RiskFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db

LAST_MEETING = dt.date(2018, 1, 24)
THIS_MEETING = dt.date(2018, 4, 30)


def on(day: dt.date):
    """Travel to noon, local time, on ``day``: history rows get that day as their date."""
    return time_machine.travel(timezone.make_aware(dt.datetime.combine(day, dt.time(12))), tick=False)


def record(action: Action, effective_on: dt.date | None = None, **state) -> None:
    """Save the action with ``state`` and record it as taking effect on ``effective_on`` (today if not given),
    as the action form does."""
    for name, value in state.items():
        setattr(action, name, value)
    action.save()
    action_status_record(action=action, effective_on=effective_on)


@pytest.fixture
def plan(luton):
    with on(dt.date(2017, 6, 1)):
        return PlanFactory(ccg=luton)


def test_an_action_whose_status_and_rag_moved_in_the_window_shows_how(plan):
    with on(dt.date(2017, 6, 1)):
        moved = ActionFactory(plan=plan, local_code="PC01", status=Action.Status.IN_PROGRESS)
        ActionFactory(plan=plan, local_code="PC02")
    with on(dt.date(2018, 3, 1)):
        record(moved, status=Action.Status.ON_HOLD, rag=Action.RAG.RED, rag_reason="No applicants")
    changes = plan_changes_between(plan=plan, start=LAST_MEETING, end=THIS_MEETING)
    [move] = changes.actions
    assert move.local_code == "PC01" and move.changed_on == dt.date(2018, 3, 1)
    assert (move.old_status_label, move.new_status_label) == ("In progress", "On hold")
    assert (move.old_rag_label, move.new_rag_label) == ("Not rated", "Red")


def test_a_change_on_the_earlier_date_or_after_the_later_is_not_in_the_window(plan):
    with on(dt.date(2017, 6, 1)):
        early, late = ActionFactory(plan=plan), ActionFactory(plan=plan)
    with on(LAST_MEETING):
        record(early, status=Action.Status.ACHIEVED)
    with on(THIS_MEETING + dt.timedelta(days=1)):
        record(late, status=Action.Status.ACHIEVED)
    assert plan_changes_between(plan=plan, start=LAST_MEETING, end=THIS_MEETING).actions == []


def test_an_action_moved_and_moved_back_in_the_window_is_not_listed(plan):
    with on(dt.date(2017, 6, 1)):
        action = ActionFactory(plan=plan)
    for day, status in [(dt.date(2018, 2, 1), Action.Status.ON_HOLD), (dt.date(2018, 3, 1), Action.Status.IN_PROGRESS)]:
        with on(day):
            record(action, status=status)
    assert not plan_changes_between(plan=plan, start=LAST_MEETING, end=THIS_MEETING).actions


def test_an_action_achieved_late_counts_by_the_date_it_took_effect_not_the_day_it_was_typed(plan):
    with on(dt.date(2017, 6, 1)):
        before_window = ActionFactory(plan=plan, local_code="PC01")
        in_window = ActionFactory(plan=plan, local_code="PC02")
    # Both typed after this meeting; one took effect before the last meeting, the other between the two.
    with on(THIS_MEETING + dt.timedelta(days=10)):
        record(before_window, dt.date(2018, 1, 10), status=Action.Status.ACHIEVED)
        record(in_window, dt.date(2018, 3, 31), status=Action.Status.ACHIEVED)
        changes = plan_changes_between(plan=plan, start=LAST_MEETING, end=THIS_MEETING)
    [move] = changes.actions
    assert move.local_code == "PC02" and move.changed_on == dt.date(2018, 3, 31)
    assert (move.old_status, move.new_status) == (Action.Status.IN_PROGRESS, Action.Status.ACHIEVED)


def test_a_reopened_action_moves_back_from_achieved(plan):
    with on(dt.date(2017, 6, 1)):
        action = ActionFactory(plan=plan, status=Action.Status.ACHIEVED)
    with on(dt.date(2018, 2, 20)):
        record(action, status=Action.Status.IN_PROGRESS)
    [move] = plan_changes_between(plan=plan, start=LAST_MEETING, end=THIS_MEETING).actions
    assert (move.old_status_label, move.new_status_label) == ("Achieved and closed", "In progress")
    assert move.changed_on == dt.date(2018, 2, 20)


def test_an_action_first_recorded_in_the_window_is_added(plan):
    with on(dt.date(2018, 2, 1)):
        ActionFactory(plan=plan, local_code="PC09", status_recorded_on=dt.date(2018, 2, 1))
    [move] = plan_changes_between(plan=plan, start=LAST_MEETING, end=THIS_MEETING).actions
    assert move.added and move.old_rag_label == "(not in the plan)"


def test_action_moves_take_one_query_whatever_the_number_of_actions(plan, django_assert_max_num_queries):
    from commissioning.changes import action_moves

    with on(dt.date(2018, 2, 1)):
        for _ in range(6):
            record(ActionFactory(plan=plan), status=Action.Status.ON_HOLD)
    with django_assert_max_num_queries(1):
        assert len(action_moves(plan=plan, start=LAST_MEETING, end=THIS_MEETING)) == 6


def test_risks_new_closed_and_rescored_show_old_and_new_scores(plan):
    with on(dt.date(2017, 6, 1)):
        rescored = RiskFactory(plan=plan, reference="R01", likelihood=3, impact=4)
        closed = RiskFactory(plan=plan, reference="R02", likelihood=2, impact=2)
    with on(dt.date(2018, 2, 14)):
        RiskFactory(plan=plan, reference="R03", likelihood=5, impact=5)
        rescored.likelihood = 4
        rescored.save()
        closed.status = Risk.Status.CLOSED
        closed.save()
    changes = plan_changes_between(plan=plan, start=LAST_MEETING, end=THIS_MEETING)
    assert [(r.reference, r.old_score, r.new_score) for r in changes.rescored_risks] == [("R01", 12, 16)]
    assert [r.reference for r in changes.closed_risks] == ["R02"]
    assert [(r.reference, r.new_score) for r in changes.new_risks] == [("R03", 25)]


def test_an_actual_recorded_in_the_window_is_new_and_one_recorded_before_is_not(plan):
    with on(dt.date(2017, 6, 1)):
        trajectory = TrajectoryFactory(action=ActionFactory(plan=plan))
        earlier = TrajectoryPoint.objects.create(
            trajectory=trajectory, period=dt.date(2017, 10, 1), planned=Decimal(40), actual=Decimal(35),
            actual_source="typed",
        )  # fmt: skip
        point = TrajectoryPoint.objects.create(trajectory=trajectory, period=dt.date(2018, 1, 1), planned=Decimal(50))
    with on(dt.date(2018, 4, 10)):
        point.actual, point.actual_source = Decimal(52), "typed"
        point.save()
        earlier.actual = Decimal(36)
        earlier.save()
    [new] = plan_changes_between(plan=plan, start=LAST_MEETING, end=THIS_MEETING).actuals
    assert new.point.pk == point.pk and new.point.actual == Decimal(52) and new.recorded_on == dt.date(2018, 4, 10)


def test_versions_approved_and_scheme_decisions_in_the_window_are_new_decisions(plan, alice):
    from tests.commissioning.funding.factories import SchemeFactory

    PlanVersion.objects.filter(plan=plan).update(
        status="approved", approving_committee="PCCC", approved_on=dt.date(2018, 3, 12), approved_at=timezone.now()
    )
    scheme = SchemeFactory(ccg=plan.ccg, title="Care navigation")
    type(scheme).objects.filter(pk=scheme.pk).update(
        status="approved", committee="PCCC", decided_on=dt.date(2018, 4, 30), decision_recorded_at=timezone.now(),
        decision_recorded_by=alice,
    )  # fmt: skip
    SchemeFactory(ccg=plan.ccg, title="Still a draft")
    changes = plan_changes_between(plan=plan, start=LAST_MEETING, end=THIS_MEETING)
    assert [v.number for v in changes.versions] == [1]
    assert [s.title for s in changes.schemes] == ["Care navigation"]
    assert not plan_changes_between(plan=plan, start=THIS_MEETING, end=dt.date(2018, 6, 1)).versions
