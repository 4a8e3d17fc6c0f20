"""Scheme status rules, recording a site with its premises, and the capacity refresh after edits."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from estates.models import ClusterCapacity, Scheme, SchemeStatusChange
from estates.services import SchemeStatusError, capacity_refresh_waiting, scheme_create, scheme_status_change
from estates.tasks import refresh_all_capacity, refresh_capacity
from portal.models import OutboxMessage

from .factories import PremisesFactory, SchemeFactory

pytestmark = pytest.mark.django_db
S = Scheme.Status


@pytest.fixture
def scheme(luton, alice):
    return scheme_create(
        scheme=Scheme(ccg=luton, name="Farley Hill new build", kind=Scheme.Kind.NEW_BUILD),
        user=alice,
        on=dt.date(2016, 4, 1),
    )


def costed(scheme):
    scheme.capital_cost = Decimal("2100000")
    scheme.share_funded_percent = Decimal("100")
    scheme.expected_open_date = dt.date(2021, 10, 1)
    scheme.save()
    return scheme


def test_a_new_scheme_is_an_idea_with_that_first_change_recorded(scheme, alice):
    assert scheme.status == S.IDEA
    change = scheme.status_changes.get()
    assert (change.from_status, change.to_status, change.on, change.by) == ("", S.IDEA, dt.date(2016, 4, 1), alice)


def test_a_scheme_moves_from_idea_to_open_one_step_at_a_time_each_move_dated(scheme, alice):
    costed(scheme)
    steps = [
        (S.BUSINESS_CASE, dt.date(2017, 4, 3)),
        (S.APPROVED, dt.date(2018, 3, 28)),
        (S.IN_BUILD, dt.date(2019, 1, 14)),
        (S.OPEN, dt.date(2021, 10, 4)),
    ]
    for status, on in steps:
        scheme_status_change(scheme=scheme, to=status, on=on, user=alice)

    scheme.refresh_from_db()
    assert (scheme.status, scheme.status_changed_on) == (S.OPEN, dt.date(2021, 10, 4))
    assert list(scheme.status_changes.values_list("to_status", flat=True)) == [S.IDEA] + [s for s, _ in steps]
    assert scheme.allowed_next_statuses() == ()


def test_a_scheme_cannot_skip_approval(scheme, alice):
    costed(scheme)
    with pytest.raises(SchemeStatusError, match="cannot move to 'In build'"):
        scheme_status_change(scheme=scheme, to=S.IN_BUILD, on=dt.date(2017, 1, 1), user=alice)
    assert SchemeStatusChange.objects.filter(scheme=scheme).count() == 1


def test_a_scheme_cannot_be_approved_without_its_cost_share_and_opening_date(scheme, alice):
    scheme_status_change(scheme=scheme, to=S.BUSINESS_CASE, on=dt.date(2017, 1, 1), user=alice)
    with pytest.raises(SchemeStatusError, match="capital cost, the share funded and the expected opening date"):
        scheme_status_change(scheme=scheme, to=S.APPROVED, on=dt.date(2018, 1, 1), user=alice)
    scheme.refresh_from_db()
    assert scheme.status == S.BUSINESS_CASE


def test_a_bid_names_the_funding_stream_it_goes_to(scheme, alice):
    with pytest.raises(SchemeStatusError, match="funding stream"):
        scheme_status_change(scheme=scheme, to=S.BID, on=dt.date(2016, 6, 30), user=alice)


def test_a_status_change_cannot_be_dated_before_the_last_one_or_in_the_future(scheme, alice):
    with pytest.raises(SchemeStatusError, match="before the last change"):
        scheme_status_change(scheme=scheme, to=S.BUSINESS_CASE, on=dt.date(2016, 3, 1), user=alice)
    with pytest.raises(SchemeStatusError, match="future"):
        scheme_status_change(
            scheme=scheme, to=S.BUSINESS_CASE, on=timezone.localdate() + dt.timedelta(days=1), user=alice
        )


def test_a_withdrawn_scheme_can_be_revived_as_an_idea_but_an_open_one_is_final(scheme, alice):
    scheme_status_change(scheme=scheme, to=S.WITHDRAWN, on=dt.date(2017, 1, 1), user=alice)
    assert scheme.__class__.objects.get(pk=scheme.pk).allowed_next_statuses() == (S.IDEA,)
    scheme_status_change(scheme=scheme, to=S.IDEA, on=dt.date(2018, 1, 1), user=alice)
    open_scheme = SchemeFactory(ccg=scheme.ccg, status=S.OPEN, capital_cost=1, share_funded_percent=50)
    with pytest.raises(SchemeStatusError, match="Next steps allowed: none"):
        scheme_status_change(scheme=open_scheme, to=S.WITHDRAWN, on=dt.date(2019, 1, 1), user=alice)


def test_funded_amount_is_cost_times_share_to_the_penny(luton):
    scheme = SchemeFactory(ccg=luton, capital_cost=Decimal("2100000"), share_funded_percent=Decimal("66.67"))
    assert scheme.funded_amount == Decimal("1400070.00")
    assert SchemeFactory(ccg=luton).funded_amount is None


def test_the_database_refuses_an_approved_scheme_without_a_cost(luton):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SchemeFactory(ccg=luton, status=S.APPROVED)


def test_edits_queue_one_capacity_refresh_of_the_ccg_to_run_when_they_commit(luton, luton_cluster, luton_practice):
    premises = PremisesFactory(site__practice=luton_practice, gross_internal_area_m2=Decimal("900.0"))
    premises.gross_internal_area_m2 = Decimal("950.0")
    premises.save()

    # The membership, the site and two saves of its premises, all in one transaction: one refresh,
    # saved in that transaction (the outbox), published once it commits.
    queued = OutboxMessage.objects.filter(task=refresh_capacity.name, args=[luton.pk])
    assert queued.count() == 1
    assert capacity_refresh_waiting(ccg=luton)
    callbacks = [entry[1] for entry in connection.run_on_commit]
    for callback in callbacks:
        callback()
    assert not queued.exists() and not capacity_refresh_waiting(ccg=luton)
    base = ClusterCapacity.objects.get(cluster=luton_cluster, is_projected=False)
    assert base.area_m2 == Decimal("950.0")


def test_the_capacity_jobs_run_twice_and_skip_a_ccg_that_has_gone(luton, luton_cluster, luton_premises):
    assert refresh_capacity(luton.pk) == refresh_capacity(luton.pk)
    assert refresh_capacity(999999) == {}
    assert refresh_all_capacity() == 1
    assert ClusterCapacity.objects.filter(cluster=luton_cluster).count() == 16  # the base year and 15 projected
