"""Missing and late returns: one rule (``return_timeliness_rule``), the same in SQL
(``ReturnQuerySet.missing``/``late``/``with_timeliness``, ``CollectionQuerySet.with_return_counts``),
decided on a date."""

import datetime as dt

import pytest

from returns.models import Collection, Return, Revision, Timeliness, return_timeliness_rule

from ..factories import PracticeFactory
from .helpers import Q3_2017, Q3_DUE, set_now

S = Return.Status
BEFORE_DUE, DUE, DAY_AFTER, LATER = dt.date(2018, 1, 10), Q3_DUE, dt.date(2018, 1, 16), dt.date(2018, 2, 1)


@pytest.mark.parametrize(
    ("status", "first_submitted_on", "on", "expected"),
    [
        (S.NOT_STARTED, None, BEFORE_DUE, Timeliness.NOT_YET_DUE),
        (S.NOT_STARTED, None, DUE, Timeliness.NOT_YET_DUE),  # due today is not yet missing
        (S.NOT_STARTED, None, DAY_AFTER, Timeliness.MISSING),
        (S.DRAFT, None, LATER, Timeliness.MISSING),
        (S.ACCEPTED, DUE, DAY_AFTER, Timeliness.ON_TIME),
        (S.ACCEPTED, LATER, DAY_AFTER, Timeliness.MISSING),  # submitted late: missing until it came in
        (S.ACCEPTED, LATER, LATER, Timeliness.LATE),
        (S.ACCEPTED, LATER, BEFORE_DUE, Timeliness.NOT_YET_DUE),
        (S.RETURNED, BEFORE_DUE, DAY_AFTER, Timeliness.RETURNED),
    ],
)
def test_return_timeliness_rule_decides_on_a_date(status, first_submitted_on, on, expected):
    assert return_timeliness_rule(status=status, first_submitted_on=first_submitted_on, due_date=DUE, on=on) == expected


@pytest.fixture
def census(luton):
    return Collection.objects.create(ccg=luton, return_type="workforce", period_start=Q3_2017, due_date=Q3_DUE)


@pytest.fixture
def returns(luton, census):
    """One return of each kind: never started, on time, submitted late (1 February), returned for correction."""

    def ret(name, status, first_submitted_on=None):
        practice = PracticeFactory(ccg=luton, name=name)
        made = Return.objects.create(collection=census, practice=practice, first_submitted_on=first_submitted_on)
        if status == S.ACCEPTED:
            made.accepted_revision = Revision.objects.create(ret=made, number=1, status=Revision.Status.ACCEPTED)
        made.status = status
        made.save()
        return made

    return {
        "never": ret("Never Surgery", S.NOT_STARTED),
        "on time": ret("On Time Surgery", S.ACCEPTED, DUE),
        "late": ret("Late Surgery", S.SUBMITTED, LATER),
        "returned": ret("Returned Surgery", S.RETURNED, BEFORE_DUE),
    }


def _names(queryset):
    return sorted(r.practice.name for r in queryset.select_related("practice"))


@pytest.mark.parametrize("on", [BEFORE_DUE, DUE, DAY_AFTER, LATER])
def test_queryset_and_one_return_agree_on_every_date(returns, on):
    annotated = {r.pk: r.timeliness for r in Return.objects.with_timeliness(on)}
    assert annotated == {r.pk: r.timeliness_on(on) for r in returns.values()}

    def having(value):
        return {pk for pk, found in annotated.items() if found == value}

    assert {r.pk for r in Return.objects.missing(on)} == having(Timeliness.MISSING)
    assert {r.pk for r in Return.objects.late(on)} == having(Timeliness.LATE)


def test_a_return_due_after_the_day_is_not_missing_and_one_due_before_is(returns):
    assert _names(Return.objects.missing(DUE)) == []
    assert _names(Return.objects.missing(DAY_AFTER)) == ["Late Surgery", "Never Surgery"]


def test_a_late_submitted_return_is_missing_until_it_comes_in_then_late(returns):
    late = returns["late"]
    assert late in Return.objects.missing(LATER - dt.timedelta(days=1))
    assert late not in Return.objects.missing(LATER)
    assert _names(Return.objects.late(LATER)) == ["Late Surgery"]
    assert _names(Return.objects.late(LATER - dt.timedelta(days=1))) == []


def test_missing_without_a_date_is_missing_today(returns, time_machine):
    set_now(time_machine, DUE)
    assert _names(Return.objects.missing()) == []
    set_now(time_machine, DAY_AFTER)
    assert _names(Return.objects.missing()) == ["Late Surgery", "Never Surgery"]


def test_collection_counts_its_returns_as_they_stood_on_the_day(census, returns):
    def counts(on, practices=None):
        c = Collection.objects.with_return_counts(on, practices=practices).get(pk=census.pk)
        return {k: getattr(c, k) for k in ("asked", "accepted", "submitted", "returned", "missing", "not_yet_due")}

    assert counts(DUE) == {"asked": 4, "accepted": 1, "submitted": 0, "returned": 1, "missing": 0, "not_yet_due": 2}
    assert counts(DAY_AFTER) == {
        "asked": 4, "accepted": 1, "submitted": 0, "returned": 1, "missing": 2, "not_yet_due": 0,
    }  # fmt: skip
    assert counts(LATER) == {"asked": 4, "accepted": 1, "submitted": 1, "returned": 1, "missing": 1, "not_yet_due": 0}
    one = Return.objects.filter(pk=returns["never"].pk).values("practice_id")
    assert counts(LATER, practices=one) == {
        "asked": 1, "accepted": 0, "submitted": 0, "returned": 0, "missing": 1, "not_yet_due": 0,
    }  # fmt: skip
