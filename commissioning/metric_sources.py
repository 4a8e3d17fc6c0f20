"""Each CCG's GP and clinical FTE against its plan's trajectory: blocks the metrics engine adds to
the workforce area's (``metrics.sources.extend``), worked out from the same returns' figures."""

from __future__ import annotations

import pandas as pd
from django.db.models import F

from metrics import definitions as d
from metrics.engine import Block, Hierarchy, stored
from metrics.models import Level
from metrics.sources import extend

from .models import Trajectory, TrajectoryPoint

#: Each trajectory metric, and the starts of the trajectory measures it compares with.
TRAJECTORY_MEASURES = {
    "gp_fte_against_trajectory": ("gp fte", "gps in post"),
    "clinical_fte_against_trajectory": ("clinical fte", "clinical staff in post"),
}


def trajectory_values(frame: pd.DataFrame, hierarchy: Hierarchy) -> list[Block]:
    """Each CCG's GP and clinical FTE against the FTE its plan's trajectory planned for the quarter."""
    if frame.empty:
        return []
    points = pd.DataFrame.from_records(
        TrajectoryPoint.objects.filter(trajectory__unit=Trajectory.Unit.FTE, planned__isnull=False).values(
            "period", "planned", measure=F("trajectory__measure"), ccg_id=F("trajectory__action__plan__ccg_id")
        ),
        columns=["period", "planned", "measure", "ccg_id"],
    )
    if points.empty:
        return []
    points["period"] = pd.to_datetime(points["period"])
    points["planned"] = points["planned"].astype(float)
    measure = points["measure"].str.strip().str.lower()
    sums = frame.groupby(["ccg_id", "frequency", "period"]).agg(
        fte_gp=("fte_gp", "sum"), fte_clinical=("fte_clinical", "sum"), practices_counted=("revision_id", "size")
    )
    revisions = frame["revision_id"].astype("int64").astype(str)
    sums["source_revisions"] = (
        "[" + revisions.groupby([frame["ccg_id"], frame["frequency"], frame["period"]]).agg(",".join) + "]"
    )  # noqa: E501
    sums = sums.reset_index()
    blocks = []
    for code, prefixes in TRAJECTORY_MEASURES.items():
        chosen = points[measure.str.startswith(prefixes)]
        planned = chosen.groupby(["ccg_id", "period"], as_index=False)["planned"].sum()
        column = "fte_gp" if code.startswith("gp_") else "fte_clinical"
        piece = sums.merge(planned, on=["ccg_id", "period"], how="inner")
        if piece.empty:
            continue
        piece["org_id"] = piece["ccg_id"]
        piece["stp_id"] = piece["ccg_id"].map(hierarchy.stp_of_ccg)
        numerator = piece[column].to_numpy(dtype="float64")
        denominator = piece["planned"].to_numpy(dtype="float64")
        block = Block(level=Level.CCG, frame=piece)
        block.metrics[code] = {
            "numerator": numerator,
            "denominator": denominator,
            "count": piece["practices_counted"].to_numpy(),
            "revisions": piece["source_revisions"].to_numpy(),
            "value": stored(numerator - denominator),
        }
        blocks.append(block)
    return blocks


extend(d.Area.WORKFORCE, trajectory_values)
