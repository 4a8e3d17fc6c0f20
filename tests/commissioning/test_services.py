import datetime as dt

import pytest

from commissioning.models import Action, Chapter, PlanVersion
from commissioning.services import (
    PlanLocked,
    PlanVersionError,
    plan_create,
    plan_open_for_edit,
    plan_summary,
    plan_version_actions,
    plan_version_approve,
    plan_version_changes,
    plan_version_submit,
)

from .factories import ActionFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2018, 6, 1)


@pytest.fixture
def plan(luton):
    return plan_create(ccg=luton, title="Luton GP Forward View plan", first_year=2017, last_year=2018)


def _approve(version, user):
    plan_version_submit(version=version, user=user)
    return plan_version_approve(
        version=version, committee="Primary Care Commissioning Committee", decided_on=dt.date(2017, 3, 29), user=user
    )


def test_a_new_plan_starts_with_a_draft_first_version(plan):
    assert plan.current_version.number == 1
    assert plan.current_version.status == PlanVersion.Status.DRAFT
    assert plan.period_label == "2017/18-2018/19"


def test_an_approved_version_is_frozen_and_the_next_edit_opens_a_new_draft(plan, alice):
    action = ActionFactory(plan=plan, local_code="PC01", title="Extended access hub", status=Action.Status.NOT_STARTED)
    approved = _approve(plan.current_version, alice)

    draft = plan_open_for_edit(plan=plan)
    action.title = "Extended access hubs in all four clusters"
    action.status = Action.Status.IN_PROGRESS
    action.save()

    assert draft.number == 2 and draft.status == PlanVersion.Status.DRAFT
    frozen = plan_version_actions(version=approved)
    assert [(a.title, a.status) for a in frozen] == [("Extended access hub", Action.Status.NOT_STARTED)]
    assert plan_version_actions(version=draft)[0].title == "Extended access hubs in all four clusters"


def test_the_board_sees_what_changed_between_versions(plan, alice):
    kept = ActionFactory(plan=plan, local_code="PC01", status=Action.Status.NOT_STARTED)
    dropped = ActionFactory(plan=plan, local_code="PC02")
    approved = _approve(plan.current_version, alice)

    draft = plan_open_for_edit(plan=plan)
    kept.status = Action.Status.ACHIEVED
    kept.save()
    dropped.delete()
    added = ActionFactory(plan=plan, local_code="PC03")

    changes = plan_version_changes(old=approved, new=draft)
    assert [a.local_code for a in changes.added] == [added.local_code]
    assert [a.local_code for a in changes.removed] == ["PC02"]
    assert changes.changed[0][0].local_code == "PC01"
    assert ("status", Action.Status.NOT_STARTED, Action.Status.ACHIEVED) in changes.changed[0][1]


def test_a_submitted_version_cannot_be_edited(plan, alice):
    plan_version_submit(version=plan.current_version, user=alice)
    with pytest.raises(PlanLocked, match="submitted"):
        plan_open_for_edit(plan=plan)


def test_only_a_submitted_version_can_be_approved_and_it_needs_a_committee(plan, alice):
    with pytest.raises(PlanVersionError):
        plan_version_approve(version=plan.current_version, committee="PCCC", decided_on=TODAY, user=alice)
    plan_version_submit(version=plan.current_version, user=alice)
    with pytest.raises(PlanVersionError, match="committee"):
        plan_version_approve(version=plan.current_version, committee=" ", decided_on=TODAY, user=alice)


def test_editing_a_draft_does_not_open_another_version(plan):
    assert plan_open_for_edit(plan=plan).number == 1
    assert plan_open_for_edit(plan=plan).number == 1
    assert plan.versions.count() == 1


def test_chapter_summary_counts_are_exclusive_and_add_up(plan, wolverhampton):
    workforce = Chapter.objects.get(code="workforce")
    workload = Chapter.objects.get(code="workload")
    past, future = dt.date(2018, 3, 31), dt.date(2019, 3, 31)
    ActionFactory(plan=plan, chapter=workforce, status=Action.Status.NOT_STARTED, due_date=future)
    ActionFactory(plan=plan, chapter=workforce, status=Action.Status.IN_PROGRESS, due_date=future)
    ActionFactory(plan=plan, chapter=workforce, status=Action.Status.IN_PROGRESS, due_date=past)  # overdue
    ActionFactory(plan=plan, chapter=workforce, status=Action.Status.ACHIEVED, due_date=past)
    ActionFactory(plan=plan, chapter=workload, status=Action.Status.ON_HOLD, due_date=None, start_date=None)
    other_plan = plan_create(ccg=wolverhampton, title="Other", first_year=2017, last_year=2018)
    ActionFactory(plan=other_plan, chapter=workforce)

    rows, totals = plan_summary(plan=plan, on=TODAY)

    by_chapter = {row.chapter.code: row for row in rows}
    assert len(rows) == 5
    wf = by_chapter["workforce"]
    assert (wf.not_started, wf.in_progress, wf.overdue, wf.achieved, wf.on_hold, wf.total) == (1, 1, 1, 1, 0, 4)
    assert by_chapter["workload"].on_hold == 1
    assert by_chapter["investment"].total == 0
    assert totals.total == 5
    assert totals.not_started + totals.in_progress + totals.on_hold + totals.overdue + totals.achieved == totals.total


def test_chapter_summary_is_two_queries_whatever_the_number_of_actions(plan, django_assert_num_queries):
    ActionFactory.create_batch(5, plan=plan)
    with django_assert_num_queries(2):
        plan_summary(plan=plan, on=TODAY)
    ActionFactory.create_batch(10, plan=plan)
    with django_assert_num_queries(2):
        plan_summary(plan=plan, on=TODAY)


def test_each_move_of_a_version_is_kept_with_who_and_the_approving_committee(plan, alice):
    from commissioning.services import plan_version_return
    from portal.models import StatusMove

    version = plan.current_version
    plan_version_submit(version=version, user=alice)
    plan_version_return(version=version, user=alice)
    _approve(version, alice)
    moves = [(m.from_status, m.to_status, m.by, m.note) for m in StatusMove.of(version)]
    assert moves == [
        ("draft", "submitted", alice, ""),
        ("submitted", "draft", alice, ""),
        ("draft", "submitted", alice, ""),
        ("submitted", "approved", alice, "Primary Care Commissioning Committee"),
    ]
