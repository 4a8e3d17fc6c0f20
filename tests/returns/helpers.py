"""Plausible workforce figures for tests of the workflow, which use the workforce return as
their registered kind of return."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from returns.registry import return_type

Q3_2017 = dt.date(2017, 10, 1)
Q3_DUE = dt.date(2018, 1, 15)


def staff(headcount: int, fte: str, ages: tuple[int, int, int, int, int, int], **more) -> dict:
    names = ["age_under_30", "age_30_39", "age_40_49", "age_50_54", "age_55_59", "age_60_plus"]
    return {"headcount": headcount, "fte": Decimal(fte), **dict(zip(names, ages, strict=True)), **more}


def workforce_values(**roles) -> dict:
    """A small practice's staff; ``roles`` replace or add rows (role key -> cells)."""
    values = return_type("workforce").empty_values()
    base = {
        "gp_partner": staff(4, "3.50", (0, 1, 2, 0, 1, 0), planned_retirements=1),
        "gp_salaried": staff(2, "1.20", (0, 2, 0, 0, 0, 0)),
        "practice_nurse": staff(3, "2.40", (0, 1, 1, 0, 1, 0)),
        "hca": staff(2, "1.60", (1, 1, 0, 0, 0, 0)),
        "practice_manager": staff(1, "1.00", (0, 0, 1, 0, 0, 0)),
        "receptionist": staff(6, "4.20", (2, 1, 1, 1, 1, 0), joiners=1, leavers=1),
    }
    for role, cells in {**base, **roles}.items():
        values[role].update(cells)
    return values


def nurses(headcount: int) -> dict:
    """``workforce_values`` with ``headcount`` practice nurses (0.8 FTE each, all aged 30-39)."""
    return workforce_values(practice_nurse=staff(headcount, f"{headcount * 0.8:.2f}", (0, headcount, 0, 0, 0, 0)))


def set_now(time_machine, day: dt.date) -> None:
    """Freeze the clock (the ``time_machine`` fixture) at noon UK time on ``day``."""
    from django.utils import timezone

    time_machine.move_to(timezone.make_aware(dt.datetime(day.year, day.month, day.day, 12, 0)), tick=False)
