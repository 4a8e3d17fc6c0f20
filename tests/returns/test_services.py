"""The status machine: every allowed move, no illegal one, revisions kept, accepted frozen."""

import datetime as dt
from decimal import Decimal

import pytest

from returns.models import Collection, Return, Revision, StatusChange, Timeliness
from returns.registry import UnknownReturnType
from returns.services import (
    WORKFLOW,
    CollectionError,
    IllegalTransition,
    ReturnError,
    ReturnFrozen,
    ReturnNotReady,
    _move,
    collection_open,
    collection_progress,
    return_accept,
    return_check,
    return_confirm_warnings,
    return_draft,
    return_save,
    return_send_back,
    return_submit,
)

from ..factories import ClusterFactory, ClusterMembershipFactory, PracticeFactory
from .helpers import Q3_2017, Q3_DUE, set_now, staff, workforce_values

S = Return.Status


def submit_good(ret, user):
    return_save(ret=ret, user=user, values=workforce_values())
    return return_submit(ret=ret, user=user)


def test_opening_a_collection_asks_every_open_practice_of_the_ccg_once(luton, luton_practice, alice):
    closed = PracticeFactory(ccg=luton, ods_code="E81099", close_date=dt.date(2017, 3, 31))
    other = PracticeFactory(ccg=luton, ods_code="E81002")

    collection = collection_open(ccg=luton, return_type="workforce", period_start=Q3_2017, due_date=Q3_DUE, user=alice)

    assert collection.title == "Workforce census, 2017/18 Q3"
    assert set(collection.returns.values_list("practice", flat=True)) == {luton_practice.pk, other.pk}
    assert closed.returns.count() == 0
    assert set(collection.returns.values_list("status", flat=True)) == {S.NOT_STARTED}


def test_opening_the_same_collection_twice_is_refused(collection, luton, alice):
    with pytest.raises(CollectionError, match="already opened"):
        collection_open(ccg=luton, return_type="workforce", period_start=Q3_2017, due_date=Q3_DUE, user=alice)


def test_a_collection_for_a_period_not_starting_a_quarter_is_refused(luton, luton_practice, alice):
    with pytest.raises(CollectionError, match="first day"):
        collection_open(
            ccg=luton, return_type="workforce", period_start=dt.date(2017, 11, 1), due_date=Q3_DUE, user=alice
        )


def test_a_collection_cannot_ask_another_ccgs_practice(luton, luton_practice, wolverhampton_practice, alice):
    with pytest.raises(CollectionError, match="not a practice of NHS Luton CCG"):
        collection_open(
            ccg=luton, return_type="workforce", period_start=Q3_2017, due_date=Q3_DUE, user=alice,
            practices=[luton_practice, wolverhampton_practice],
        )  # fmt: skip
    assert not Collection.objects.exists()


def test_an_unknown_return_type_is_refused(luton, alice):
    with pytest.raises(UnknownReturnType):
        collection_open(ccg=luton, return_type="nonsense", period_start=Q3_2017, due_date=Q3_DUE, user=alice)


def test_saving_a_draft_starts_the_return_and_records_the_published_list_size(ret, bob):
    revision = return_save(ret=ret, user=bob, values=workforce_values())

    ret.refresh_from_db()
    assert ret.status == S.DRAFT
    assert (revision.number, revision.status) == (1, Revision.Status.DRAFT)
    assert (revision.published_list_size, revision.published_list_size_date) == (9400, Q3_2017)
    assert revision.list_size == 9400
    assert ret.type.load(revision)["gp_partner"]["fte"] == Decimal("3.50")
    assert list(ret.status_changes.values_list("from_status", "to_status")) == [(S.NOT_STARTED, S.DRAFT)]


def test_saving_again_writes_into_the_same_draft(ret, bob):
    first = return_save(ret=ret, user=bob, values=workforce_values())
    second = return_save(ret=ret, user=bob, values=workforce_values(gp_locum=staff(1, "0.40", (0, 1, 0, 0, 0, 0))))
    assert first.pk == second.pk
    assert ret.revisions.count() == 1


def test_the_practices_own_list_size_is_kept_beside_the_published_one_and_used_for_checks(ret, bob):
    revision = return_save(
        ret=ret, user=bob, values=workforce_values(), list_size_correction=10200,
        list_size_correction_reason="New housing estate: 800 registrations since October.",
    )  # fmt: skip
    assert (revision.published_list_size, revision.list_size_correction, revision.list_size) == (9400, 10200, 10200)


def test_a_list_size_correction_needs_a_reason(ret, bob):
    with pytest.raises(ReturnError, match="reason"):
        return_save(ret=ret, user=bob, values=workforce_values(), list_size_correction=10200)


def test_submitting_moves_to_submitted_and_keeps_the_revision(ret, bob):
    revision = submit_good(ret, bob)
    ret.refresh_from_db()
    assert ret.status == S.SUBMITTED
    assert revision.status == Revision.Status.SUBMITTED
    assert revision.submitted_by == bob
    assert ret.first_submitted_on is not None


def test_a_return_with_errors_cannot_be_submitted(ret, bob):
    return_save(ret=ret, user=bob, values=workforce_values(gp_partner=staff(2, "4.00", (0, 1, 1, 0, 0, 0))))
    with pytest.raises(ReturnNotReady) as refused:
        return_submit(ret=ret, user=bob)
    assert [f.code for f in refused.value.findings.errors] == ["fte-over-headcount:gp_partner"]
    ret.refresh_from_db()
    assert ret.status == S.DRAFT


def test_a_warning_blocks_submission_until_confirmed_with_a_comment(ret, bob, alice):
    submit_good(ret, bob)
    return_accept(ret=ret, user=alice)
    later = collection_open(
        ccg=ret.collection.ccg, return_type="workforce", period_start=dt.date(2018, 1, 1),
        due_date=dt.date(2018, 4, 15), user=alice,
    ).returns.get()  # fmt: skip
    bigger = workforce_values(gp_salaried=staff(4, "3.00", (0, 2, 2, 0, 0, 0)))
    return_save(ret=later, user=bob, values=bigger)

    with pytest.raises(ReturnNotReady) as refused:
        return_submit(ret=later, user=bob)
    assert [w.code for w in refused.value.unconfirmed] == ["fte-change:gp"]

    assert return_confirm_warnings(ret=later, user=bob, comments={"fte-change:gp": ""}) == 0
    assert return_confirm_warnings(ret=later, user=bob, comments={"fte-change:gp": "Two salaried GPs joined."}) == 1
    revision = return_submit(ret=later, user=bob)
    assert revision.confirmations.get().comment == "Two salaried GPs joined."


def test_accepting_freezes_the_return_and_marks_the_one_revision_that_feeds_metrics(ret, bob, alice):
    submitted = submit_good(ret, bob)
    accepted = return_accept(ret=ret, user=alice, comment="Thank you.")

    ret.refresh_from_db()
    assert ret.status == S.ACCEPTED and ret.is_frozen
    assert accepted.pk == submitted.pk and ret.accepted_revision_id == accepted.pk
    assert list(Revision.objects.accepted()) == [accepted]
    with pytest.raises(ReturnFrozen):
        return_save(ret=ret, user=bob, values=workforce_values())
    with pytest.raises(ReturnFrozen):
        return_draft(ret=ret, user=bob)
    with pytest.raises(ReturnFrozen):
        return_submit(ret=ret, user=bob)
    with pytest.raises(IllegalTransition):
        return_send_back(ret=ret, user=alice, comment="Too late")
    with pytest.raises(IllegalTransition):
        return_accept(ret=ret, user=alice)
    assert ret.revisions.count() == 1


def test_returned_for_correction_then_resubmitted_keeps_every_submission(ret, bob, alice):
    first = submit_good(ret, bob)
    return_send_back(ret=ret, user=alice, comment="Locum GP hours are missing.")
    ret.refresh_from_db()
    assert ret.status == S.RETURNED

    draft = return_save(ret=ret, user=bob, values=workforce_values(gp_locum=staff(1, "0.40", (0, 1, 0, 0, 0, 0))))
    ret.refresh_from_db()
    assert ret.status == S.RETURNED, "a return being corrected stays returned until it is sent again"
    assert draft.number == 2 and draft.source == Revision.Source.FORM

    second = return_submit(ret=ret, user=bob)
    first.refresh_from_db()
    assert (first.status, first.decision_comment) == (Revision.Status.RETURNED, "Locum GP hours are missing.")
    assert second.status == Revision.Status.SUBMITTED
    assert ret.type.load(first)["gp_locum"]["headcount"] == 0
    assert ret.type.load(second)["gp_locum"]["headcount"] == 1
    moves = list(ret.status_changes.values_list("from_status", "to_status"))
    assert moves == [(S.NOT_STARTED, S.DRAFT), (S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.RETURNED),
                     (S.RETURNED, S.SUBMITTED)]  # fmt: skip


def test_returning_for_correction_needs_a_comment(ret, bob, alice):
    submit_good(ret, bob)
    with pytest.raises(ReturnError, match="correct"):
        return_send_back(ret=ret, user=alice, comment="  ")


def test_a_new_draft_after_a_return_starts_from_the_figures_sent(ret, bob, alice):
    submit_good(ret, bob)
    return_send_back(ret=ret, user=alice, comment="Check the receptionists.")
    draft = return_draft(ret=ret, user=bob)
    assert draft.source == Revision.Source.COPY
    assert ret.type.load(draft)["receptionist"]["headcount"] == 6


def test_changing_a_submission_before_review_withdraws_it_and_keeps_it(ret, bob):
    first = submit_good(ret, bob)
    draft = return_draft(ret=ret, user=bob)
    first.refresh_from_db()
    ret.refresh_from_db()
    assert first.status == Revision.Status.WITHDRAWN
    assert ret.status == S.DRAFT and draft.number == 2


@pytest.mark.parametrize(
    "start, to",
    [(start, to) for start in S.values for to in S.values if not WORKFLOW.can(start, to)],
)
def test_no_illegal_transition_is_possible(ret, bob, start, to):
    ret.status = start
    with pytest.raises(IllegalTransition):
        _move(ret, to, user=bob)
    assert not StatusChange.objects.filter(to_status=to, from_status=start).exists()


def test_a_return_not_started_cannot_be_submitted_or_reviewed(ret, bob, alice):
    with pytest.raises(IllegalTransition):
        return_submit(ret=ret, user=bob)
    with pytest.raises(IllegalTransition):
        return_accept(ret=ret, user=alice)
    with pytest.raises(IllegalTransition):
        return_send_back(ret=ret, user=alice, comment="No")


def test_check_of_an_empty_return_is_an_error(ret):
    assert [f.code for f in return_check(ret=ret).errors] == ["empty"]


def test_timeliness_on_time_late_returned_and_missing(luton, luton_practice, q3_list_size, alice, time_machine):
    cluster = ClusterFactory(ccg=luton, name="Luton South")
    late = PracticeFactory(ccg=luton, ods_code="E81002", name="Late Surgery")
    missing = PracticeFactory(ccg=luton, ods_code="E81003", name="Missing Surgery")
    returned = PracticeFactory(ccg=luton, ods_code="E81004", name="Returned Surgery")
    for practice in (late, missing, returned):
        ClusterMembershipFactory(practice=practice, cluster=cluster)
    set_now(time_machine, dt.date(2018, 1, 10))
    collection = collection_open(ccg=luton, return_type="workforce", period_start=Q3_2017, due_date=Q3_DUE, user=alice)
    submit_good(collection.returns.get(practice=luton_practice), alice)
    submit_good(collection.returns.get(practice=returned), alice)
    return_send_back(ret=collection.returns.get(practice=returned), user=alice, comment="Ages do not match.")
    set_now(time_machine, dt.date(2018, 1, 20))
    submit_good(collection.returns.get(practice=late), alice)

    returns, rows, total = collection_progress(collection=collection, today=dt.date(2018, 1, 20))

    by_name = {r.practice.name: r.timeliness for r in returns}
    assert by_name == {
        "The Medical Centre": Timeliness.ON_TIME,
        "Late Surgery": Timeliness.LATE,
        "Missing Surgery": Timeliness.MISSING,
        "Returned Surgery": Timeliness.RETURNED,
    }
    assert [(row.name, row.total) for row in rows] == [("Luton North", 1), ("Luton South", 3)]
    assert total.timeliness == {"on_time": 1, "late": 1, "missing": 1, "returned": 1}
    assert collection.returns.get(practice=late).timeliness_on(dt.date(2018, 1, 20)) == Timeliness.LATE
