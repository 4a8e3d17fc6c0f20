"""Who sees what: contract events, concerns and scores for the CCG's commissioners; counts and
the register without concerns' text for the governing body; own CQC history and contract
events, never the score or concerns, for the practice manager; another CCG's nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from quality.models import ContractEvent

from .factories import ConcernFactory, ContractEventFactory, CQCInspectionFactory, VulnerabilityScoreFactory

CONCERN_TEXT = "Complaints about the telephone system are rising."


@pytest.fixture
def quality_records(luton_practice):
    CQCInspectionFactory(practice=luton_practice, overall="requires_improvement")
    ContractEventFactory(practice=luton_practice, summary="Close the list for 12 weeks.")
    ConcernFactory(practice=luton_practice, concern=CONCERN_TEXT)
    VulnerabilityScoreFactory(practice=luton_practice)
    return luton_practice


def profile(client, user, practice):
    client.force_login(user)
    return client.get(reverse("dashboards:practice_profile", args=[practice.pk]))


def test_commissioner_sees_every_quality_section_with_the_concerns_text(client, alice, quality_records):
    page = profile(client, alice, quality_records).content.decode()
    for heading in ("CQC inspections", "Disease prevalence (QOF)", "Vulnerability score", "Contract events",
                    "Shared risk log concerns"):  # fmt: skip
        assert heading in page
    assert CONCERN_TEXT in page
    assert "Latest CQC rating inadequate" in page
    assert "Record a support offer" in page


def test_governing_body_sees_the_score_and_counts_but_no_concern_text(client, carol, quality_records):
    page = profile(client, carol, quality_records).content.decode()
    assert "Vulnerability score" in page
    assert "1 concern logged, 1 still open" in page
    assert "1 contract event recorded, 1 awaiting a decision" in page
    assert CONCERN_TEXT not in page
    assert "Close the list for 12 weeks" not in page
    assert "Record a support offer" not in page


def test_practice_manager_sees_own_cqc_history_and_contract_events_but_no_score_or_concerns(
    client, bob, quality_records
):
    page = profile(client, bob, quality_records).content.decode()
    assert "CQC inspections" in page
    assert "Requires improvement" in page
    assert "List closure" in page
    assert "Vulnerability score" not in page
    assert "Latest CQC rating inadequate" not in page
    assert "Shared risk log" not in page
    assert CONCERN_TEXT not in page


def test_practice_manager_opens_own_contract_event_but_cannot_decide_it(client, bob, quality_records):
    event = ContractEvent.objects.get(practice=quality_records)
    client.force_login(bob)
    assert client.get(reverse("quality:contract_event_detail", args=[event.pk])).status_code == 200
    assert client.get(reverse("quality:contract_event_decide", args=[event.pk])).status_code == 403


@pytest.mark.parametrize("name", ["practice_vulnerability", "support_create", "concern_create"])
def test_practice_manager_is_refused_the_score_and_concern_pages(client, bob, quality_records, name):
    client.force_login(bob)
    assert client.get(reverse(f"quality:{name}", args=[quality_records.pk])).status_code == 403


def test_governing_body_reads_the_register_but_not_the_risk_log_or_event_list(client, carol, quality_records, luton):
    client.force_login(carol)
    register = client.get(reverse("quality:register", args=[luton.pk]))
    assert register.status_code == 200
    assert "The Medical Centre" in register.content.decode()
    assert client.get(reverse("quality:concern_list", args=[luton.pk])).status_code == 403
    assert client.get(reverse("quality:contract_event_list", args=[luton.pk])).status_code == 403
    assert client.post(reverse("quality:recompute", args=[luton.pk])).status_code == 403


def test_commissioner_reads_the_risk_log_and_event_list(client, alice, quality_records, luton):
    client.force_login(alice)
    assert CONCERN_TEXT in client.get(reverse("quality:concern_list", args=[luton.pk])).content.decode()
    assert "List closure" in client.get(reverse("quality:contract_event_list", args=[luton.pk])).content.decode()


def test_another_ccgs_commissioner_finds_nothing(client, erin, quality_records, luton):
    client.force_login(erin)
    event = ContractEvent.objects.get(practice=quality_records)
    assert client.get(reverse("quality:register", args=[luton.pk])).status_code == 404
    assert client.get(reverse("quality:contract_event_detail", args=[event.pk])).status_code == 404
    assert client.get(reverse("quality:practice_vulnerability", args=[quality_records.pk])).status_code == 404


def test_another_practices_manager_cannot_open_this_practices_contract_event(client, dave, quality_records):
    client.force_login(dave)
    event = ContractEvent.objects.get(practice=quality_records)
    assert client.get(reverse("quality:contract_event_detail", args=[event.pk])).status_code == 404


def test_commissioner_records_a_decision_through_the_page(client, alice, quality_records, monkeypatch):
    event = ContractEvent.objects.get(practice=quality_records)
    client.force_login(alice)
    today = dt.date.today()
    response = client.post(
        reverse("quality:contract_event_decide", args=[event.pk]),
        {"decision": "approved_with_conditions", "decision_date": today.isoformat(), "committee": "PCCC",
         "conditions": "", "review_date": ""},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Say what the conditions of the approval are." in response.content.decode()
    response = client.post(
        reverse("quality:contract_event_decide", args=[event.pk]),
        {"decision": "refused", "decision_date": today.isoformat(), "committee": "PCCC"},
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.decision == "refused"
