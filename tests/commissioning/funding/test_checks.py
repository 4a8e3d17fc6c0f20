"""The stream rules the portal checks on a scheme, and which fail."""

import datetime as dt
from decimal import Decimal

import pytest

from commissioning.funding.checks import failed_checks, scheme_checks
from commissioning.funding.models import StreamRule
from commissioning.funding.services import scheme_approve, scheme_submit
from tests.factories import CCGMembershipFactory, ListSizeFactory, PracticeFactory

from .conftest import luton_member
from .factories import SchemeFactory

pytestmark = pytest.mark.django_db


def failed(scheme) -> dict[str, str]:
    return {c.code: c.detail for c in failed_checks(scheme_checks(scheme))}


def test_lutons_rule_fails_a_scheme_covering_fewer_than_50000_patients(luton, luton_practices, pts, luton_rule,
                                                                      luton_pts_allocations):  # fmt: skip
    small = SchemeFactory(ccg=luton, stream=pts, practices=luton_practices[1:], amounts={2017: "10000"})
    assert list(failed(small)) == [f"rule-{luton_rule.pk}"]
    assert "Covers 40,000 registered patients on 1 Jan 2017" in failed(small)[f"rule-{luton_rule.pk}"]


def test_lutons_rule_passes_a_scheme_covering_50000_patients_or_more(luton, luton_practices, pts, luton_rule,
                                                                    luton_pts_allocations):  # fmt: skip
    big = SchemeFactory(ccg=luton, stream=pts, practices=luton_practices, amounts={2017: "10000"})
    assert failed(big) == {}
    rule_check = next(c for c in scheme_checks(big) if c.code == f"rule-{luton_rule.pk}")
    assert rule_check.passed is True
    assert "Luton" in rule_check.title


def test_a_ccgs_own_rule_does_not_apply_to_another_ccgs_schemes(wolverhampton, pts, luton_rule):
    practice = luton_member(wolverhampton, "M92002", 1_000)
    scheme = SchemeFactory(ccg=wolverhampton, stream=pts, practices=[practice], amounts={2017: "100"})
    assert not any(c.code.startswith("rule-") for c in scheme_checks(scheme))


def test_a_request_larger_than_the_remaining_allocation_fails(
    luton, luton_practices, pts, luton_pts_allocations, alice
):
    first = SchemeFactory(ccg=luton, stream=pts, practices=luton_practices, amounts={2018: "300000"})
    scheme_submit(scheme=first, user=alice)
    scheme_approve(scheme=first, user=alice, committee="PCCC", decided_on=dt.date(2018, 5, 1))
    second = SchemeFactory(ccg=luton, stream=pts, practices=luton_practices, amounts={2017: "50000", 2018: "50000.01"})
    failures = failed(second)
    assert list(failures) == ["allocation-2018"]
    assert "remaining £50,000.00" in failures["allocation-2018"]
    assert "committed to other approved schemes £300,000.00" in failures["allocation-2018"]
    # Exactly the remaining amount fits.
    second.amounts.filter(financial_year=2018).update(amount=Decimal("50000.00"))
    assert failed(second) == {}


def test_a_scheme_does_not_count_its_own_commitment_against_itself(luton, luton_practices, pts, luton_pts_allocations,
                                                                   alice):  # fmt: skip
    scheme = SchemeFactory(ccg=luton, stream=pts, practices=luton_practices, amounts={2018: "350000"})
    scheme_submit(scheme=scheme, user=alice)
    scheme_approve(scheme=scheme, user=alice, committee="PCCC", decided_on=dt.date(2018, 5, 1))
    assert failed(scheme) == {}


def test_no_allocation_means_the_allocation_check_does_not_apply(luton, luton_practices, streams):
    scheme = SchemeFactory(ccg=luton, stream=streams["ettf"], practices=luton_practices, amounts={2018: "2100000"})
    check = next(c for c in scheme_checks(scheme) if c.code == "allocation-2018")
    assert check.passed is None and not check.failed


def test_asking_in_a_year_the_stream_does_not_run_fails(luton, luton_practices, pts, luton_pts_allocations):
    scheme = SchemeFactory(ccg=luton, stream=pts, practices=luton_practices, amounts={2019: "1000"})
    assert "stream-years" in failed(scheme)


def test_a_practice_of_another_ccg_fails(luton, luton_practices, wolverhampton_practice, pts, luton_pts_allocations):
    scheme = SchemeFactory(
        ccg=luton, stream=pts, practices=[*luton_practices, wolverhampton_practice], amounts={2017: "1000"}
    )
    assert "M92001" in failed(scheme)["practices-in-ccg"]


def test_a_scheme_with_no_practices_or_no_amounts_fails(luton, pts):
    scheme = SchemeFactory(ccg=luton, stream=pts)
    assert {"covers-practices", "asks-for-money"} <= set(failed(scheme))


@pytest.mark.parametrize(
    ("kind", "value", "fails"),
    [
        (StreamRule.Kind.MIN_PRACTICES, "3", False),
        (StreamRule.Kind.MIN_PRACTICES, "4", True),
        (StreamRule.Kind.MAX_REQUEST, "60000", False),
        (StreamRule.Kind.MAX_REQUEST, "59999.99", True),
        (StreamRule.Kind.MAX_PER_HEAD, "1.00", False),  # £60,000 / 60,000 patients = £1.00 a head
        (StreamRule.Kind.MAX_PER_HEAD, "0.99", True),
    ],
)
def test_national_rules_of_each_kind(luton, luton_practices, pts, luton_pts_allocations, kind, value, fails):
    rule = StreamRule.objects.create(stream=pts, kind=kind, value=Decimal(value), description="National rule.")
    scheme = SchemeFactory(ccg=luton, stream=pts, practices=luton_practices, amounts={2017: "60000"})
    assert (f"rule-{rule.pk}" in failed(scheme)) is fails


def test_the_population_check_uses_the_schemes_population_date(luton, pts, luton_rule, luton_pts_allocations):
    practice = PracticeFactory(ods_code="E81020", ccg=luton)
    CCGMembershipFactory(practice=practice, ccg=luton)
    ListSizeFactory(practice=practice, extract_date=dt.date(2017, 1, 1), patients=49_999)
    ListSizeFactory(practice=practice, extract_date=dt.date(2018, 1, 1), patients=50_000)
    scheme = SchemeFactory(ccg=luton, stream=pts, practices=[practice], amounts={2018: "1"})
    assert f"rule-{luton_rule.pk}" in failed(scheme)
    scheme.population_date = dt.date(2018, 1, 1)
    assert f"rule-{luton_rule.pk}" not in failed(scheme)
