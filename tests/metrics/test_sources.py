"""The engine's figures and each area's own rules give one answer on the same return.

The engine works on whole columns (``<area>/metric_sources.py``); the return page, the checks
and the CCG's pages use the area's functions on one return. These tests put the same returns
through both."""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

import pandas as pd
import pytest

from access import figures as f
from access.compliance import Compliance, Provision, extended_access_compliance, relies_on_group
from access.metric_sources import access_figures
from metrics import definitions as d
from metrics import sources
from metrics.engine import Outcome
from portal.periods import weeks_in

pytestmark = pytest.mark.django_db

PROVISIONS = [Provision.AT_PRACTICE.value, Provision.THROUGH_GROUP.value, Provision.NOT_OFFERED.value, None]


def access_answers(n: int, provisions, frequency: str, period: dt.date) -> dict:
    weekday, saturday, sunday = provisions
    return {
        "revision_id": n,
        "practice_id": n,
        "ccg_id": 1,
        "period": pd.Timestamp(period),
        "frequency": frequency,
        "patients": 8_000.0 + n,
        "weekday_extended": weekday,
        "saturday_extended": saturday,
        "sunday_extended": sunday,
        "extended_access_minutes": 90 + n,
        "appointments_face_to_face": 3_000 + n,
        "appointments_telephone": 900,
        "appointments_online": 40,
        "appointments_home_visit": 25,
        "appointments_dna": 130 + n,
        "online_registration_percent": 21.5,
        "eps_percent": 80.0,
        "ers_percent": 95.0,
    }


@pytest.mark.parametrize(
    ("frequency", "period"), [("monthly", dt.date(2018, 2, 1)), ("quarterly", dt.date(2018, 1, 1))]
)
def test_the_engine_and_the_access_rules_agree_on_every_return(frequency, period):
    every = list(itertools.product(PROVISIONS, repeat=3))
    answers = pd.DataFrame([access_answers(n, p, frequency, period) for n, p in enumerate(every, start=1)])
    figures = access_figures(answers, Outcome(), {}).set_index("revision_id")
    assert len(figures) == len(every)

    for n, (weekday, saturday, sunday) in enumerate(every, start=1):
        row = figures.loc[n]
        one = SimpleNamespace(**access_answers(n, (weekday, saturday, sunday), frequency, period))
        compliance = extended_access_compliance(weekday=weekday, saturday=saturday, sunday=sunday)
        assert (row["full"], row["partial"], row["none"]) == (
            compliance == Compliance.FULL,
            compliance == Compliance.PARTIAL,
            compliance == Compliance.NONE,
        ), (weekday, saturday, sunday)
        assert bool(row["through_group"]) == (
            compliance != Compliance.NONE and relies_on_group(weekday=weekday, saturday=saturday, sunday=sunday)
        )
        assert row["appointments"] == f.total_appointments(one)
        assert row["appointments_dna"] / row["appointments"] * 100 == pytest.approx(f.dna_rate(one))
        per_week = f.appointments_per_1000_a_week(one, list_size=one.patients, weeks=weeks_in(frequency, period))
        assert row["appointments"] / row["patient_weeks"] * 1000 == pytest.approx(per_week)
        assert row["minutes"] / row["patients"] * 1000 == pytest.approx(
            f.minutes_per_1000_a_week(one, list_size=one.patients)
        )


def test_a_return_with_a_mode_unanswered_has_no_appointments_in_either():
    answers = access_answers(1, (None, None, None), "monthly", dt.date(2018, 2, 1))
    answers["appointments_online"] = None
    outcome = Outcome()
    assert access_figures(pd.DataFrame([answers]), outcome, {1: "E81001"}).empty
    assert f.total_appointments(SimpleNamespace(**answers)) is None
    assert outcome.problems[0]["reason"] == "Appointments by mode are not all answered."


def test_every_metric_of_an_area_is_read_by_that_areas_source():
    """A metric defined with no source to read it would silently never be computed."""
    extra = {"gp_fte_against_trajectory", "clinical_fte_against_trajectory"}
    for area in d.Area:
        codes = {m.code for m in d.of_area(area)}
        assert codes - extra == set(sources.source(area).parts), area
    assert sources.extras(d.Area.WORKFORCE), "commissioning's trajectories extend the workforce area"
