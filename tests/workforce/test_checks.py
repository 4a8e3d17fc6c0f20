"""Each check on a workforce return, as a pure function of its figures, and the metrics
engine's figures of an accepted return."""

import datetime as dt
from decimal import Decimal

import pytest

from metrics.models import MetricValue
from metrics.services import metrics_recompute
from returns.services import collection_open, return_accept, return_save, return_submit
from returns.validation import WARNING, CheckContext
from workforce.checks import (
    ages_add_up,
    fte_change_since_last_return,
    fte_within_headcount,
    gp_fte_per_1000,
    has_gps,
    not_empty,
    retirements_within_headcount,
    vacancies_consistent,
)

from ..returns.helpers import staff, workforce_values


def codes(rule, values, **context):
    return [f.code for f in rule(CheckContext(values=values, **context))]


def test_good_figures_pass_every_check():
    values = workforce_values()
    for rule in (not_empty, fte_within_headcount, ages_add_up, vacancies_consistent, retirements_within_headcount,
                 has_gps):  # fmt: skip
        assert codes(rule, values, list_size=9400) == []
    assert codes(gp_fte_per_1000, values, list_size=9400) == []


def test_fte_more_than_one_and_a_half_times_headcount_is_an_error():
    assert codes(fte_within_headcount, workforce_values(gp_partner=staff(4, "6.01", (0, 1, 2, 0, 1, 0)))) == [
        "fte-over-headcount:gp_partner"
    ]
    assert codes(fte_within_headcount, workforce_values(gp_partner=staff(4, "6.00", (0, 1, 2, 0, 1, 0)))) == []


def test_fte_without_anyone_in_post_is_an_error():
    assert codes(fte_within_headcount, workforce_values(gp_locum=staff(0, "0.5", (0, 0, 0, 0, 0, 0)))) == [
        "fte-over-headcount:gp_locum"
    ]


def test_staff_in_post_with_no_fte_is_an_error():
    assert codes(fte_within_headcount, workforce_values(hca=staff(2, "0", (1, 1, 0, 0, 0, 0)))) == ["no-fte:hca"]


def test_age_bands_must_add_up_to_the_headcount():
    findings = list(ages_add_up(CheckContext(values=workforce_values(hca=staff(2, "1.6", (1, 0, 0, 0, 0, 0))))))
    assert [(f.code, f.row, f.field) for f in findings] == [("ages:hca", "hca", "age_under_30")]
    assert findings[0].message == "Health care assistant: the age bands add up to 1 but the headcount is 2."


@pytest.mark.parametrize(
    "cells, expected",
    [
        ({"vacant_posts": 1, "vacant_fte": Decimal("1.0"), "vacancy_months": 3}, []),
        ({"vacant_posts": 1, "vacant_fte": Decimal("2.0")}, ["vacant-fte:gp_salaried"]),
        ({"vacant_posts": 2, "vacant_fte": Decimal("0")}, ["vacant-no-fte:gp_salaried"]),
        ({"vacant_posts": 0, "vacant_fte": Decimal("0"), "vacancy_months": 4}, ["vacant-months:gp_salaried"]),
    ],
)
def test_vacancy_figures_must_agree(cells, expected):
    values = workforce_values(gp_salaried=staff(2, "1.2", (0, 2, 0, 0, 0, 0), **cells))
    assert codes(vacancies_consistent, values) == expected


def test_more_planned_retirements_than_staff_is_an_error():
    values = workforce_values(gp_partner=staff(4, "3.5", (0, 1, 2, 0, 1, 0), planned_retirements=5))
    assert codes(retirements_within_headcount, values) == ["retirements:gp_partner"]


def test_a_return_with_no_staff_is_an_error():
    from returns.registry import return_type

    assert codes(not_empty, return_type("workforce").empty_values()) == ["empty"]


def test_a_staff_group_fte_change_over_20_percent_is_a_warning():
    before = workforce_values()  # nurses 2.4 FTE
    up = workforce_values(practice_nurse=staff(4, "2.90", (0, 1, 2, 0, 1, 0)))  # +20.8%
    same_ish = workforce_values(practice_nurse=staff(3, "2.88", (0, 1, 1, 0, 1, 0)))  # +20.0%
    findings = list(fte_change_since_last_return(CheckContext(values=up, previous_values=before)))
    assert [(f.code, f.severity) for f in findings] == [("fte-change:nurse", WARNING)]
    assert "up 21% on the last accepted return (2.4 FTE)" in findings[0].message
    assert codes(fte_change_since_last_return, same_ish, previous_values=before) == []
    assert codes(fte_change_since_last_return, up, previous_values=None) == [], "no previous return, no comparison"


def test_a_group_that_falls_to_nothing_is_a_warning():
    before = workforce_values(pharmacist=staff(1, "1.0", (0, 1, 0, 0, 0, 0)))
    assert codes(fte_change_since_last_return, workforce_values(), previous_values=before) == ["fte-change:dpc"]


def test_gp_fte_per_1000_patients_outside_the_usual_range_is_a_warning():
    values = workforce_values()  # 4.7 GP FTE
    assert codes(gp_fte_per_1000, values, list_size=30000) == ["gp-fte-per-1000"]  # 0.16
    assert codes(gp_fte_per_1000, values, list_size=3000) == ["gp-fte-per-1000"]  # 1.57
    assert codes(gp_fte_per_1000, values, list_size=9400) == []  # 0.50
    assert codes(gp_fte_per_1000, values, list_size=None) == [], "no list size, no rate"


def test_no_gps_at_all_is_a_warning():
    values = workforce_values(gp_partner=staff(0, "0", (0,) * 6), gp_salaried=staff(0, "0", (0,) * 6))
    assert codes(has_gps, values) == ["no-gp"]


def test_accepting_a_return_has_the_engine_compute_its_figures_from_that_revision_only(
    ret, bob, alice, django_capture_on_commit_callbacks
):
    return_save(ret=ret, user=bob, values=workforce_values())
    return_submit(ret=ret, user=bob)
    with django_capture_on_commit_callbacks(execute=True):  # the debounced recompute, run at once
        revision = return_accept(ret=ret, user=alice)

    values = {row.metric: row for row in MetricValue.objects.for_practice(ret.practice).period(dt.date(2017, 10, 1))}
    assert {row.source_revision for row in values.values()} == {revision.pk}
    gp = values["gp_fte_per_1000"]
    # 4.7 GP FTE for 9,400 patients; 1 of the 6 GPs aged 55 and over.
    assert (gp.numerator, gp.denominator) == (pytest.approx(4.7), 9400)
    assert gp.value == pytest.approx(0.5)
    assert values["patients_per_gp_fte"].value == pytest.approx(2000)
    assert values["gp_aged_55_plus"].value == pytest.approx(100 / 6)


def test_a_revision_not_accepted_has_no_figures(ret, bob):
    return_save(ret=ret, user=bob, values=workforce_values())
    return_submit(ret=ret, user=bob)
    metrics_recompute()
    assert not MetricValue.objects.exists()


def test_the_previous_accepted_return_feeds_the_comparison(ret, bob, alice, luton):
    return_save(ret=ret, user=bob, values=workforce_values())
    return_submit(ret=ret, user=bob)
    return_accept(ret=ret, user=alice)
    later = collection_open(
        ccg=luton, return_type="workforce", period_start=dt.date(2018, 1, 1), due_date=dt.date(2018, 4, 15),
        user=alice,
    ).returns.get()  # fmt: skip
    from returns.services import return_check

    findings = return_check(ret=later, values=workforce_values(practice_nurse=staff(1, "0.80", (0, 1, 0, 0, 0, 0))))
    assert [w.code for w in findings.warnings] == ["fte-change:nurse"]
