"""Plausible access return figures for the demo, the same every time for the same practice and period.

Rates are roughly those NHS Digital's Appointments in General Practice published for
2018/19: about 75 appointments a week per 1,000 registered patients, four in five face
to face, half with a GP, about one in twenty not attended.
"""

from __future__ import annotations

import random
from decimal import Decimal

from .compliance import Provision


def demo_figures(*, ods_code: str, period_start, list_size: int, weeks: float, hub_weekends: bool) -> dict:
    """The answers a practice of ``list_size`` patients might give for a period of ``weeks``.

    ``hub_weekends``: the practice is in a Primary Care Home or network, whose hub nearly
    always runs the weekends; other practices often use a CCG-wide hub.
    """
    rng = random.Random(f"{ods_code}:{period_start:%Y-%m}")  # noqa: S311 - demo data, not security
    total = round(list_size / 1000 * weeks * rng.uniform(60, 90))
    telephone = round(total * rng.uniform(0.10, 0.22))
    online = round(total * rng.uniform(0.0, 0.02))
    home = round(total * rng.uniform(0.005, 0.015))
    face_to_face = total - telephone - online - home
    gp = round(total * rng.uniform(0.45, 0.6))
    nurse = round(total * rng.uniform(0.25, 0.35))
    other = total - gp - nurse
    weekday = rng.choices([Provision.AT_PRACTICE, Provision.THROUGH_GROUP, Provision.NOT_OFFERED], [70, 15, 15])[0]
    # By 2018 most CCGs had commissioned weekend hubs; a Primary Care Home or network almost always ran one.
    if rng.random() < (0.95 if hub_weekends else 0.6):
        weekend = sunday = Provision.THROUGH_GROUP
    else:
        weekend = rng.choice([Provision.AT_PRACTICE, Provision.NOT_OFFERED])
        sunday = Provision.NOT_OFFERED
    offered = any(p != Provision.NOT_OFFERED for p in (weekday, weekend, sunday))
    minutes = round(list_size / 1000 * rng.uniform(25, 50) / 15) * 15 if offered else 0
    return {
        "core_hours_open": Decimal("52.5") if rng.random() > 0.15 else Decimal("49.0"),
        "weekday_extended": weekday,
        "saturday_extended": weekend,
        "sunday_extended": sunday,
        "extended_access_minutes": minutes,
        "appointments_face_to_face": face_to_face,
        "appointments_telephone": telephone,
        "appointments_online": online,
        "appointments_home_visit": home,
        "appointments_gp": gp,
        "appointments_nurse": nurse,
        "appointments_other_staff": other,
        "appointments_dna": round(total * rng.uniform(0.03, 0.07)),
        "online_registration_percent": Decimal(str(round(rng.uniform(15, 40), 1))),
        "eps_percent": Decimal(str(round(rng.uniform(55, 90), 1))),
        "ers_percent": Decimal(str(round(rng.uniform(85, 100), 1))),
        "online_consultation": rng.random() > 0.6,
    }
