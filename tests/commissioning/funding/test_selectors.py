"""Registered populations at a reference date, expected per-head amounts, and the CCG
summary arithmetic (allocated / committed / spent / remaining), all in Decimal."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from commissioning.funding.models import Allocation, Scheme, SchemeAmount, SchemeSpend
from commissioning.funding.selectors import (
    ccg_practices_on,
    expected_amounts,
    funding_summary,
    registered_population,
    scheme_population,
)
from tests.factories import CCGFactory, CCGMembershipFactory, ListSizeFactory, PracticeFactory, UserFactory

from .conftest import luton_member
from .factories import AllocationFactory, SchemeFactory, SchemeSpendFactory

pytestmark = pytest.mark.django_db
JAN_2017 = dt.date(2017, 1, 1)


def approve(scheme, status=Scheme.Status.APPROVED):
    """Record a decision straight in the database (the services have their own tests)."""
    Scheme.objects.filter(pk=scheme.pk).update(
        status=status, committee="Primary Care Commissioning Committee", decided_on=dt.date(2017, 6, 1),
        decision_recorded_at=timezone.now(), decision_recorded_by=UserFactory(),
    )  # fmt: skip


# Registered population on a date


def test_population_sums_each_member_practices_latest_list_size_on_or_before_the_date(luton, luton_practices):
    ListSizeFactory(practice=luton_practices[0], extract_date=dt.date(2016, 10, 1), patients=19_000)
    population = registered_population(ccg=luton, on=JAN_2017)
    assert (population.patients, population.practices) == (60_000, 3)
    assert population.extract_dates == {JAN_2017}


def test_a_list_size_published_after_the_reference_date_does_not_move_the_population(luton, luton_practices):
    before = registered_population(ccg=luton, on=JAN_2017).patients
    ListSizeFactory(practice=luton_practices[1], extract_date=dt.date(2017, 1, 2), patients=99_000)
    ListSizeFactory(practice=luton_practices[2], extract_date=dt.date(2017, 4, 1), patients=1)
    assert registered_population(ccg=luton, on=JAN_2017).patients == before == 60_000
    assert registered_population(ccg=luton, on=dt.date(2017, 4, 1)).patients == 20_000 + 99_000 + 1


def test_population_counts_practices_by_their_ccg_membership_on_the_date_not_their_ccg_today(luton, wolverhampton):
    # In Wolverhampton until 1 Jan 2017, in Luton from that day: counts for Luton on 1 Jan, not on 31 Dec.
    mover = PracticeFactory(ods_code="M92999", ccg=luton)
    CCGMembershipFactory(practice=mover, ccg=wolverhampton, start_date=dt.date(2013, 4, 1), end_date=JAN_2017)
    CCGMembershipFactory(practice=mover, ccg=luton, start_date=JAN_2017)
    ListSizeFactory(practice=mover, extract_date=dt.date(2016, 10, 1), patients=5_000)
    assert registered_population(ccg=luton, on=dt.date(2016, 12, 31)).patients == 0
    assert registered_population(ccg=wolverhampton, on=dt.date(2016, 12, 31)).patients == 5_000
    assert registered_population(ccg=luton, on=JAN_2017).patients == 5_000
    assert registered_population(ccg=wolverhampton, on=JAN_2017).patients == 0


def test_population_leaves_out_a_practice_closed_by_the_date(luton):
    closed = luton_member(luton, "E81009", 4_000, on=dt.date(2016, 4, 1), close_date=dt.date(2016, 12, 1))
    luton_member(luton, "E81010", 6_000, on=dt.date(2016, 4, 1))
    assert registered_population(ccg=luton, on=JAN_2017).patients == 6_000
    assert closed not in ccg_practices_on(luton, JAN_2017)
    assert registered_population(ccg=luton, on=dt.date(2016, 11, 30)).patients == 10_000


def test_population_names_member_practices_with_no_list_size_by_then(luton):
    luton_member(luton, "E81011", 7_000, on=dt.date(2018, 1, 1))
    population = registered_population(ccg=luton, on=JAN_2017)
    assert (population.patients, population.practices, population.without_list_size) == (0, 1, ["E81011"])


def test_population_says_which_publication_it_counted(luton, luton_practices):
    luton_practices[0].list_sizes.update(source="NHS Digital, Patients Registered at a GP Practice, January 2017")
    population = registered_population(ccg=luton, on=JAN_2017)
    assert population.source == "NHS Digital, Patients Registered at a GP Practice, January 2017"
    assert registered_population(ccg=luton, on=dt.date(2016, 1, 1)).source == "no list sizes on or before that date"


# Expected per-head amounts


def test_north_norfolk_three_pounds_a_head_is_516249_against_516000_notified(pts):
    north_norfolk = CCGFactory(ods_code="06V", name="NHS North Norfolk CCG")
    luton_member(north_norfolk, "D82001", 100_000)
    luton_member(north_norfolk, "D82002", 72_083)
    allocations = [
        AllocationFactory(stream=pts, ccg=north_norfolk, financial_year=2017, amount=Decimal("258000.00")),
        AllocationFactory(stream=pts, ccg=north_norfolk, financial_year=2018, amount=Decimal("258000.00")),
    ]
    [expected] = expected_amounts(ccg=north_norfolk)
    assert expected.population.patients == 172_083
    assert expected.rate.rate_per_head == Decimal("3.00")
    assert expected.expected == Decimal("516249.00")
    assert expected.notified == Decimal("516000.00")
    assert expected.difference == Decimal("-249.00")
    assert {a.pk for a in expected.allocations} == {a.pk for a in allocations}
    assert all(isinstance(v, Decimal) for v in (expected.expected, expected.notified, expected.difference))


def test_expected_amount_uses_the_rate_of_the_year_and_its_own_reference_date(extended_access, luton):
    luton_member(luton, "E81013", 10_000, on=dt.date(2018, 1, 1))
    ListSizeFactory(practice=luton.practices.get(), extract_date=dt.date(2019, 1, 1), patients=12_000)
    AllocationFactory(stream=extended_access, ccg=luton, financial_year=2018, amount=Decimal("33400.00"))
    AllocationFactory(stream=extended_access, ccg=luton, financial_year=2019, amount=Decimal("72000.00"))
    first, second = expected_amounts(ccg=luton)
    assert (first.population.on, first.expected, first.difference) == (dt.date(2018, 1, 1), Decimal("33400.00"), 0)
    assert (second.population.on, second.expected) == (dt.date(2019, 1, 1), Decimal("72000.00"))


def test_an_allocation_may_name_its_own_population_date(pts, luton, luton_practices):
    ListSizeFactory(practice=luton_practices[0], extract_date=dt.date(2021, 1, 1), patients=30_000)
    AllocationFactory(
        stream=pts, ccg=luton, financial_year=2017, amount=Decimal("1"), population_date=dt.date(2021, 1, 1)
    )
    [expected] = expected_amounts(ccg=luton)
    assert expected.population.on == dt.date(2021, 1, 1)
    assert expected.population.patients == 30_000 + 25_000 + 15_000


def test_streams_not_per_head_expect_nothing(luton, streams):
    AllocationFactory(stream=streams["online-consultation-systems"], ccg=luton, financial_year=2018)
    assert expected_amounts(ccg=luton) == []


# The summary: allocated, committed, spent, remaining


def test_summary_adds_committed_from_approved_schemes_only_and_spend_by_financial_year(
    luton, pts, luton_pts_allocations
):
    approved = SchemeFactory(ccg=luton, stream=pts, amounts={2017: "87500.50", 2018: "90000.25"})
    approve(approved)
    SchemeFactory(ccg=luton, stream=pts, amounts={2017: "50000"})  # a draft commits nothing
    submitted = SchemeFactory(ccg=luton, stream=pts, amounts={2017: "40000"}, status=Scheme.Status.SUBMITTED)
    rejected = SchemeFactory(ccg=luton, stream=pts, amounts={2018: "30000"})
    approve(rejected, Scheme.Status.REJECTED)
    # 31 March 2018 is in 2017/18's last quarter (1 Jan 2018); 1 April 2018 starts 2018/19.
    SchemeSpendFactory(scheme=approved, quarter=dt.date(2018, 1, 1), actual=Decimal("20000.10"))
    SchemeSpendFactory(scheme=approved, quarter=dt.date(2018, 4, 1), actual=Decimal("10000.05"), forecast=Decimal("9"))
    SchemeSpendFactory(scheme=approved, quarter=dt.date(2018, 7, 1), actual=None, forecast=Decimal("15000.00"))

    summary = funding_summary(ccg=luton)
    by_year = {row.financial_year: row for row in summary.rows if row.stream == pts}
    first, second = by_year[2017], by_year[2018]
    assert (first.allocated, first.committed, first.spent, first.outturn) == (
        Decimal("350000.00"), Decimal("87500.50"), Decimal("20000.10"), Decimal("20000.10"),
    )  # fmt: skip
    assert first.remaining == Decimal("262499.50")
    assert (second.committed, second.spent, second.outturn) == (
        Decimal("90000.25"), Decimal("10000.05"), Decimal("25000.05"),
    )  # fmt: skip
    assert second.remaining == Decimal("259999.75")
    assert all(
        isinstance(getattr(row, f), Decimal) for row in summary.rows for f in ("allocated", "committed", "spent")
    )
    assert submitted.status == Scheme.Status.SUBMITTED
    assert not summary.warnings


def test_summary_warns_when_commitments_exceed_the_allocation(luton, pts, luton_pts_allocations):
    for amount in ("200000", "150000.01"):
        approve(SchemeFactory(ccg=luton, stream=pts, amounts={2018: amount}))
    summary = funding_summary(ccg=luton)
    [warning] = summary.warnings
    assert (warning.financial_year, warning.committed, warning.allocated) == (
        2018,
        Decimal("350000.01"),
        Decimal("350000.00"),
    )
    assert warning.over_committed_by == Decimal("0.01")
    assert warning.remaining == Decimal("-0.01")


def test_a_stream_without_an_allocation_is_never_over_committed_and_totals_leave_it_out_of_remaining(
    luton, streams, luton_pts_allocations, pts
):
    ettf = streams["ettf"]
    approve(SchemeFactory(ccg=luton, stream=ettf, amounts={2018: "2100000"}))
    approve(SchemeFactory(ccg=luton, stream=pts, amounts={2018: "100000"}))
    summary = funding_summary(ccg=luton)
    assert not summary.warnings
    [total_2018] = [t for t in summary.year_totals() if t.financial_year == 2018]
    assert total_2018.committed == Decimal("2200000.00")
    assert total_2018.remaining == Decimal("250000.00")
    assert not total_2018.over_committed


def test_summary_takes_a_fixed_number_of_queries_however_many_schemes(luton, pts, luton_pts_allocations,
                                                                       django_assert_num_queries):  # fmt: skip
    def add_schemes(n):
        for _ in range(n):
            scheme = SchemeFactory(ccg=luton, stream=pts, amounts={2017: "1000"})
            approve(scheme)
            SchemeSpendFactory(scheme=scheme)

    add_schemes(2)
    with django_assert_num_queries(4):
        funding_summary(ccg=luton)
    add_schemes(8)
    with django_assert_num_queries(4):
        funding_summary(ccg=luton)


def test_another_ccgs_money_never_enters_the_summary(luton, wolverhampton, pts, luton_pts_allocations):
    AllocationFactory(stream=pts, ccg=wolverhampton, financial_year=2017, amount=Decimal("999"))
    approve(SchemeFactory(ccg=wolverhampton, stream=pts, amounts={2017: "500"}))
    summary = funding_summary(ccg=luton)
    assert summary.total().allocated == Decimal("700000.00")
    assert summary.total().committed == Decimal("0.00")


def test_scheme_population_counts_its_practices_on_its_date(luton, luton_practices, pts):
    scheme = SchemeFactory(ccg=luton, stream=pts, practices=luton_practices[:2])
    assert scheme_population(scheme).patients == 45_000
    ListSizeFactory(practice=luton_practices[0], extract_date=dt.date(2017, 6, 1), patients=1)
    assert scheme_population(scheme).patients == 45_000


def test_allocation_year_label_and_boundaries(luton, pts):
    allocation = Allocation(stream=pts, ccg=luton, financial_year=2017, amount=Decimal("1"))
    assert allocation.year_label == "2017/18"
    assert dt.date(2018, 3, 31) in allocation.year
    assert dt.date(2018, 4, 1) not in allocation.year


def test_scheme_amount_year_label(luton, pts):
    scheme = SchemeFactory(ccg=luton, stream=pts, amounts={2018: "10"})
    assert [a.year_label for a in SchemeAmount.objects.filter(scheme=scheme)] == ["2018/19"]


@pytest.mark.parametrize(
    ("quarter", "year"),
    [
        (dt.date(2018, 1, 1), 2017),
        (dt.date(2018, 4, 1), 2018),
        (dt.date(2017, 4, 1), 2017),
        (dt.date(2019, 1, 1), 2018),
    ],
)
def test_spend_in_a_quarter_belongs_to_the_financial_year_it_falls_in(quarter, year):
    assert SchemeSpend(quarter=quarter).financial_year == year


def test_spend_must_be_dated_the_first_day_of_its_quarter():
    with pytest.raises(ValidationError):
        SchemeSpend(quarter=dt.date(2018, 3, 31)).clean()
    SchemeSpend(quarter=dt.date(2018, 4, 1)).clean()
