"""load_demo_funding: the Luton and Norfolk figures of the plans, schemes in every state, the real
2016-17, 2018-19 and 2019-20 payments of the demo CCGs, and nothing new on a second run.

The demo organisations and the funding are loaded once for the module, inside a transaction
rolled back at the end, so that the other test modules never see them.
"""

from decimal import Decimal

import pytest
from django.apps import apps
from django.db import transaction

from commissioning.funding.demo import load_demo_funding
from commissioning.funding.models import Allocation, PracticePayment, Scheme, StreamRule
from commissioning.funding.selectors import expected_amounts, funding_summary
from practices.demo import load_demo
from practices.models import CCG

pytestmark = pytest.mark.django_db
FUNDING_MODELS = [
    m for m in apps.get_app_config("commissioning").get_models() if m.__module__.endswith("funding.models")
]


def history_count() -> int:
    return sum(model.history.count() for model in FUNDING_MODELS if hasattr(model, "history"))


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        first = load_demo_funding()
        histories = history_count()
        second = load_demo_funding()
        yield {"first": first, "second": second, "histories": (histories, history_count())}
        transaction.set_rollback(True)


def test_a_second_run_creates_nothing_and_adds_no_history(demo):
    assert demo["first"]["schemes"] == 14 and demo["first"]["allocations"] == 13
    assert not any(demo["second"].values())
    before, after = demo["histories"]
    assert before == after


def test_lutons_allocations_are_the_plans_figures(demo):
    luton = CCG.objects.get(ods_code="06P")
    amounts = {(a.stream.code, a.financial_year): a.amount for a in Allocation.objects.filter(ccg=luton)}
    assert amounts[("extended-access", 2018)] == Decimal("780397.00")
    assert amounts[("practice-transformational-support", 2017)] == Decimal("350000.00")
    assert amounts[("practice-transformational-support", 2018)] == Decimal("350000.00")
    assert StreamRule.objects.get(ccg=luton).value == Decimal("50000")


def test_norfolks_three_pounds_a_head_adds_up_to_the_plans_totals(demo):
    for code, total in (("06V", "516000.00"), ("06Y", "710000.00")):
        [pts] = [e for e in expected_amounts(ccg=CCG.objects.get(ods_code=code)) if e.stream.basis == "per_head"]
        assert pts.notified == Decimal(total)
        assert pts.rate.rate_per_head == Decimal("3.00")
        # 2017-19 money against the population of 1 April 2017, never a later year's list sizes.
        assert pts.population.on.isoformat() == "2017-04-01"
        assert all(d <= pts.population.on for d in pts.population.extract_dates)
    training = Allocation.objects.filter(stream__code="care-navigator-training", financial_year=2016)
    assert sorted(training.values_list("ccg__ods_code", "amount")) == [
        ("06V", Decimal("15000.00")),
        ("06Y", Decimal("20000.00")),
    ]


def test_schemes_in_every_state_and_lutons_overcommitment_is_overridden(demo):
    assert set(Scheme.objects.values_list("status", flat=True)) == set(Scheme.Status.values)
    luton = CCG.objects.get(ods_code="06P")
    [warning] = funding_summary(ccg=luton).warnings
    assert (warning.stream.code, warning.financial_year, warning.over_committed_by) == (
        "practice-transformational-support",
        2018,
        Decimal("10000.00"),
    )
    overridden = Scheme.objects.get(title__startswith="Luton South and East")
    assert overridden.was_overridden and "reserve" in overridden.override_reason
    farley_hill = Scheme.objects.get(title="Farley Hill new build")
    assert list(farley_hill.practices.values_list("ods_code", flat=True)) == ["E81032"]
    assert sum(a.amount for a in farley_hill.amounts.all()) == Decimal("2100000.00")
    assert farley_hill.annual_revenue_cost == Decimal("127000.00")


def test_the_demo_ccgs_payments_are_imported(demo):
    luton = PracticePayment.objects.filter(ccg__ods_code="06P")
    assert luton.filter(financial_year=2018).count() == 30
    assert PracticePayment.objects.filter(ccg__ods_code="06V", financial_year=2018).count() == 19
    by_year = {year: luton.filter(financial_year=year).count() for year in (2016, 2018, 2019)}
    assert by_year == {2016: 30, 2018: 30, 2019: 28}
    assert "payment_files_not_imported" not in demo["first"]
