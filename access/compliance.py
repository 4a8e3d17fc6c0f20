"""Extended access: how a practice offers appointments outside core hours, and what that makes it.

The GP Forward View asks that every patient can book an appointment in the evening (before
08:00 or after 18:30 on a weekday), on Saturdays and on Sundays. A practice may meet a slot
itself or through its group: the hub of its cluster, Primary Care Home or federation often
runs Saturday and Sunday sessions for every member practice. A practice whose patients can
book all three, alone or with its group, is fully compliant; one or two is partially
compliant; none is non-compliant.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models


class Provision(models.TextChoices):
    """Who offers pre-bookable appointments in one extended access slot."""

    AT_PRACTICE = "practice", "Yes, at the practice"
    THROUGH_GROUP = "group", "Yes, through our group or hub"
    NOT_OFFERED = "no", "No"


class Compliance(models.TextChoices):
    FULL = "full", "Fully compliant"
    PARTIAL = "partial", "Partially compliant"
    NONE = "none", "Not compliant"


#: The three slots, as (attribute of a return, what it means).
SLOTS = (
    ("weekday_extended", "weekday mornings before 08:00 or evenings after 18:30"),
    ("saturday_extended", "Saturdays"),
    ("sunday_extended", "Sundays"),
)


def slots_offered(provisions: Iterable[str | None]) -> int:
    """How many of the slots are offered, at the practice or through its group."""
    return sum(1 for provision in provisions if provision in (Provision.AT_PRACTICE, Provision.THROUGH_GROUP))


def extended_access_compliance(*, weekday: str | None, saturday: str | None, sunday: str | None) -> Compliance:
    """Full with all three slots offered (alone or with the group), partial with one or two, none with none.

    A slot not yet answered counts as not offered.
    """
    offered = slots_offered((weekday, saturday, sunday))
    if offered == 3:
        return Compliance.FULL
    if offered:
        return Compliance.PARTIAL
    return Compliance.NONE


def relies_on_group(*, weekday: str | None, saturday: str | None, sunday: str | None) -> bool:
    """True when at least one slot is met only through the practice's group or hub."""
    return Provision.THROUGH_GROUP in (weekday, saturday, sunday)


def compliance_label(*, weekday: str | None, saturday: str | None, sunday: str | None) -> str:
    """'Fully compliant (with its group)', 'Partially compliant', ... as shown on a return."""
    compliance = extended_access_compliance(weekday=weekday, saturday=saturday, sunday=sunday)
    label = str(compliance.label)
    if compliance != Compliance.NONE and relies_on_group(weekday=weekday, saturday=saturday, sunday=sunday):
        label += " (with its group)"
    return label
