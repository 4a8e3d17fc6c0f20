"""Score runs and their history, the decision workflow of contract events, and review reminders."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail

from practices.models import Role
from quality.models import (
    ContractEvent,
    ContractReviewReminder,
    CQCEnforcement,
    Rating,
    ScoringRule,
    VulnerabilityScore,
)
from quality.scoring import RuleSetting
from quality.services import (
    ContractEventError,
    contract_event_decide,
    contract_review_reminders_send,
    rule_settings_for,
    scoring_rules_update,
    vulnerability_scores_compute,
)
from quality.tasks import compute_vulnerability_scores, send_contract_review_reminders
from tests.factories import RoleFactory, UserFactory

from .factories import ContractEventFactory, CQCInspectionFactory

DAY = dt.date(2018, 10, 1)


@pytest.fixture
def inadequate(luton_practice):
    CQCInspectionFactory(practice=luton_practice, overall=Rating.INADEQUATE, publication_date=dt.date(2018, 6, 1))
    return luton_practice


def test_a_run_stores_one_score_per_practice_with_reasons(inadequate, wolverhampton_practice):
    assert vulnerability_scores_compute(run_date=DAY) == 2
    score = VulnerabilityScore.objects.get(practice=inadequate, run_date=DAY)
    assert score.score == 6
    assert score.quality_points == 6
    assert score.reasons[0]["reason"] == "Latest CQC rating inadequate, published 1 Jun 2018"
    assert VulnerabilityScore.objects.get(practice=wolverhampton_practice).score == 0


def test_a_second_run_the_same_day_replaces_that_days_score(inadequate):
    vulnerability_scores_compute(run_date=DAY)
    CQCEnforcement.objects.create(practice=inadequate, kind="special_measures", start_date=dt.date(2018, 6, 1))
    compute_vulnerability_scores(run_date=DAY.isoformat())
    assert VulnerabilityScore.objects.filter(practice=inadequate).count() == 1
    assert VulnerabilityScore.objects.get(practice=inadequate).score == 12


def test_runs_on_different_days_keep_the_score_history(inadequate):
    vulnerability_scores_compute(run_date=dt.date(2018, 5, 1))  # before the report was published
    vulnerability_scores_compute(run_date=DAY)
    history = list(
        VulnerabilityScore.objects.filter(practice=inadequate).order_by("run_date").values_list("score", flat=True)
    )
    assert history == [0, 6]
    latest = VulnerabilityScore.objects.latest_per_practice().get(practice=inadequate)
    assert latest.run_date == DAY


def test_special_measures_count_only_while_in_force(inadequate):
    CQCEnforcement.objects.create(
        practice=inadequate, kind="special_measures", start_date=dt.date(2018, 6, 1), end_date=DAY
    )
    vulnerability_scores_compute(run_date=DAY - dt.timedelta(days=1))
    vulnerability_scores_compute(run_date=DAY)
    scores = dict(VulnerabilityScore.objects.filter(practice=inadequate).values_list("run_date", "score"))
    assert scores == {DAY - dt.timedelta(days=1): 12, DAY: 6}


def test_an_undecided_list_closure_scores_and_a_refused_one_does_not(luton_practice):
    event = ContractEventFactory(practice=luton_practice, received_date=dt.date(2018, 9, 3))
    vulnerability_scores_compute(run_date=DAY)
    assert VulnerabilityScore.objects.get(practice=luton_practice, run_date=DAY).contract_points == 3
    event.decision, event.decision_date = ContractEvent.Decision.REFUSED, dt.date(2018, 9, 20)
    event.save()
    vulnerability_scores_compute(run_date=DAY)
    assert VulnerabilityScore.objects.get(practice=luton_practice, run_date=DAY).contract_points == 0


def test_a_ccgs_own_rules_override_the_defaults_and_keep_history(inadequate, luton, wolverhampton, alice):
    changed = scoring_rules_update(
        ccg=luton, settings={"cqc_inadequate": RuleSetting("cqc_inadequate", True, None, 10)}, user=alice
    )
    assert changed == 1
    assert rule_settings_for(luton)["cqc_inadequate"].points == 10
    assert rule_settings_for(wolverhampton)["cqc_inadequate"].points == 6
    vulnerability_scores_compute(run_date=DAY)
    assert VulnerabilityScore.objects.get(practice=inadequate).score == 10
    scoring_rules_update(
        ccg=luton, settings={"cqc_inadequate": RuleSetting("cqc_inadequate", True, None, 8)}, user=alice
    )
    rule = ScoringRule.objects.get(ccg=luton, key="cqc_inadequate")
    assert [h.points for h in rule.history.order_by("history_id")] == [10, 8]
    assert rule.history.first().history_user == alice


def test_saving_the_rules_unchanged_writes_nothing(luton):
    assert scoring_rules_update(ccg=luton, settings=rule_settings_for(luton)) == 0
    assert not ScoringRule.objects.filter(ccg=luton).exists()


def test_a_changed_threshold_changes_the_score(luton_practice, luton):
    # 9,500 patients and 3 GP FTE: 3,167 patients per GP FTE.
    from quality.scoring import PracticeFacts, score_practice

    facts = PracticeFacts(patients_per_gp_fte=9500 / 3)
    scoring_rules_update(ccg=luton, settings={
        "patients_per_gp_fte": RuleSetting("patients_per_gp_fte", True, Decimal("3200"), 3)})  # fmt: skip
    assert score_practice(facts, rule_settings_for(luton).values()).score == 0


# The decision workflow


@pytest.fixture
def first_of_october(time_machine):
    time_machine.move_to(dt.datetime(2018, 10, 1, 12, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def application(luton_practice):
    return ContractEventFactory(practice=luton_practice, received_date=dt.date(2018, 9, 3))


@pytest.mark.usefixtures("first_of_october")
def test_a_decision_is_recorded_with_its_committee_conditions_and_review(application, alice):
    event = contract_event_decide(
        event=application, decision="approved_with_conditions", decision_date=dt.date(2018, 9, 27),
        conditions="Reopen by 1 January 2019.", review_date=dt.date(2018, 12, 20), user=alice,
    )  # fmt: skip
    assert event.is_decided
    assert event.committee == "Primary Care Commissioning Committee"
    assert event.history.first().history_user == alice


@pytest.mark.usefixtures("first_of_october")
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"decision": "approved_with_conditions", "conditions": ""}, "conditions"),
        ({"decision_date": dt.date(2018, 9, 1)}, "before the day it was received"),
        ({"decision_date": dt.date(2018, 10, 2)}, "future"),
        ({"review_date": dt.date(2018, 9, 27)}, "review date must be after"),
        ({"decision": "pending"}, "Choose approved"),
    ],
)
def test_a_decision_that_breaks_a_rule_is_refused(application, changes, message):
    values = {"decision": "approved", "decision_date": dt.date(2018, 9, 27)} | changes
    with pytest.raises(ContractEventError, match=message):
        contract_event_decide(event=application, **values)
    application.refresh_from_db()
    assert application.decision == ContractEvent.Decision.PENDING


@pytest.mark.usefixtures("first_of_october")
def test_a_decision_without_a_committee_is_refused_unless_withdrawn(application):
    application.committee = ""
    application.save()
    with pytest.raises(ContractEventError, match="committee"):
        contract_event_decide(event=application, decision="refused", decision_date=dt.date(2018, 9, 27))
    contract_event_decide(event=application, decision="withdrawn", decision_date=dt.date(2018, 9, 27))


@pytest.mark.usefixtures("first_of_october")
def test_a_decided_event_cannot_be_decided_again(application):
    contract_event_decide(event=application, decision="refused", decision_date=dt.date(2018, 9, 27))
    with pytest.raises(ContractEventError, match="already decided"):
        contract_event_decide(event=application, decision="approved", decision_date=dt.date(2018, 9, 28))


# Review reminders


@pytest.fixture
def reviewed(application, alice):
    alice.email = "alice@luton.example"
    alice.save()
    application.decision = "approved"
    application.decision_date = dt.date(2018, 9, 27)
    application.review_date = dt.date(2018, 12, 20)
    application.save()
    return application


def test_no_reminder_before_two_weeks_ahead_of_the_review(reviewed):
    assert contract_review_reminders_send(today=dt.date(2018, 12, 5)) == 0
    assert mail.outbox == []


def test_a_review_two_weeks_ahead_is_reminded_once_to_the_ccgs_commissioners(reviewed, erin):
    erin.email = "erin@wolverhampton.example"
    erin.save()
    assert contract_review_reminders_send(today=dt.date(2018, 12, 6)) == 1
    assert contract_review_reminders_send(today=dt.date(2018, 12, 7)) == 0
    assert send_contract_review_reminders(today="2018-12-21") == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@luton.example"]
    assert "Review due 20 Dec 2018: List closure" in mail.outbox[0].subject


def test_an_overdue_review_is_reminded_and_a_moved_review_is_reminded_again(reviewed):
    assert contract_review_reminders_send(today=dt.date(2018, 12, 28)) == 1
    reviewed.review_date = dt.date(2019, 3, 1)
    reviewed.save()
    assert contract_review_reminders_send(today=dt.date(2019, 2, 20)) == 1
    assert ContractReviewReminder.objects.filter(event=reviewed).count() == 2


def test_an_undecided_event_is_not_reminded(application, alice):
    application.review_date = dt.date(2018, 12, 20)
    application.save()
    assert contract_review_reminders_send(today=dt.date(2018, 12, 20)) == 0


def test_no_reminder_is_recorded_when_the_ccg_has_no_commissioner_with_an_email(wolverhampton_practice):
    RoleFactory(user=UserFactory(username="frank", email=""), kind=Role.Kind.COMMISSIONER,
                ccg=wolverhampton_practice.ccg)  # fmt: skip
    ContractEventFactory(practice=wolverhampton_practice, decision="approved", decision_date=dt.date(2018, 9, 27),
                         review_date=dt.date(2018, 12, 20))  # fmt: skip
    assert contract_review_reminders_send(today=dt.date(2018, 12, 10)) == 0
    assert not ContractReviewReminder.objects.exists()
