"""An action's status as at a date, from its status changes: the one overdue rule."""

import datetime as dt

import pytest
import time_machine

from commissioning.models import Action, ActionStatusChange
from commissioning.services import FutureStatusDate, action_status_backfill, action_status_record, plan_create

from .factories import ActionFactory

pytestmark = pytest.mark.django_db

APRIL_2018 = dt.date(2018, 4, 30)


@pytest.fixture
def plan(luton):
    return plan_create(ccg=luton, title="Luton GP Forward View plan", first_year=2017, last_year=2018)


def _move(action, on, **state):
    for name, value in state.items():
        setattr(action, name, value)
    action.save()
    return action_status_record(action=action, effective_on=on, user=None)


@time_machine.travel(dt.datetime(2018, 9, 30, 12, tzinfo=dt.UTC))
def test_an_action_achieved_late_was_overdue_between_its_due_date_and_its_achievement(plan):
    action = ActionFactory(plan=plan, due_date=dt.date(2018, 3, 31), status_recorded_on=dt.date(2017, 4, 1))
    _move(action, dt.date(2018, 6, 15), status=Action.Status.ACHIEVED)

    assert not Action.objects.overdue(dt.date(2018, 3, 31)).exists()
    assert list(Action.objects.overdue(APRIL_2018)) == [action]
    assert action.is_overdue_on(APRIL_2018)
    assert not Action.objects.overdue(dt.date(2018, 6, 15)).exists()
    assert not action.is_overdue_on(dt.date(2018, 9, 1))
    assert list(Action.objects.not_overdue(dt.date(2018, 9, 1))) == [action]


@time_machine.travel(dt.datetime(2018, 9, 30, 12, tzinfo=dt.UTC))
def test_a_reopened_action_reads_achieved_only_while_it_was_closed(plan):
    action = ActionFactory(plan=plan, due_date=dt.date(2019, 3, 31), status_recorded_on=dt.date(2017, 4, 1))
    _move(action, dt.date(2018, 1, 10), status=Action.Status.ACHIEVED)
    _move(action, dt.date(2018, 5, 2), status=Action.Status.IN_PROGRESS, rag=Action.RAG.AMBER, rag_reason="Reopened")

    as_at = {on: Action.objects.as_at(on).get() for on in (dt.date(2017, 12, 1), APRIL_2018, dt.date(2018, 6, 1))}
    assert [a.status for a in as_at.values()] == ["in_progress", "achieved", "in_progress"]
    assert as_at[APRIL_2018].get_status_display() == "Achieved and closed"
    assert as_at[dt.date(2018, 6, 1)].rag == Action.RAG.AMBER
    with pytest.raises(ValueError):
        as_at[APRIL_2018].save()


@time_machine.travel(dt.datetime(2018, 9, 30, 12, tzinfo=dt.UTC))
def test_an_action_is_not_in_the_plan_before_its_first_status_and_ties_go_to_the_later_record(plan):
    action = ActionFactory(plan=plan, status_recorded_on=dt.date(2018, 5, 1))
    assert not Action.objects.as_at(APRIL_2018).exists()
    _move(action, dt.date(2018, 5, 1), status=Action.Status.NOT_STARTED)
    assert Action.objects.as_at(dt.date(2018, 5, 1)).get().status == Action.Status.NOT_STARTED


@time_machine.travel(dt.datetime(2018, 9, 30, 12, tzinfo=dt.UTC))
def test_recording_writes_only_a_change_and_refuses_a_future_date(plan):
    action = ActionFactory(plan=plan)
    assert action_status_record(action=action, effective_on=dt.date(2018, 9, 1)) is None
    assert action.status_changes.count() == 1
    with pytest.raises(FutureStatusDate):
        action_status_record(action=action, effective_on=dt.date(2018, 10, 1))


def test_the_backfill_writes_one_change_per_history_row_that_moved_the_status(plan):
    with time_machine.travel(dt.datetime(2017, 5, 1, 12, tzinfo=dt.UTC)):
        action = ActionFactory(plan=plan, status=Action.Status.NOT_STARTED, status_recorded_on=False)
    with time_machine.travel(dt.datetime(2017, 8, 1, 12, tzinfo=dt.UTC)):
        action.title = "Renamed"
        action.save()
    with time_machine.travel(dt.datetime(2018, 2, 1, 12, tzinfo=dt.UTC)):
        action.status = Action.Status.IN_PROGRESS
        action.save()
    untracked = ActionFactory(plan=plan, status_recorded_on=False)
    untracked.history.all().delete()

    assert action_status_backfill() == 3
    assert list(action.status_changes.values_list("effective_on", "status")) == [
        (dt.date(2017, 5, 1), "not_started"),
        (dt.date(2018, 2, 1), "in_progress"),
    ]
    assert untracked.status_changes.count() == 1
    assert action_status_backfill() == 0
    assert ActionStatusChange.objects.count() == 3


@time_machine.travel(dt.datetime(2018, 9, 30, 12, tzinfo=dt.UTC))
def test_open_and_red_are_decided_on_the_date_by_the_status_then_in_force(plan):
    action = ActionFactory(plan=plan, due_date=dt.date(2019, 3, 31), status_recorded_on=dt.date(2017, 4, 1))
    _move(action, dt.date(2018, 2, 1), rag=Action.RAG.RED, rag_reason="Supplier gone")
    _move(action, dt.date(2018, 6, 1), status=Action.Status.ACHIEVED, rag=Action.RAG.GREEN, rag_reason="")

    assert list(Action.objects.red(dt.date(2018, 1, 31))) == []
    assert list(Action.objects.red(APRIL_2018)) == [action]
    assert Action.objects.red(APRIL_2018).get().rag_reason == "Supplier gone"
    assert list(Action.objects.open(APRIL_2018)) == [action]
    assert list(Action.objects.open(dt.date(2018, 6, 1))) == []
    assert list(Action.objects.red()) == [], "today (30 September) it is achieved"
