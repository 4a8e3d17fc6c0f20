"""Two people on one return: a save or a submit from an older version is refused and writes
nothing; every save of a draft is kept with who, when and the figures."""

from decimal import Decimal

import pytest

from returns.models import Revision
from returns.services import (
    IllegalTransition,
    ReturnAlreadySubmitted,
    ReturnChangedMeanwhile,
    return_changes_since,
    return_confirm_warnings,
    return_save,
    return_saves,
    return_submit,
    return_version,
)

from .helpers import nurses, workforce_values


def test_a_save_from_an_older_version_is_refused_and_keeps_the_first_save(ret, bob, bella):
    opened = return_version(ret=ret)
    return_save(ret=ret, user=bob, values=nurses(3), seen_version=opened)
    with pytest.raises(ReturnChangedMeanwhile, match=r"Someone else \(Bob\) changed this return at \d\d:\d\d"):
        return_save(ret=ret, user=bella, values=nurses(5), seen_version=opened)
    draft = ret.draft_revision()
    assert ret.type.load(draft)["practice_nurse"]["headcount"] == 3
    assert draft.updated_by == bob


def test_saving_again_over_the_version_shown_replaces_it_knowingly(ret, bob, bella):
    opened = return_version(ret=ret)
    return_save(ret=ret, user=bob, values=nurses(3), seen_version=opened)
    with pytest.raises(ReturnChangedMeanwhile) as refused:
        return_save(ret=ret, user=bella, values=nurses(5), seen_version=opened)
    return_save(ret=ret, user=bella, values=nurses(5), seen_version=refused.value.stale.current)
    assert ret.type.load(ret.draft_revision())["practice_nurse"]["headcount"] == 5


def test_every_save_of_a_draft_is_kept_with_who_when_and_the_figures(ret, bob, bella):
    return_save(ret=ret, user=bob, values=nurses(3), seen_version=return_version(ret=ret))
    return_save(ret=ret, user=bella, values=nurses(5), seen_version=return_version(ret=ret))
    saves = list(return_saves(ret=ret))
    assert [s.history_user for s in saves] == [bella, bob, bob]  # newest first; bob's first save started it
    assert [s.figures["practice_nurse__headcount"] for s in saves] == [5, 3, 0]
    assert saves[0].figures["practice_nurse__fte"] == "4"  # one spelling of Decimal("4.00")
    assert all(s.number == 1 and s.status == Revision.Status.DRAFT for s in saves)


def test_the_changes_shown_are_the_figures_the_other_person_changed(ret, bob, bella):
    return_save(ret=ret, user=bob, values=nurses(3))
    opened = return_version(ret=ret)
    return_save(ret=ret, user=bob, values=nurses(4), list_size_correction=9500, list_size_correction_reason="New")
    typed = nurses(3)
    typed["hca"]["headcount"] = 9
    changes = return_changes_since(ret=ret, seen=opened, values=typed)
    by_label = {c.label: (c.old, c.new) for c in changes}
    assert by_label == {
        "Practice nurse: Headcount": ("4", "3"),
        "Practice nurse: FTE": ("3.20", "2.40"),
        "Practice nurse: Aged 30-39": ("4", "3"),
        "Your own list size": ("9500", "(blank)"),
    }


def test_a_second_submit_of_the_same_page_says_who_submitted_and_withdraws_nothing(ret, bob, bella):
    return_save(ret=ret, user=bob, values=workforce_values())
    opened = return_version(ret=ret)
    return_confirm_warnings(ret=ret, user=bob, comments={}, seen_version=opened)
    return_submit(ret=ret, user=bob, seen_version=opened)
    with pytest.raises(ReturnAlreadySubmitted, match=r"This return was already submitted by Bob at \d\d:\d\d\."):
        return_confirm_warnings(ret=ret, user=bella, comments={}, seen_version=opened)
    with pytest.raises(ReturnAlreadySubmitted, match="already submitted by Bob"):
        return_submit(ret=ret, user=bella, seen_version=opened)
    assert list(ret.revisions.values_list("number", "status")) == [(1, Revision.Status.SUBMITTED)]
    assert ret.status_changes.filter(to_status="submitted").count() == 1


def test_confirming_warnings_after_a_submission_never_starts_a_draft(ret, bob, bella):
    return_save(ret=ret, user=bob, values=workforce_values())
    return_submit(ret=ret, user=bob)
    with pytest.raises(IllegalTransition, match="already submitted by Bob"):
        return_confirm_warnings(ret=ret, user=bella, comments={})
    assert not ret.revisions.filter(status=Revision.Status.WITHDRAWN).exists()


def test_a_draft_opened_before_a_submission_cannot_withdraw_it_unseen(ret, bob, bella):
    return_save(ret=ret, user=bob, values=workforce_values())
    opened = return_version(ret=ret)
    return_submit(ret=ret, user=bob)
    with pytest.raises(ReturnAlreadySubmitted):
        return_save(ret=ret, user=bella, values=nurses(5), seen_version=opened)
    assert list(ret.revisions.values_list("status", flat=True)) == [Revision.Status.SUBMITTED]


def test_an_upload_replaces_a_newer_draft_and_says_whose(ret, bob, bella):
    opened = return_version(ret=ret)
    return_save(ret=ret, user=bob, values=nurses(3), seen_version=opened)
    saved = return_save(
        ret=ret, user=bella, values=nurses(5), source=Revision.Source.UPLOAD, upload_name="census.xlsx",
        seen_version=opened, replace_newer=True,
    )  # fmt: skip
    assert saved.replaced.who == "Bob"
    latest, bobs = list(return_saves(ret=ret))[:2]
    assert latest.history_change_reason.startswith("Uploaded census.xlsx, replacing the draft Bob saved at")
    assert bobs.figures["practice_nurse__headcount"] == 3  # what was replaced is kept
    assert ret.type.load(saved)["practice_nurse"]["headcount"] == 5


def test_an_upload_never_replaces_a_submission_unseen(ret, bob, bella):
    return_save(ret=ret, user=bob, values=workforce_values())
    opened = return_version(ret=ret)
    return_submit(ret=ret, user=bob)
    with pytest.raises(ReturnAlreadySubmitted):
        return_save(
            ret=ret, user=bella, values=nurses(5), source=Revision.Source.UPLOAD, seen_version=opened,
            replace_newer=True,
        )  # fmt: skip


def test_an_upload_over_the_version_it_opened_is_not_marked_as_replacing(ret, bob):
    saved = return_save(
        ret=ret, user=bob, values=nurses(5), source=Revision.Source.UPLOAD, seen_version="", replace_newer=True
    )
    assert saved.replaced is None
    assert Decimal(ret.type.load(saved)["practice_nurse"]["fte"]) == Decimal("4.00")
