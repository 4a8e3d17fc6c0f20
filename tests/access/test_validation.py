"""Every access return check: field rules, cross-field rules and the warnings against the
previous accepted return, the national standard and the CCG's range."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from access.compliance import Provision
from access.figures import appointments_per_1000_a_week, dna_rate, label, minutes_per_1000_a_week
from access.validation import (
    Context,
    ccg_range,
    cross_field_errors,
    field_errors,
    missing_answers,
    percentile,
    submission_errors,
    warnings,
)


def good_return(**changes):
    """A complete, consistent monthly return of a 10,000-patient practice."""
    values = dict(
        core_hours_open=Decimal("52.5"),
        weekday_extended=Provision.AT_PRACTICE,
        saturday_extended=Provision.THROUGH_GROUP,
        sunday_extended=Provision.THROUGH_GROUP,
        extended_access_minutes=450,
        appointments_face_to_face=3000,
        appointments_telephone=900,
        appointments_online=60,
        appointments_home_visit=40,
        appointments_gp=2200,
        appointments_nurse=1300,
        appointments_other_staff=500,
        appointments_dna=160,
        online_registration_percent=Decimal("25.0"),
        eps_percent=Decimal("70.5"),
        ers_percent=Decimal("95.0"),
        online_consultation=True,
    )
    values.update(changes)
    return SimpleNamespace(**values)


def codes(findings):
    return sorted(finding.code.split(":")[0] for finding in findings)


def test_a_complete_consistent_return_has_no_errors():
    assert submission_errors(good_return()) == []


def test_every_unanswered_question_is_an_error_at_submission():
    figures = good_return(eps_percent=None, saturday_extended="", online_consultation=None)
    missing = missing_answers(figures)
    assert {finding.field for finding in missing} == {"eps_percent", "saturday_extended", "online_consultation"}
    assert {finding.message for finding in missing} >= {"Answer 'Online consultation offered'."}


def test_online_consultation_answered_no_is_an_answer():
    assert missing_answers(good_return(online_consultation=False)) == []


@pytest.mark.parametrize(
    "name",
    [
        "appointments_face_to_face",
        "appointments_telephone",
        "appointments_online",
        "appointments_home_visit",
        "appointments_gp",
        "appointments_nurse",
        "appointments_other_staff",
        "appointments_dna",
        "extended_access_minutes",
    ],
)
def test_a_negative_count_is_an_error(name):
    errors = field_errors(good_return(**{name: -1}))
    expected = [(f"negative:{name}", name, f"{label(name)}: enter 0 or more.")]
    assert [(e.code, e.field, e.message) for e in errors] == expected


@pytest.mark.parametrize("name", ["online_registration_percent", "eps_percent", "ers_percent"])
@pytest.mark.parametrize("value", [Decimal("-0.1"), Decimal("100.1")])
def test_a_percentage_outside_0_to_100_is_an_error(name, value):
    errors = field_errors(good_return(**{name: value}))
    assert [(e.code, e.field) for e in errors] == [(f"percent_range:{name}", name)]


@pytest.mark.parametrize("value", [Decimal("0"), Decimal("100")])
def test_percentages_of_0_and_100_are_allowed(value):
    assert field_errors(good_return(eps_percent=value)) == []


@pytest.mark.parametrize("hours", [Decimal("-1"), Decimal("52.6"), Decimal("60")])
def test_core_hours_beyond_the_52_and_a_half_hour_week_are_an_error(hours):
    assert codes(field_errors(good_return(core_hours_open=hours))) == ["core_hours_range"]


def test_an_unknown_extended_access_answer_is_an_error():
    errors = field_errors(good_return(sunday_extended="sometimes"))
    assert codes(errors) == ["provision_choice"]
    assert "'Yes, through our group or hub'" in errors[0].message


def test_more_dnas_than_appointments_is_an_error():
    errors = cross_field_errors(good_return(appointments_dna=4001))
    assert codes(errors) == ["dna_over_total"]
    assert errors[0].message == "DNAs (4,001) cannot be more than the appointments in the period (4,000)."
    assert cross_field_errors(good_return(appointments_dna=4000)) == []


def test_appointments_by_staff_type_must_add_up_to_appointments_by_mode():
    errors = cross_field_errors(good_return(appointments_nurse=1299))
    assert codes(errors) == ["staff_total_differs"]
    assert "add up to 3,999, but by mode to 4,000" in errors[0].message


def test_extended_access_slots_without_minutes_is_an_error():
    assert codes(cross_field_errors(good_return(extended_access_minutes=0))) == ["slots_without_minutes"]


def test_extended_access_minutes_without_any_slot_is_an_error():
    no = Provision.NOT_OFFERED
    figures = good_return(weekday_extended=no, saturday_extended=no, sunday_extended=no)
    assert codes(cross_field_errors(figures)) == ["minutes_without_slots"]
    assert cross_field_errors(good_return(weekday_extended=no, saturday_extended=no, sunday_extended=no,
                                          extended_access_minutes=0)) == []  # fmt: skip


def test_cross_field_rules_wait_until_each_answer_is_sound():
    # A negative DNA count is reported once, as a field error, not again as a contradiction.
    assert codes(submission_errors(good_return(appointments_dna=-5, appointments_nurse=0))) == ["negative"]


def test_the_rates_use_the_list_size_and_the_length_of_the_period():
    figures = good_return()
    # 4,000 appointments in 4 weeks for 10,000 patients: 100 a week per 1,000.
    assert appointments_per_1000_a_week(figures, list_size=10_000, weeks=4) == pytest.approx(100)
    assert minutes_per_1000_a_week(figures, list_size=10_000) == pytest.approx(45)
    assert dna_rate(figures) == pytest.approx(4)
    assert appointments_per_1000_a_week(figures, list_size=None, weeks=4) is None


def test_percentile_interpolates_between_ranks_like_excel_percentile_inc():
    values = [10, 20, 30, 40, 50]
    # rank (5 - 1) * 0.05 = 0.2: 10 + 0.2 * (20 - 10)
    assert percentile(values, 5) == pytest.approx(12)
    # rank 3.8: 40 + 0.8 * 10
    assert percentile(values, 95) == pytest.approx(48)
    assert percentile([7], 95) == 7
    with pytest.raises(ValueError):
        percentile([], 50)


def test_a_ccg_with_fewer_than_five_returns_has_no_range():
    assert ccg_range([80, 90, 100, 110]) is None


# A small CCG, by hand: six practices' appointments a week per 1,000 patients.
# Sorted: 60, 70, 80, 90, 100, 140. 5th percentile: rank 5 * 0.05 = 0.25 -> 60 + 0.25 * 10 = 62.5.
# 95th percentile: rank 5 * 0.95 = 4.75 -> 100 + 0.75 * 40 = 130.
SMALL_CCG = [90, 60, 140, 80, 100, 70]


def test_the_ccg_range_of_a_small_ccg_is_its_5th_to_95th_percentile():
    assert ccg_range(SMALL_CCG) == (pytest.approx(62.5), pytest.approx(130))


@pytest.mark.parametrize(
    ("appointments", "expected"),
    [
        # 10,000 patients over 4 weeks: appointments / 40 a week per 1,000.
        (2480, ["appointments_outside_ccg_range"]),  # 62.0: below 62.5
        (2500, []),  # 62.5: on the edge counts as inside
        (5200, []),  # 130.0
        (5240, ["appointments_outside_ccg_range"]),  # 131.0: above 130
    ],
)
def test_appointments_outside_the_ccgs_5th_to_95th_percentile_give_a_warning(appointments, expected):
    figures = good_return(
        appointments_face_to_face=appointments, appointments_telephone=0, appointments_online=0,
        appointments_home_visit=0, appointments_gp=appointments, appointments_nurse=0, appointments_other_staff=0,
    )  # fmt: skip
    found = warnings(figures, Context(list_size=10_000, weeks=4, ccg_rates=SMALL_CCG))
    assert codes(found) == expected
    if expected:
        assert "the 5th to 95th percentile of 6 practices" in found[0].message
        assert "62.5 to 130.0" in found[0].message
        assert found[0].is_warning


def test_no_ccg_range_warning_when_the_ccg_has_too_few_returns():
    figures = good_return(appointments_face_to_face=100_000, appointments_gp=101_100)
    assert warnings(figures, Context(list_size=10_000, weeks=4, ccg_rates=[90, 100])) == []


def test_closing_during_core_hours_gives_a_warning():
    found = warnings(good_return(core_hours_open=Decimal("49.0")), Context(list_size=10_000, weeks=4))
    assert codes(found) == ["core_hours_short"]
    assert "open 49.0 of the 52.5 core hours" in found[0].message


def test_extended_access_below_30_minutes_per_1000_patients_gives_a_warning():
    # 290 minutes for 10,000 patients: 29 per 1,000.
    found = warnings(good_return(extended_access_minutes=290), Context(list_size=10_000, weeks=4))
    assert codes(found) == ["minutes_below_standard"]
    assert found[0].message.startswith("29.0 extended access minutes a week per 1,000 patients")
    assert warnings(good_return(extended_access_minutes=300), Context(list_size=10_000, weeks=4)) == []


def test_no_list_size_gives_a_warning_and_skips_the_per_1000_checks():
    found = warnings(good_return(extended_access_minutes=1), Context(list_size=None, weeks=4, ccg_rates=SMALL_CCG))
    assert codes(found) == ["no_list_size"]


def previous_context(previous, **kwargs):
    return Context(list_size=10_000, weeks=4, previous=previous, previous_list_size=10_000, previous_weeks=4, **kwargs)


def test_a_return_like_the_previous_accepted_one_gives_no_warning():
    assert warnings(good_return(), previous_context(good_return())) == []


def test_appointments_per_1000_changing_by_more_than_a_quarter_gives_a_warning():
    previous = good_return(appointments_face_to_face=1950, appointments_gp=1150)  # 2,950: 73.75 a week per 1,000
    found = warnings(good_return(), previous_context(previous))  # 4,000: 100
    assert codes(found) == ["appointments_changed"]
    assert found[0].message == (
        "Appointments a week per 1,000 patients went up by 36%, from 73.8 in the last accepted return to 100.0."
    )
    previous = good_return(appointments_face_to_face=2200, appointments_gp=1400)  # 3,200: 80, a rise of 25%
    assert warnings(good_return(), previous_context(previous)) == []


def test_the_change_in_appointments_allows_for_a_quarterly_previous_return_and_a_new_list_size():
    # Last time a 13-week quarter with 12,000 appointments for 9,000 patients: 102.6 a week per 1,000.
    previous = good_return(appointments_face_to_face=11_000, appointments_gp=10_200)
    context = Context(list_size=10_000, weeks=4, previous=previous, previous_list_size=9_000, previous_weeks=13)
    assert warnings(good_return(), context) == []


def test_a_dna_rate_more_than_5_points_higher_gives_a_warning():
    found = warnings(good_return(appointments_dna=370), previous_context(good_return()))  # 9.25% against 4%
    assert codes(found) == ["dna_rate_rose"]
    assert warnings(good_return(appointments_dna=360), previous_context(good_return())) == []  # 9%: 5 points


@pytest.mark.parametrize("name", ["online_registration_percent", "eps_percent", "ers_percent"])
def test_an_online_services_percentage_falling_more_than_10_points_gives_a_warning(name):
    previous = good_return()
    fallen = getattr(previous, name) - Decimal("10.1")
    found = warnings(good_return(**{name: fallen}), previous_context(previous))
    assert [(w.code, w.field) for w in found] == [(f"percent_fell:{name}", name)]
    assert warnings(good_return(**{name: getattr(previous, name) - 10}), previous_context(previous)) == []


@pytest.mark.parametrize("name", ["weekday_extended", "saturday_extended", "sunday_extended"])
def test_withdrawing_an_extended_access_slot_gives_a_warning(name):
    found = warnings(good_return(**{name: Provision.NOT_OFFERED}), previous_context(good_return()))
    assert [(w.code, w.field) for w in found] == [(f"slot_withdrawn:{name}", name)]


def test_moving_a_slot_from_the_practice_to_the_hub_gives_no_warning():
    figures = good_return(weekday_extended=Provision.THROUGH_GROUP)
    assert warnings(figures, previous_context(good_return())) == []


def test_stopping_online_consultation_gives_a_warning():
    found = warnings(good_return(online_consultation=False), previous_context(good_return()))
    assert codes(found) == ["online_consultation_stopped"]


def test_no_previous_accepted_return_means_no_comparison():
    figures = good_return(online_consultation=False, appointments_dna=900)
    assert warnings(figures, Context(list_size=10_000, weeks=4)) == []
