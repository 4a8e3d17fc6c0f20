"""The access area's returns as the metrics engine reads them (``metrics.sources``).

Each figure is the vectorised form of the area's own rule: extended access compliance is
``compliance.extended_access_compliance`` (all three slots full, one or two partial, none
none), appointments are ``figures.total_appointments`` (every mode answered), a week is
``portal.periods.weeks_in``. ``tests/metrics/test_sources.py`` checks the two agree on a return.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics import definitions as d
from metrics.engine import NO_LIST_SIZE, Outcome
from metrics.sources import (
    AreaSource,
    accepted_revisions,
    latest_per_practice,
    numbers,
    period_ends,
    read_frame,
    register,
    return_columns,
    tidy_returns,
)
from returns.models import Collection
from returns.registry import return_types

from . import figures as f
from .compliance import Provision
from .models import AccessReturn

#: A full recompute computes this many periods at a time, while PostgreSQL takes the previous
#: part's COPY (percentiles and outliers are per period, so parts are whole).
PERIODS_PER_PART = 12

PARTS: dict[str, tuple[str, str]] = {
    "extended_access_full": ("full", "one"),
    "extended_access_partial": ("partial", "one"),
    "extended_access_none": ("none", "one"),
    "extended_access_through_group": ("through_group", "one"),
    "extended_access_population_covered": ("patients_full", "patients"),
    "extended_access_minutes_per_1000": ("minutes", "patients"),
    "appointments_per_1000": ("appointments", "patient_weeks"),
    "appointments_face_to_face_share": ("appointments_face_to_face", "appointments"),
    "appointments_telephone_share": ("appointments_telephone", "appointments"),
    "appointments_online_share": ("appointments_online", "appointments"),
    "appointments_home_visit_share": ("appointments_home_visit", "appointments"),
    "dna_rate": ("appointments_dna", "appointments"),
    "online_registration": ("patients_online", "patients"),
    "eps_utilisation": ("patients_eps", "patients"),
    "ers_utilisation": ("patients_ers", "patients"),
}
OFFERED = {Provision.AT_PRACTICE.value, Provision.THROUGH_GROUP.value}


def access_return_types() -> list[str]:
    return [t.key for t in return_types() if getattr(t, "content_model", None) is AccessReturn]


def load_access(periods: set[dt.date] | None) -> pd.DataFrame:
    """One row per accepted access revision (of the given periods, or all)."""
    columns = return_columns("revision__")
    answers = (
        AccessReturn.objects.filter(accepted_revisions("revision__", access_return_types(), periods))
        .annotate(**columns)
        .values(
            "revision_id",
            *f.PROVISION_FIELDS,
            "extended_access_minutes",
            *f.MODE_FIELDS,
            "appointments_dna",
            *f.PERCENT_FIELDS,
            *columns.keys(),
        )  # fmt: skip
    )
    return tidy_returns(read_frame(answers))


def access_figures(answers: pd.DataFrame, outcome: Outcome, codes: dict[int, str]) -> pd.DataFrame:
    """One row per accepted access return with the columns its metrics are made of."""
    if answers.empty:
        return pd.DataFrame()
    frame = latest_per_practice(answers)
    modes = list(f.MODE_FIELDS)
    numbers(frame, [*modes, "appointments_dna", "extended_access_minutes", *f.PERCENT_FIELDS])
    frame["appointments"] = frame[modes].sum(axis=1, min_count=len(modes))

    outcome.report(frame[frame["patients"].isna()], NO_LIST_SIZE, d.Area.ACCESS, codes)
    unanswered = frame["appointments"].isna()
    outcome.report(frame[unanswered], "Appointments by mode are not all answered.", d.Area.ACCESS, codes)
    too_many = (frame["appointments_dna"] > frame["appointments"]) & ~unanswered
    outcome.report(frame[too_many], "More appointments not attended than appointments.", d.Area.ACCESS, codes)
    frame = frame[~unanswered & ~too_many].copy()

    slots = sum(frame[slot].isin(OFFERED).astype(int) for slot in f.PROVISION_FIELDS)
    through_group = sum(frame[slot].eq(Provision.THROUGH_GROUP.value).astype(int) for slot in f.PROVISION_FIELDS)
    frame["one"] = 1.0
    frame["full"] = (slots == len(f.PROVISION_FIELDS)).astype(float)
    frame["partial"] = slots.between(1, len(f.PROVISION_FIELDS) - 1).astype(float)
    frame["none"] = (slots == 0).astype(float)
    frame["through_group"] = ((through_group > 0) & (slots > 0)).astype(float)
    frame["patients_full"] = frame["patients"] * frame["full"]
    frame["minutes"] = frame["extended_access_minutes"]
    weeks = ((period_ends(frame["period"], frame["frequency"]) - frame["period"]).dt.days + 1) / 7
    frame["patient_weeks"] = frame["patients"] * weeks
    frame["patients_online"] = frame["patients"] * frame["online_registration_percent"] / 100
    frame["patients_eps"] = frame["patients"] * frame["eps_percent"] / 100
    frame["patients_ers"] = frame["patients"] * frame["ers_percent"] / 100
    return frame


def loads(periods: set[dt.date] | None) -> list[set[dt.date] | None]:
    """Every access period at once would hold some 13 million rows' arrays: a full recompute
    goes ``PERIODS_PER_PART`` periods at a time instead."""
    if periods is not None:
        return [periods]
    starts = sorted(
        set(
            Collection.objects.filter(return_type__in=access_return_types())
            .order_by()
            .values_list("period_start", flat=True)
            .distinct()
        )
    )
    size = PERIODS_PER_PART
    return [set(starts[i : i + size]) for i in range(0, len(starts), size)] or [None]


def figures(periods: set[dt.date] | None, outcome: Outcome, codes: dict[int, str]) -> pd.DataFrame:
    return access_figures(load_access(periods), outcome, codes)


register(AreaSource(area=d.Area.ACCESS, figures=figures, parts=PARTS, loads=loads))
