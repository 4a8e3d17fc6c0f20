"""Writes of the access area: the measures of an accepted access return, which the CCG's
usual range and the extended access pages read."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from returns.models import Revision

from . import figures as f
from .models import AccessMeasure, AccessReturn

#: How to work each measure out, in words, as the pages show it.
DEFINITIONS = {
    "appointments_per_1000_a_week": (
        "Appointments of every mode in the period, per 1,000 patients on the list size the return was "
        "checked against, divided by the weeks in the period."
    ),
    "minutes_per_1000_a_week": (
        "Extended access minutes in a typical week per 1,000 registered patients. The GP Forward View "
        "standard is at least 30."
    ),
    "dna_rate": "Appointments not attended as a percentage of all appointments in the period.",
    "compliance": (
        "Fully compliant: pre-bookable appointments before 08:00 or after 18:30 on weekdays, on Saturdays "
        "and on Sundays, at the practice or through its group. Partially: one or two of the three. Not "
        "compliant: none."
    ),
}


@transaction.atomic
def access_measure_compute(*, revision: Revision) -> AccessMeasure | None:
    """Work out (again) the measures of an accepted access return; None if it is not accepted.

    Safe to run twice: the row is replaced, never duplicated.
    """
    revision = Revision.objects.select_related("ret__collection", "ret__practice").get(pk=revision.pk)
    answers = AccessReturn.objects.filter(revision=revision).first()
    if revision.status != Revision.Status.ACCEPTED or answers is None:
        AccessMeasure.objects.filter(revision=revision).delete()
        return None
    collection = revision.ret.collection
    period_end = collection.period_end
    weeks = ((period_end - collection.period_start).days + 1) / 7
    list_size = revision.list_size
    measure, _ = AccessMeasure.objects.update_or_create(
        revision=revision,
        defaults={
            "practice": revision.ret.practice,
            "ccg_id": collection.ccg_id,
            "period_start": collection.period_start,
            "period_end": period_end,
            "list_size": list_size,
            "total_appointments": answers.total_appointments or 0,
            "appointments_per_1000_a_week": f.appointments_per_1000_a_week(answers, list_size=list_size, weeks=weeks),
            "minutes_per_1000_a_week": f.minutes_per_1000_a_week(answers, list_size=list_size),
            "dna_rate": answers.dna_rate,
            "compliance": answers.compliance,
            "relies_on_group": answers.relies_on_group,
            "online_registration_percent": answers.online_registration_percent,
            "eps_percent": answers.eps_percent,
            "ers_percent": answers.ers_percent,
            "online_consultation": bool(answers.online_consultation),
            "computed_at": timezone.now(),
        },
    )
    return measure


def access_measures_rebuild() -> int:
    """Work out the measures of every accepted access return; returns how many."""
    accepted = Revision.objects.accepted().filter(ret__collection__return_type__startswith="access-")
    count = 0
    for revision in accepted.only("pk"):
        if access_measure_compute(revision=revision) is not None:
            count += 1
    return count
