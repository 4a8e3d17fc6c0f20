"""The checks on an access return, as pure functions of its figures.

Errors block submission: a missing answer, a field out of range (a negative count, a
percentage above 100), or figures that contradict each other (more DNAs than
appointments). Warnings do not block, but the practice manager confirms each with a
comment: they compare the return with the practice's previous accepted return, with the
national extended access standard and with the rest of the CCG. Each finding's code is
stable for the same problem on the same question (``percent_fell:eps_percent``), so a
comment confirming a warning stays with it. Every check reads its figures with
``getattr``, so it runs the same on a saved return, an unsaved one built from a form or
an upload, or a plain namespace in a test.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from returns.validation import WARNING, Finding

from . import figures as f
from .compliance import SLOTS, Provision, slots_offered

#: The GP Forward View standard for extended access: minutes a week per 1,000 registered patients.
MINUTES_STANDARD_PER_1000 = 30
#: A change in appointments per 1,000 patients a week bigger than this share of the last figure.
APPOINTMENTS_CHANGE_LIMIT = 0.25
#: A rise in the DNA rate of more than this many percentage points.
DNA_RATE_RISE_LIMIT = 5
#: A fall in an online services percentage of more than this many percentage points.
PERCENT_FALL_LIMIT = 10
#: The CCG's range: its 5th to 95th percentile of appointments per 1,000 patients a week.
CCG_LOW_PERCENTILE, CCG_HIGH_PERCENTILE = 5, 95
#: Fewer accepted returns than this in the CCG make a percentile meaningless.
MIN_CCG_RETURNS = 5


@dataclass(frozen=True)
class Context:
    """What a return is compared with.

    ``weeks`` is the length of the return's period in weeks; ``previous`` the figures of the
    practice's previous accepted access return, with its own list size and length;
    ``ccg_rates`` the appointments per 1,000 patients a week of the CCG's latest accepted
    returns (one per practice), as the metrics engine worked them out at
    ``ccg_rates_computed_at``.
    """

    list_size: int | None = None
    weeks: float = 0
    previous: Any = None
    previous_list_size: int | None = None
    previous_weeks: float = 0
    ccg_rates: Sequence[float] = field(default_factory=tuple)
    ccg_rates_computed_at: dt.datetime | None = None


def _value(figures, name):
    return getattr(figures, name, None)


def missing_answers(figures) -> list[Finding]:
    return [
        Finding(f"required:{name}", f"Answer '{f.label(name)}'.", name)
        for name in f.NAMES
        if _value(figures, name) is None or _value(figures, name) == ""
    ]


def field_errors(figures) -> list[Finding]:
    """Each answer on its own: counts not negative, percentages 0-100, hours within core hours."""
    errors = []
    for name in f.COUNT_FIELDS:
        value = _value(figures, name)
        if value is not None and value < 0:
            errors.append(Finding(f"negative:{name}", f"{f.label(name)}: enter 0 or more.", name))
    for name in f.PERCENT_FIELDS:
        value = _value(figures, name)
        if value is not None and not 0 <= value <= 100:
            errors.append(Finding(f"percent_range:{name}", f"{f.label(name)}: enter a percentage from 0 to 100.", name))
    hours = _value(figures, "core_hours_open")
    if hours is not None and not 0 <= hours <= f.CORE_HOURS_PER_WEEK:
        message = f"{f.label('core_hours_open')}: enter hours from 0 to {f.CORE_HOURS_PER_WEEK}."
        errors.append(Finding("core_hours_range", message, "core_hours_open"))
    for name in f.PROVISION_FIELDS:
        value = _value(figures, name)
        if value not in (None, "") and value not in Provision.values:
            allowed = ", ".join(f"'{label}'" for label in Provision.labels)
            errors.append(Finding(f"provision_choice:{name}", f"{f.label(name)}: answer one of {allowed}.", name))
    return errors


def cross_field_errors(figures) -> list[Finding]:
    """Answers that contradict each other."""
    errors = []
    total = f.total_appointments(figures)
    dnas = _value(figures, "appointments_dna")
    if total is not None and dnas is not None and dnas > total:
        errors.append(
            Finding(
                "dna_over_total",
                f"DNAs ({dnas:,}) cannot be more than the appointments in the period ({total:,}).",
                "appointments_dna",
            )
        )
    by_staff = f.total_by_staff(figures)
    if total is not None and by_staff is not None and total != by_staff:
        errors.append(
            Finding(
                "staff_total_differs",
                f"Appointments by staff type add up to {by_staff:,}, but by mode to {total:,}: "
                "each appointment is counted once in each.",
                "appointments_gp",
            )
        )
    provisions = [_value(figures, name) for name in f.PROVISION_FIELDS]
    minutes = _value(figures, "extended_access_minutes")
    if None not in provisions and minutes is not None:
        offered = slots_offered(provisions)
        if offered and minutes == 0:
            errors.append(
                Finding(
                    "slots_without_minutes",
                    "You offer extended access appointments, so enter the minutes a week they give.",
                    "extended_access_minutes",
                )
            )
        if not offered and minutes > 0:
            errors.append(
                Finding(
                    "minutes_without_slots",
                    f"You give {minutes:,} extended access minutes a week but offer no appointments before "
                    "08:00 or after 18:30, on Saturdays or on Sundays.",
                    "extended_access_minutes",
                )
            )
    return errors


def submission_errors(figures) -> list[Finding]:
    """Everything that stops the return being submitted."""
    errors = missing_answers(figures) + field_errors(figures)
    if not errors:
        errors += cross_field_errors(figures)
    return errors


def percentile(values: Sequence[float], percent: float) -> float:
    """The ``percent`` percentile by linear interpolation between the closest ranks.

    The method of Excel's PERCENTILE.INC (and numpy's default): rank ``(n - 1) * p / 100``
    counted from 0, interpolated between the values either side.
    """
    if not values:
        raise ValueError("No values to take a percentile of.")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * percent / 100
    below = math.floor(rank)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (rank - below)


def _warning(code: str, message: str, name: str | None = None) -> Finding:
    return Finding(code, message, name, WARNING)


def _fmt(value: float) -> str:
    return f"{value:,.1f}"


def warnings(figures, context: Context) -> list[Finding]:
    """Figures that look unusual and need a comment to confirm them; they never block submission."""
    found = []
    hours = _value(figures, "core_hours_open")
    if hours is not None and 0 <= hours < f.CORE_HOURS_PER_WEEK:
        found.append(
            _warning(
                "core_hours_short",
                f"The practice is open {hours} of the {f.CORE_HOURS_PER_WEEK} core hours a week: say when and why "
                "it closes.",
                "core_hours_open",
            )
        )
    if context.list_size is None:
        found.append(
            _warning(
                "no_list_size",
                "There is no registered list size for this period, so the per 1,000 patient checks cannot run.",
            )
        )
    minutes_rate = f.minutes_per_1000_a_week(figures, list_size=context.list_size)
    if minutes_rate is not None and minutes_rate < MINUTES_STANDARD_PER_1000:
        found.append(
            _warning(
                "minutes_below_standard",
                f"{_fmt(minutes_rate)} extended access minutes a week per 1,000 patients is below the "
                f"GP Forward View standard of {MINUTES_STANDARD_PER_1000}.",
                "extended_access_minutes",
            )
        )
    rate = f.appointments_per_1000_a_week(figures, list_size=context.list_size, weeks=context.weeks)
    found += _ccg_range_warnings(rate, context.ccg_rates, context.ccg_rates_computed_at)
    if context.previous is not None:
        found += _previous_return_warnings(figures, rate, context)
    return found


def ccg_range(rates: Sequence[float]) -> tuple[float, float] | None:
    """The CCG's 5th and 95th percentiles, or None with too few returns to say."""
    if len(rates) < MIN_CCG_RETURNS:
        return None
    return percentile(rates, CCG_LOW_PERCENTILE), percentile(rates, CCG_HIGH_PERCENTILE)


def _ccg_range_warnings(
    rate: float | None, rates: Sequence[float], computed_at: dt.datetime | None = None
) -> list[Finding]:
    bounds = ccg_range(rates)
    if rate is None or bounds is None:
        return []
    low, high = bounds
    if low <= rate <= high:
        return []
    side = "below" if rate < low else "above"
    when = ""
    if computed_at is not None:
        when = f", as the metrics engine worked them out at {timezone.localtime(computed_at):%H:%M on %d %b %Y}"
    return [
        _warning(
            "appointments_outside_ccg_range",
            f"{_fmt(rate)} appointments a week per 1,000 patients is {side} the CCG's usual range "
            f"({_fmt(low)} to {_fmt(high)}, the 5th to 95th percentile of {len(rates)} practices' latest "
            f"accepted returns in the past year{when}).",
            "appointments_face_to_face",
        )
    ]


def _previous_return_warnings(figures, rate: float | None, context: Context) -> list[Finding]:
    previous = context.previous
    found = []
    last_rate = f.appointments_per_1000_a_week(
        previous, list_size=context.previous_list_size, weeks=context.previous_weeks
    )
    if rate is not None and last_rate:
        change = (rate - last_rate) / last_rate
        if abs(change) > APPOINTMENTS_CHANGE_LIMIT:
            found.append(
                _warning(
                    "appointments_changed",
                    f"Appointments a week per 1,000 patients went {'up' if change > 0 else 'down'} by "
                    f"{abs(change):.0%}, from {_fmt(last_rate)} in the last accepted return to {_fmt(rate)}.",
                    "appointments_face_to_face",
                )
            )
    dna, last_dna = f.dna_rate(figures), f.dna_rate(previous)
    if dna is not None and last_dna is not None and dna - last_dna > DNA_RATE_RISE_LIMIT:
        found.append(
            _warning(
                "dna_rate_rose",
                f"{_fmt(dna)}% of appointments were not attended, up from {_fmt(last_dna)}% in the last "
                "accepted return.",
                "appointments_dna",
            )
        )
    for name in f.PERCENT_FIELDS:
        now, before = _value(figures, name), _value(previous, name)
        if now is not None and before is not None and Decimal(before) - Decimal(now) > PERCENT_FALL_LIMIT:
            found.append(
                _warning(
                    f"percent_fell:{name}",
                    f"{f.label(name).removesuffix(' (%)')} fell from {before}% in the last accepted return to {now}%.",
                    name,
                )
            )
    for name, meaning in SLOTS:
        now, before = _value(figures, name), _value(previous, name)
        if before in (Provision.AT_PRACTICE, Provision.THROUGH_GROUP) and now == Provision.NOT_OFFERED:
            found.append(
                _warning(
                    f"slot_withdrawn:{name}",
                    f"Appointments on {meaning} were offered in the last accepted return but are not now.",
                    name,
                )
            )
    if _value(previous, "online_consultation") is True and _value(figures, "online_consultation") is False:
        found.append(
            _warning(
                "online_consultation_stopped",
                "Online consultation was offered in the last accepted return but is not now.",
                "online_consultation",
            )
        )
    return found
