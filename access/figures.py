"""What an access return asks, question by question: the names, labels and help shared by the
model, the form, the upload template and the checks.

Counts are whole numbers for the return's period (a month or a quarter), except extended
access minutes, which are a typical week. Percentages are of the practice's registered
patients, repeat prescriptions or referrals in the period, to one decimal place.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from portal.rates import per_1000

#: Core hours under the GMS contract: 08:00 to 18:30, Monday to Friday.
CORE_HOURS_PER_WEEK = Decimal("52.5")


@dataclass(frozen=True)
class Question:
    name: str
    label: str
    kind: str  # "hours", "provision", "count", "minutes", "percent", "yes_no"
    help_text: str = ""


QUESTIONS: tuple[Question, ...] = (
    Question(
        "core_hours_open",
        "Hours open in core hours each week",
        "hours",
        "Core hours are 08:00 to 18:30, Monday to Friday: 52.5 hours a week. Count the hours the doors "
        "and phones are open; a half-day closure of 3.5 hours gives 49.0.",
    ),
    Question(
        "weekday_extended",
        "Pre-bookable appointments before 08:00 or after 18:30 on weekdays",
        "provision",
        "Answer 'through our group or hub' when your patients book these at another practice or hub.",
    ),
    Question("saturday_extended", "Pre-bookable appointments on Saturdays", "provision"),
    Question("sunday_extended", "Pre-bookable appointments on Sundays", "provision"),
    Question(
        "extended_access_minutes",
        "Extended access minutes a week",
        "minutes",
        "Minutes of appointments outside core hours available to your patients in a typical week, at "
        "the practice or through your group.",
    ),
    Question("appointments_face_to_face", "Face to face appointments", "count"),
    Question("appointments_telephone", "Telephone appointments", "count"),
    Question("appointments_online", "Online or video appointments", "count"),
    Question("appointments_home_visit", "Home visits", "count"),
    Question("appointments_gp", "Appointments with a GP", "count"),
    Question("appointments_nurse", "Appointments with a practice nurse", "count"),
    Question(
        "appointments_other_staff",
        "Appointments with other clinical staff",
        "count",
        "Clinical pharmacists, physician associates, physiotherapists, healthcare assistants and others.",
    ),
    Question(
        "appointments_dna",
        "Appointments not attended (DNAs)",
        "count",
        "Booked appointments the patient did not attend and did not cancel.",
    ),
    Question("online_registration_percent", "Patients registered for online services (%)", "percent"),
    Question(
        "eps_percent",
        "Repeat prescriptions sent by the Electronic Prescription Service (%)",
        "percent",
    ),
    Question("ers_percent", "Referrals made through the NHS e-Referral Service (%)", "percent"),
    Question("online_consultation", "Online consultation offered", "yes_no"),
)

BY_NAME = {question.name: question for question in QUESTIONS}
NAMES = tuple(question.name for question in QUESTIONS)

PROVISION_FIELDS = ("weekday_extended", "saturday_extended", "sunday_extended")
MODE_FIELDS = (
    "appointments_face_to_face",
    "appointments_telephone",
    "appointments_online",
    "appointments_home_visit",
)
STAFF_FIELDS = ("appointments_gp", "appointments_nurse", "appointments_other_staff")
PERCENT_FIELDS = ("online_registration_percent", "eps_percent", "ers_percent")
COUNT_FIELDS = (*MODE_FIELDS, *STAFF_FIELDS, "appointments_dna", "extended_access_minutes")


def label(name: str) -> str:
    return BY_NAME[name].label


def total_appointments(figures) -> int | None:
    """Appointments in the period, counted by mode; None until every mode is answered."""
    values = [getattr(figures, name, None) for name in MODE_FIELDS]
    if any(value is None for value in values):
        return None
    return sum(values)


def total_by_staff(figures) -> int | None:
    values = [getattr(figures, name, None) for name in STAFF_FIELDS]
    if any(value is None for value in values):
        return None
    return sum(values)


def appointments_per_1000_a_week(figures, *, list_size: int | None, weeks: float) -> float | None:
    """Appointments per 1,000 registered patients a week: comparable between months and quarters."""
    total = total_appointments(figures)
    rate = per_1000(total, list_size)
    if rate is None or not weeks:
        return None
    return rate / weeks


def minutes_per_1000_a_week(figures, *, list_size: int | None) -> float | None:
    return per_1000(getattr(figures, "extended_access_minutes", None), list_size)


def dna_rate(figures) -> float | None:
    """Appointments not attended as a percentage of all appointments."""
    total = total_appointments(figures)
    dnas = getattr(figures, "appointments_dna", None)
    if not total or dnas is None:
        return None
    return dnas * 100 / total


#: The form and the return page ask the questions in these groups.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Core hours", ("core_hours_open",)),
    ("Extended access", (*PROVISION_FIELDS, "extended_access_minutes")),
    ("Appointments in the period, by mode", MODE_FIELDS),
    ("The same appointments, by staff type", STAFF_FIELDS),
    ("Appointments not attended", ("appointments_dna",)),
    ("Online services", (*PERCENT_FIELDS, "online_consultation")),
)


def answers_of(values: dict | None):
    """A return's values (``{question: answer}``) read as attributes, as the checks read them."""
    from types import SimpleNamespace

    return SimpleNamespace(**{name: (values or {}).get(name) for name in NAMES})
