"""A scheme's way from draft to a decision, the override of failed checks, and spend."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from commissioning.funding.models import Scheme, SchemeSpend
from commissioning.funding.services import (
    SchemeChecksFailed,
    SchemeStatusError,
    scheme_approve,
    scheme_reject,
    scheme_return,
    scheme_spend_save,
    scheme_submit,
)

from .factories import SchemeFactory

pytestmark = pytest.mark.django_db
DECISION = {"committee": "Primary Care Commissioning Committee", "decided_on": dt.date(2017, 6, 14)}


@pytest.fixture
def small_scheme(luton, luton_practices, pts, luton_rule, luton_pts_allocations):
    """40,000 patients: fails Luton's 50,000-patient rule."""
    return SchemeFactory(ccg=luton, stream=pts, practices=luton_practices[1:], amounts={2017: "20000"})


@pytest.fixture
def good_scheme(luton, luton_practices, pts, luton_rule, luton_pts_allocations):
    return SchemeFactory(ccg=luton, stream=pts, practices=luton_practices, amounts={2017: "87500", 2018: "87500"})


def test_a_draft_is_submitted_then_approved_with_who_and_when(good_scheme, alice):
    scheme_submit(scheme=good_scheme, user=alice)
    good_scheme.refresh_from_db()
    assert (good_scheme.status, good_scheme.submitted_by) == (Scheme.Status.SUBMITTED, alice)
    scheme = scheme_approve(scheme=good_scheme, user=alice, minute_reference="PCCC 17/031", **DECISION)
    assert scheme.status == Scheme.Status.APPROVED
    assert (scheme.committee, scheme.decided_on, scheme.minute_reference) == (
        "Primary Care Commissioning Committee", dt.date(2017, 6, 14), "PCCC 17/031",
    )  # fmt: skip
    assert scheme.decision_recorded_by == alice and scheme.decision_recorded_at is not None
    assert scheme.overridden_checks == [] and scheme.override_reason == ""
    assert scheme.history.first().history_user == alice


def test_conditions_make_it_approved_with_conditions(good_scheme, alice):
    scheme_submit(scheme=good_scheme, user=alice)
    scheme = scheme_approve(
        scheme=good_scheme, user=alice, conditions="Quarterly reports to the committee.", **DECISION
    )
    assert scheme.status == Scheme.Status.APPROVED_WITH_CONDITIONS
    assert scheme.conditions == "Quarterly reports to the committee."


def test_approval_with_failed_checks_is_refused_without_an_override_reason(small_scheme, alice):
    scheme_submit(scheme=small_scheme, user=alice)
    with pytest.raises(SchemeChecksFailed) as refused:
        scheme_approve(scheme=small_scheme, user=alice, **DECISION)
    assert "NHS Luton CCG's rule: covers at least 50,000 registered patients" in str(refused.value)
    small_scheme.refresh_from_db()
    assert small_scheme.status == Scheme.Status.SUBMITTED
    assert small_scheme.decision_recorded_at is None


def test_an_override_reason_approves_it_and_keeps_the_failed_checks_who_and_when(small_scheme, alice, luton_rule):
    scheme_submit(scheme=small_scheme, user=alice)
    reason = "The cluster merges with Luton Central in April; together they cover 70,000 patients."
    scheme = scheme_approve(scheme=small_scheme, user=alice, override_reason=f"  {reason} ", **DECISION)
    assert scheme.status == Scheme.Status.APPROVED
    assert scheme.override_reason == reason
    assert [c["code"] for c in scheme.overridden_checks] == [f"rule-{luton_rule.pk}"]
    assert "40,000 registered patients" in scheme.overridden_checks[0]["detail"]
    assert scheme.decision_recorded_by == alice
    assert scheme.was_overridden


def test_an_override_reason_is_not_kept_when_nothing_failed(good_scheme, alice):
    scheme_submit(scheme=good_scheme, user=alice)
    scheme = scheme_approve(scheme=good_scheme, user=alice, override_reason="Just in case", **DECISION)
    assert scheme.override_reason == "" and scheme.overridden_checks == []


def test_a_rejection_needs_a_reason_and_is_recorded(small_scheme, carol, alice):
    scheme_submit(scheme=small_scheme, user=alice)
    with pytest.raises(SchemeStatusError, match="reason"):
        scheme_reject(scheme=small_scheme, user=alice, reason=" ", **DECISION)
    scheme = scheme_reject(scheme=small_scheme, user=alice, reason="Below the 50,000-patient threshold.", **DECISION)
    assert scheme.status == Scheme.Status.REJECTED
    assert scheme.decision_reason == "Below the 50,000-patient threshold."
    assert scheme.decision_recorded_by == alice


def test_only_a_submitted_scheme_can_be_decided(good_scheme, alice):
    with pytest.raises(SchemeStatusError, match="A funding scheme at 'Draft' cannot move to 'Approved'"):
        scheme_approve(scheme=good_scheme, user=alice, **DECISION)
    scheme_submit(scheme=good_scheme, user=alice)
    scheme_approve(scheme=good_scheme, user=alice, **DECISION)
    with pytest.raises(SchemeStatusError):
        scheme_reject(scheme=good_scheme, user=alice, reason="Changed our minds", **DECISION)


def test_a_decision_names_its_committee(good_scheme, alice):
    scheme_submit(scheme=good_scheme, user=alice)
    with pytest.raises(SchemeStatusError, match="committee"):
        scheme_approve(scheme=good_scheme, user=alice, committee=" ", decided_on=dt.date(2017, 6, 1))


def test_a_submitted_scheme_goes_back_to_draft_and_an_empty_draft_cannot_be_submitted(good_scheme, luton, pts, alice):
    scheme_submit(scheme=good_scheme, user=alice)
    with pytest.raises(SchemeStatusError):
        scheme_submit(scheme=good_scheme, user=alice)
    assert scheme_return(scheme=good_scheme, user=alice).status == Scheme.Status.DRAFT
    with pytest.raises(SchemeStatusError, match="how much"):
        scheme_submit(scheme=SchemeFactory(ccg=luton, stream=pts), user=alice)


def test_the_database_refuses_an_approval_without_its_decision(good_scheme):
    with pytest.raises(IntegrityError), transaction.atomic():
        Scheme.objects.filter(pk=good_scheme.pk).update(status=Scheme.Status.APPROVED)


def test_spend_is_saved_by_quarter_and_saving_again_writes_nothing(good_scheme, alice):
    scheme_submit(scheme=good_scheme, user=alice)
    scheme_approve(scheme=good_scheme, user=alice, **DECISION)
    q1, q2 = dt.date(2017, 4, 1), dt.date(2017, 7, 1)
    values = {q1: (Decimal("20000.10"), None), q2: (None, Decimal("25000.00")), dt.date(2017, 10, 1): (None, None)}
    assert scheme_spend_save(scheme=good_scheme, values=values, user=alice) == {
        "created": 2,
        "updated": 0,
        "deleted": 0,
    }
    histories = SchemeSpend.history.count()
    assert scheme_spend_save(scheme=good_scheme, values=values, user=alice) == {
        "created": 0,
        "updated": 0,
        "deleted": 0,
    }
    assert SchemeSpend.history.count() == histories
    changed = {q1: (Decimal("20000.10"), None), q2: (Decimal("24000.00"), Decimal("25000.00"))}
    assert scheme_spend_save(scheme=good_scheme, values=changed, user=alice)["updated"] == 1
    assert scheme_spend_save(scheme=good_scheme, values={q1: (None, None)}, user=alice)["deleted"] == 1
    assert SchemeSpend.history.filter(history_user=alice).exists()


def test_spend_is_refused_on_a_scheme_not_approved(good_scheme, alice):
    with pytest.raises(SchemeStatusError):
        scheme_spend_save(scheme=good_scheme, values={dt.date(2017, 4, 1): (Decimal(1), None)}, user=alice)


def test_spend_needs_the_first_day_of_a_quarter(good_scheme, alice):
    scheme_submit(scheme=good_scheme, user=alice)
    scheme_approve(scheme=good_scheme, user=alice, **DECISION)
    with pytest.raises(ValueError, match="quarter"):
        scheme_spend_save(scheme=good_scheme, values={dt.date(2017, 5, 1): (Decimal(1), None)}, user=alice)


def test_each_move_of_a_scheme_is_kept_with_who_when_and_the_decision(good_scheme, alice, carol):
    from portal.models import StatusMove

    scheme_submit(scheme=good_scheme, user=carol)
    scheme_return(scheme=good_scheme, user=alice)
    scheme_submit(scheme=good_scheme, user=carol)
    scheme_approve(scheme=good_scheme, user=alice, minute_reference="PCCC 17/031", **DECISION)
    moves = [(m.from_status, m.to_status, m.by, m.note) for m in StatusMove.of(good_scheme)]
    assert moves == [
        ("draft", "submitted", carol, ""),
        ("submitted", "draft", alice, ""),
        ("draft", "submitted", carol, ""),
        ("submitted", "approved", alice, "Primary Care Commissioning Committee on 14 June 2017, minute PCCC 17/031"),
    ]


def test_a_refused_decision_leaves_no_move(small_scheme, alice):
    from portal.models import StatusMove

    scheme_submit(scheme=small_scheme, user=alice)
    with pytest.raises(SchemeChecksFailed):
        scheme_approve(scheme=small_scheme, user=alice, **DECISION)
    assert [m.to_status for m in StatusMove.of(small_scheme)] == ["submitted"]
