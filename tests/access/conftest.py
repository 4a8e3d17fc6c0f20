"""An access collection of Luton for October 2018 with a return for bob's practice, and the
answers of a complete, consistent return."""

import datetime as dt
from decimal import Decimal

import pytest

from access.compliance import Provision
from returns.services import collection_open

OCTOBER_2018 = dt.date(2018, 10, 1)


def good_answers(**changes) -> dict:
    """A month of a 9,500-patient practice: 3,420 appointments, 80.6 a week per 1,000 patients."""
    values = {
        "core_hours_open": Decimal("52.5"),
        "weekday_extended": Provision.AT_PRACTICE,
        "saturday_extended": Provision.THROUGH_GROUP,
        "sunday_extended": Provision.THROUGH_GROUP,
        "extended_access_minutes": 420,
        "appointments_face_to_face": 2700,
        "appointments_telephone": 600,
        "appointments_online": 40,
        "appointments_home_visit": 80,
        "appointments_gp": 1800,
        "appointments_nurse": 1200,
        "appointments_other_staff": 420,
        "appointments_dna": 150,
        "online_registration_percent": Decimal("28.5"),
        "eps_percent": Decimal("74.0"),
        "ers_percent": Decimal("96.2"),
        "online_consultation": True,
    }
    values.update(changes)
    return values


@pytest.fixture
def access_collection(luton, luton_practice, alice):
    return collection_open(
        ccg=luton,
        return_type="access-monthly",
        period_start=OCTOBER_2018,
        due_date=dt.date(2018, 11, 10),
        user=alice,
        practices=[luton_practice],
    )


@pytest.fixture
def access_return(access_collection):
    return access_collection.returns.get()
