"""Quality on the home page: contract events awaiting a decision, decisions due for review and
CQC uploads that reported problems; the commissioner's own CCG only, counted exactly."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.todo import ADMINISTRATOR, COMMISSIONER, Urgency
from quality.models import ContractEvent, CQCImportRun
from quality.todo import contract_events, cqc_import_problems

from ..dashboards.helpers import set_today
from .factories import ContractEventFactory

TODAY = dt.date(2018, 10, 10)


@pytest.fixture
def events(luton_practice, wolverhampton_practice, time_machine):
    set_today(time_machine, TODAY)
    decided = {"decision": ContractEvent.Decision.APPROVED, "received_date": dt.date(2018, 6, 1),
               "decision_date": dt.date(2018, 7, 1)}  # fmt: skip
    return {
        "pending old": ContractEventFactory(practice=luton_practice, received_date=dt.date(2018, 9, 3)),
        "pending new": ContractEventFactory(practice=luton_practice, received_date=dt.date(2018, 10, 1)),
        "review overdue": ContractEventFactory(practice=luton_practice, summary="Review overdue",
                                               review_date=dt.date(2018, 10, 5), **decided),
        "review soon": ContractEventFactory(practice=luton_practice, summary="Review soon",
                                            review_date=dt.date(2018, 10, 20), **decided),
        "review later": ContractEventFactory(practice=luton_practice, summary="Review later",
                                             review_date=dt.date(2018, 12, 1), **decided),
        "elsewhere": ContractEventFactory(practice=wolverhampton_practice, summary="Wolverhampton pending",
                                          received_date=dt.date(2018, 8, 1)),
    }  # fmt: skip


def listed(client, url, events) -> set[str]:
    table = client.get(url).text.split("<table")[1].split("</table>")[0]
    return {name for name, event in events.items() if f'"{event.get_absolute_url()}"' in table}


def test_events_awaiting_a_decision_and_reviews_due_for_the_commissioners_ccg(client, events, alice):
    undecided, reviews = contract_events(alice, TODAY)
    assert (undecided.role, undecided.text, undecided.note) == (
        COMMISSIONER, "2 contract events awaiting a decision", "the oldest received 3 September 2018"
    )  # fmt: skip
    assert (reviews.text, reviews.urgency, reviews.note) == (
        "2 contract decisions due for review", Urgency.OVERDUE, "the oldest was due 5 October 2018"
    )  # fmt: skip
    client.force_login(alice)
    assert listed(client, undecided.url, events) == {"pending old", "pending new"}
    assert listed(client, reviews.url, events) == {"review overdue", "review soon"}


def test_reviews_only_ahead_are_due_not_overdue(events, alice):
    events["review overdue"].delete()
    _, reviews = contract_events(alice, TODAY)
    assert (reviews.text, reviews.urgency, reviews.note) == (
        "1 contract decision due for review", Urgency.DUE, "due 20 October 2018"
    )  # fmt: skip


def test_another_ccgs_events_never_count(events, erin, carol, bob):
    [undecided] = contract_events(erin, TODAY)
    assert undecided.text == "1 contract event awaiting a decision"
    assert contract_events(carol, TODAY) == [] and contract_events(bob, TODAY) == []


def cqc_run(ccg, *, days_ago=1, **fields):
    run = CQCImportRun.objects.create(
        file="imports/cqc/r.csv", file_name="ratings.csv", queued_at=timezone.now() - dt.timedelta(days=days_ago),
        **fields,
    )  # fmt: skip
    if ccg is not None:
        run.ccgs.add(ccg)
    return run


def test_cqc_uploads_with_problems_for_the_commissioner_and_the_administrator(client, luton, wolverhampton, alice,
                                                                               root, time_machine):  # fmt: skip
    set_today(time_machine, TODAY)
    cqc_run(luton, status=CQCImportRun.Status.FAILED, error="Not a CSV")
    cqc_run(luton, status=CQCImportRun.Status.DONE, errors=[{"line": 2, "column": "Rating", "message": "Unknown"}])
    cqc_run(luton, status=CQCImportRun.Status.DONE, saved=True)
    cqc_run(luton, status=CQCImportRun.Status.FAILED, days_ago=20)
    cqc_run(wolverhampton, status=CQCImportRun.Status.FAILED)

    [item] = cqc_import_problems(alice, TODAY)
    assert (item.role, item.text) == (COMMISSIONER, "2 CQC ratings uploads reported problems")
    client.force_login(alice)
    runs = client.get(item.url).text.split('id="cqc-runs"')[1].split("</ul>")[0]
    assert runs.count("<li>") == 2
    [admin_item] = cqc_import_problems(root, TODAY)
    assert (admin_item.role, admin_item.count) == (ADMINISTRATOR, 3)
