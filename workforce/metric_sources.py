"""The workforce area's returns as the metrics engine reads them (``metrics.sources``): one row
per accepted return, its lines summed by staff group (``models.ROLE_GROUP``)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from metrics import definitions as d
from metrics.engine import NO_LIST_SIZE, Outcome
from metrics.sources import (
    AreaSource,
    accepted_revisions,
    latest_per_practice,
    numbers,
    read_frame,
    register,
    return_columns,
    tidy_returns,
)

from .models import ROLE_GROUP, StaffGroup, WorkforceLine

PARTS: dict[str, tuple[str, str]] = {
    "gp_fte_per_1000": ("fte_gp", "patients"),
    "nurse_fte_per_1000": ("fte_nurse", "patients"),
    "dpc_fte_per_1000": ("fte_dpc", "patients"),
    "admin_fte_per_1000": ("fte_admin", "patients"),
    "patients_per_gp_fte": ("patients", "fte_gp"),
    "gp_aged_55_plus": ("aged_gp", "headcount_gp"),
    "nurse_aged_55_plus": ("aged_nurse", "headcount_nurse"),
    "vacancy_rate": ("vacant_fte", "establishment_fte"),
    "gp_fte_change": ("fte_gp_with_baseline", "baseline_fte_gp"),
    "clinical_fte_change": ("fte_clinical_with_baseline", "baseline_fte_clinical"),
}


def load_workforce(periods: set[dt.date] | None) -> pd.DataFrame:
    """One row per role per accepted workforce revision (of the given periods, or all)."""
    columns = return_columns("revision__")
    lines = (
        WorkforceLine.objects.filter(accepted_revisions("revision__", ["workforce"], periods))
        .annotate(**columns)
        .values("revision_id", "role", "headcount", "fte", "age_55_59", "age_60_plus", "vacant_fte", *columns.keys())
    )
    return tidy_returns(read_frame(lines))


def workforce_figures(lines: pd.DataFrame, outcome: Outcome, codes: dict[int, str]) -> pd.DataFrame:
    """One row per accepted workforce return with the columns its metrics are made of."""
    if lines.empty:
        return pd.DataFrame()
    numbers(lines, ["headcount", "fte", "age_55_59", "age_60_plus", "vacant_fte"])
    lines["group"] = lines["role"].map(ROLE_GROUP).astype(str)
    lines["aged"] = lines["age_55_59"] + lines["age_60_plus"]
    by_group = lines.groupby(["revision_id", "group"])[["fte", "headcount", "aged"]].sum().unstack(fill_value=0.0)
    by_group.columns = [f"{name}_{group}" for name, group in by_group.columns]
    for name in ("fte", "headcount", "aged"):
        for group in StaffGroup.values:
            if f"{name}_{group}" not in by_group:
                by_group[f"{name}_{group}"] = 0.0
    totals = lines.groupby("revision_id").agg(fte=("fte", "sum"), vacant_fte=("vacant_fte", "sum"))
    returns = lines.drop_duplicates("revision_id").set_index("revision_id")[
        ["practice_id", "ccg_id", "period", "frequency", "patients"]
    ]
    frame = returns.join(by_group).join(totals).reset_index()
    frame = latest_per_practice(frame)

    outcome.report(frame[frame["patients"].isna()], NO_LIST_SIZE, d.Area.WORKFORCE, codes)
    too_old = (frame["aged_gp"] > frame["headcount_gp"]) | (frame["aged_nurse"] > frame["headcount_nurse"])
    outcome.report(frame[too_old], "More staff aged 55 and over than staff in the group.", d.Area.WORKFORCE, codes)
    frame = frame[~too_old].copy()

    frame["fte_clinical"] = frame["fte_gp"] + frame["fte_nurse"] + frame["fte_dpc"]
    frame["establishment_fte"] = frame["fte"] + frame["vacant_fte"]
    baseline = frame.loc[frame["period"] == pd.Timestamp(d.BASELINE_PERIOD), ["practice_id", "fte_gp", "fte_clinical"]]
    baseline = baseline.rename(columns={"fte_gp": "baseline_fte_gp", "fte_clinical": "baseline_fte_clinical"})
    frame = frame.merge(baseline, on="practice_id", how="left")
    before = frame["period"] < pd.Timestamp(d.BASELINE_PERIOD)
    frame.loc[before, ["baseline_fte_gp", "baseline_fte_clinical"]] = np.nan
    has_baseline = frame["baseline_fte_gp"].notna()
    frame["fte_gp_with_baseline"] = frame["fte_gp"].where(has_baseline)
    frame["fte_clinical_with_baseline"] = frame["fte_clinical"].where(has_baseline)
    return frame


def loads(periods: set[dt.date] | None) -> list[set[dt.date] | None]:
    """One read: the change metrics need the baseline quarter beside any period."""
    return [None if periods is None else periods | {d.BASELINE_PERIOD}]


def figures(periods: set[dt.date] | None, outcome: Outcome, codes: dict[int, str]) -> pd.DataFrame:
    return workforce_figures(load_workforce(periods), outcome, codes)


register(AreaSource(area=d.Area.WORKFORCE, figures=figures, parts=PARTS, loads=loads))
