"""Extended access compliance: all three slots (alone or with the group) is full, one or two partial, none none."""

import pytest

from access.compliance import Compliance, Provision, compliance_label, extended_access_compliance, relies_on_group

PRACTICE, GROUP, NO = Provision.AT_PRACTICE, Provision.THROUGH_GROUP, Provision.NOT_OFFERED


@pytest.mark.parametrize(
    ("weekday", "saturday", "sunday", "expected"),
    [
        (PRACTICE, PRACTICE, PRACTICE, Compliance.FULL),
        (PRACTICE, GROUP, GROUP, Compliance.FULL),
        (GROUP, GROUP, GROUP, Compliance.FULL),
        (PRACTICE, PRACTICE, NO, Compliance.PARTIAL),
        (NO, GROUP, NO, Compliance.PARTIAL),
        (PRACTICE, NO, NO, Compliance.PARTIAL),
        (NO, NO, NO, Compliance.NONE),
    ],
)
def test_compliance_counts_slots_offered_at_the_practice_or_through_its_group(weekday, saturday, sunday, expected):
    assert extended_access_compliance(weekday=weekday, saturday=saturday, sunday=sunday) == expected


def test_an_unanswered_slot_counts_as_not_offered():
    assert extended_access_compliance(weekday=PRACTICE, saturday=PRACTICE, sunday=None) == Compliance.PARTIAL
    assert extended_access_compliance(weekday=None, saturday=None, sunday=None) == Compliance.NONE


def test_a_practice_meeting_weekends_through_its_hub_is_fully_compliant_with_its_group():
    assert relies_on_group(weekday=PRACTICE, saturday=GROUP, sunday=GROUP)
    assert compliance_label(weekday=PRACTICE, saturday=GROUP, sunday=GROUP) == "Fully compliant (with its group)"


def test_a_practice_meeting_every_slot_itself_is_fully_compliant_alone():
    assert not relies_on_group(weekday=PRACTICE, saturday=PRACTICE, sunday=PRACTICE)
    assert compliance_label(weekday=PRACTICE, saturday=PRACTICE, sunday=PRACTICE) == "Fully compliant"


def test_non_compliance_never_says_with_its_group():
    assert compliance_label(weekday=NO, saturday=NO, sunday=NO) == "Not compliant"
    assert compliance_label(weekday=NO, saturday=GROUP, sunday=NO) == "Partially compliant (with its group)"
