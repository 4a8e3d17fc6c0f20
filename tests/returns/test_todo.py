"""The returns on the home page: a practice manager's overdue, due and returned returns, and a
commissioner's returns to review; each counted exactly, for their own practice or CCG only,
and each link showing exactly the returns counted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from portal.todo import COMMISSIONER, PRACTICE_MANAGER, Urgency
from returns.models import Return
from returns.services import collection_open
from returns.todo import practice_returns, returns_to_review

from ..factories import CCGMembershipFactory, PracticeFactory
from .helpers import Q3_2017, Q3_DUE, set_now

TODAY = dt.date(2018, 1, 20)
Q4_2017, Q4_DUE = dt.date(2018, 1, 1), dt.date(2018, 4, 15)
Q2_2017, Q2_DUE = dt.date(2017, 7, 1), dt.date(2017, 10, 15)


@pytest.fixture
def luton_other(luton):
    practice = PracticeFactory(ods_code="E81002", name="Another Luton Surgery", ccg=luton)
    CCGMembershipFactory(practice=practice)
    return practice


@pytest.fixture
def collections(luton, wolverhampton, luton_practice, luton_other, wolverhampton_practice, alice, erin, time_machine):
    """Luton and Wolverhampton each ask their practices for Q2 (due 15 Oct 2017), Q3 (due 15 Jan
    2018) and Q4 (due 15 Apr 2018) workforce returns; today is 20 January 2018."""
    set_now(time_machine, TODAY)
    made = {}
    for ccg, user in ((luton, alice), (wolverhampton, erin)):
        for start, due in ((Q2_2017, Q2_DUE), (Q3_2017, Q3_DUE), (Q4_2017, Q4_DUE)):
            made[(ccg.ods_code, start)] = collection_open(
                ccg=ccg, return_type="workforce", period_start=start, due_date=due, user=user
            )
    return made


def mark(collection, practice, status, submitted_on=None):
    Return.objects.filter(collection=collection, practice=practice).update(
        status=status, first_submitted_on=submitted_on
    )


def test_practice_manager_sees_overdue_then_due_then_returned_for_their_practice_only(
    collections, bob, luton_practice, luton_other, wolverhampton_practice
):
    # Q2 was sent back for correction, Q3 is overdue, Q4 is due; the other practices' returns are all overdue.
    mark(collections[("06P", Q2_2017)], luton_practice, Return.Status.RETURNED, dt.date(2017, 10, 10))

    items = practice_returns(bob, TODAY)

    assert [(i.role, i.count, i.words, i.urgency) for i in items] == [
        (PRACTICE_MANAGER, 1, "return overdue", Urgency.OVERDUE),
        (PRACTICE_MANAGER, 1, "return due", Urgency.DUE),
        (PRACTICE_MANAGER, 1, "return returned for correction", Urgency.WAITING),
    ]
    overdue, due, returned = items
    assert overdue.note == "was due 15 January 2018" and overdue.due_date == Q3_DUE
    assert due.note == "due 15 April 2018"
    assert overdue.url == f"{reverse('returns:my_returns')}?timeliness=missing"
    assert due.url.endswith("?timeliness=not_yet_due") and returned.url.endswith("?timeliness=returned")


def test_practice_manager_counts_several_returns_overdue_with_the_oldest_date(collections, bob, luton_practice):
    items = practice_returns(bob, TODAY)
    assert items[0].text == "2 returns overdue"
    assert items[0].note == "the oldest was due 15 October 2017"


def test_submitted_and_accepted_returns_are_not_on_the_practice_managers_list(collections, bob, luton_practice):
    for start in (Q2_2017, Q3_2017, Q4_2017):
        mark(collections[("06P", start)], luton_practice, Return.Status.SUBMITTED, dt.date(2017, 10, 1))
    assert practice_returns(bob, TODAY) == []


def test_a_return_due_today_is_due_not_overdue(collections, bob, time_machine):
    set_now(time_machine, Q3_DUE)
    items = {i.words: i for i in practice_returns(bob, Q3_DUE)}
    assert items["returns due"].count == 2 and items["returns due"].note == "the next is due 15 January 2018"
    assert items["return overdue"].due_date == Q2_DUE


def test_the_my_returns_link_shows_exactly_the_returns_counted(client, collections, bob, luton_practice):
    client.force_login(bob)
    item = practice_returns(bob, TODAY)[0]
    html = client.get(item.url).text
    assert "Showing only the returns overdue." in html
    rows = html.split('id="my-returns"')[1].split("</tbody>")[0]
    assert rows.count('<tr class="nhsuk-table__row">') == 1 + item.count  # the header row and one per return
    assert "2017/18 Q2" in rows and "2017/18 Q3" in rows and "2017/18 Q4" not in rows
    assert "Wolverhampton" not in rows


def test_commissioner_sees_returns_to_review_by_collection_for_their_ccg_only(
    collections, alice, luton_practice, luton_other, wolverhampton_practice
):
    q3, q4 = collections[("06P", Q3_2017)], collections[("06P", Q4_2017)]
    mark(q3, luton_practice, Return.Status.SUBMITTED, dt.date(2018, 1, 10))
    mark(q3, luton_other, Return.Status.SUBMITTED, dt.date(2018, 1, 12))
    mark(q4, luton_other, Return.Status.RETURNED, dt.date(2018, 1, 12))
    mark(collections[("06A", Q3_2017)], wolverhampton_practice, Return.Status.SUBMITTED, dt.date(2018, 1, 9))

    items = returns_to_review(alice, TODAY)

    assert [(i.role, i.text, i.note) for i in items] == [(COMMISSIONER, "2 returns to review", q3.title)]
    assert items[0].url == f"{reverse('returns:collection_detail', args=[q3.pk])}?status=submitted"


def test_another_ccgs_commissioner_sees_only_their_own_returns_to_review(collections, erin, wolverhampton_practice):
    mark(collections[("06P", Q3_2017)], collections[("06P", Q3_2017)].returns.first().practice, "submitted")
    mark(collections[("06A", Q2_2017)], wolverhampton_practice, Return.Status.SUBMITTED, dt.date(2017, 10, 1))
    items = returns_to_review(erin, TODAY)
    assert [i.text for i in items] == ["1 return to review"]
    assert str(collections[("06A", Q2_2017)].pk) in items[0].url


def test_practice_managers_and_governing_body_have_no_returns_to_review(collections, bob, carol, luton_practice):
    mark(collections[("06P", Q3_2017)], luton_practice, Return.Status.SUBMITTED, dt.date(2018, 1, 10))
    assert returns_to_review(bob, TODAY) == [] and returns_to_review(carol, TODAY) == []
    assert practice_returns(carol, TODAY) == []


def test_the_collection_link_shows_exactly_the_returns_to_review(client, collections, alice, luton_other):
    q3 = collections[("06P", Q3_2017)]
    mark(q3, luton_other, Return.Status.SUBMITTED, dt.date(2018, 1, 12))
    client.force_login(alice)
    html = client.get(returns_to_review(alice, TODAY)[0].url).text
    rows = html.split('id="collection-returns"')[1].split("</tbody>")[0]
    assert "Another Luton Surgery" in rows and "The Medical Centre" not in rows
    assert "Showing only the returns with the status submitted." in html
