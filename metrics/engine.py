"""The metrics engine: accepted returns and list sizes in, ``MetricValue`` rows out.

Everything is worked on whole columns with pandas: one frame row per accepted revision (a
practice's return for a period), its figures as columns; each metric is a pair of columns
(numerator, denominator); clusters, CCGs and STPs sum those columns by group. No Python
loop runs over practices or rows.

A return whose figures cannot be used (more DNAs than appointments, more staff aged 55 and
over than staff) is left out and reported in ``Outcome.problems``; the rest are computed all
the same. A return without a list size is reported too, and left out only of the metrics per
registered patient.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from queue import Full, Queue

import numpy as np
import pandas as pd
from django.db import connection
from django.utils import timezone

from practices.models import CCG, Cluster, ClusterMembership, Practice
from returns.models import period_label

from . import definitions as d
from . import sources, storage
from .models import Exclusion, Level, Outlier
from .sources import period_ends

logger = logging.getLogger(__name__)

#: At most this many problems are kept on a run; the count is kept in full.
MAX_PROBLEMS_KEPT = 500
#: A return without a list size has no per-head figure (its patients are NaN, so every metric that
#: divides by or sums patients leaves it out) but counts in every metric that needs none.
NO_LIST_SIZE = (
    "No list size: the return has no published or corrected list size, so it is left out of the metrics per "
    "registered patient (it still counts in those that need none, such as the DNA rate)."
)
DECILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]

Progress = Callable[[str], None]


@dataclass
class Outcome:
    values_written: int = 0
    problems: list[dict] = field(default_factory=list)
    problem_count: int = 0
    #: Seconds each step took, for the benchmark and the logs.
    timings: dict[str, float] = field(default_factory=dict)

    def report(self, frame: pd.DataFrame, reason: str, area: d.Area, codes: dict[int, str]) -> None:
        """Record the returns in ``frame`` (practice_id, frequency, period) as left out, and why."""
        self.problem_count += len(frame)
        room = MAX_PROBLEMS_KEPT - len(self.problems)
        for row in frame.head(max(room, 0)).itertuples():
            self.problems.append(
                {
                    "area": str(area),
                    "practice": codes.get(row.practice_id, str(row.practice_id)),
                    "period": period_label(row.frequency, row.period.date()),
                    "revision": int(row.revision_id),
                    "reason": reason,
                }
            )


# --- from figures to values ---------------------------------------------------------------


@dataclass
class Block:
    """One level's values of one area's metrics, a row per organisation and period.

    ``frame`` holds each row's keys: ``org_id``, ``frequency``, ``period``, and where they
    apply ``practice_id``, ``cluster_id``, ``ccg_id``, ``stp_id``, ``patients`` and
    ``source_revision`` (a practice's own return). ``metrics`` holds, per metric code, arrays
    aligned with the frame: ``numerator``, ``denominator``, ``count`` (returns counted; rows
    with none are not written), ``revisions`` (an aggregate's, as JSON text) and ``value``,
    then from ``benchmark`` the percentiles, ``decile``, ``outlier`` and ``exclusion``.

    Metrics stay columns until they are written: the percentiles of 15 metrics of 819,600
    monthly returns are one grouped rank over a frame of 819,600 rows, not over 12 million.
    """

    level: str
    frame: pd.DataFrame
    metrics: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)


def stored(values) -> np.ndarray:
    """Values as they are stored (``storage.VALUE_DECIMALS`` places). Percentiles, deciles and
    outliers are worked out on these, so that practices with equal stored values rank equal: 0.1 + 0.2
    FTE and 0.3 FTE differ in the last binary digit, not in any figure a reader sees."""
    return np.round(np.asarray(values, dtype="float64"), storage.VALUE_DECIMALS)


def _value(metric: d.Metric, numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Each row's value (as stored) from its numerator and denominator, by the metric's kind and scale."""
    if metric.kind == d.Kind.CHANGE:
        return stored(numerator - denominator)
    with np.errstate(divide="ignore", invalid="ignore"):
        return stored(np.where(denominator != 0, numerator / denominator * metric.scale, np.nan))


def _pairs(metrics: list[d.Metric]) -> set[tuple[str, str]]:
    parts = sources.parts()
    return {parts[m.code] for m in metrics if m.code in parts}


def _sum_by(frame: pd.DataFrame, keys: list[str], pairs: set[tuple[str, str]]) -> pd.DataFrame:
    """Sum each metric's numerator and denominator over the returns of each group, counting only
    returns that have both, and list those returns' revisions."""
    grouped_keys = [*keys, "frequency", "period"]
    base = frame[grouped_keys].drop_duplicates().set_index(grouped_keys)
    every_revision = None
    for numerator, denominator in sorted(pairs):
        complete = frame[numerator].notna() & frame[denominator].notna()
        both = frame[complete]
        if both.empty:
            base[numerator] = np.nan
            base[denominator] = np.nan
            base[f"count:{numerator}:{denominator}"] = 0
            base[f"revisions:{numerator}:{denominator}"] = "[]"
            continue
        groups = both.groupby(grouped_keys, sort=False)
        sums = groups[[numerator, denominator]].sum()
        for column in (numerator, denominator):
            base[column] = sums[column]
        base[f"count:{numerator}:{denominator}"] = groups.size()
        if complete.all() and every_revision is not None:
            base[f"revisions:{numerator}:{denominator}"] = every_revision
            continue
        revisions = both["revision_id"].astype("int64").astype(str)
        joined = "[" + revisions.groupby([both[k] for k in grouped_keys], sort=False).agg(",".join) + "]"
        base[f"revisions:{numerator}:{denominator}"] = joined
        if complete.all():
            every_revision = base[f"revisions:{numerator}:{denominator}"]
    base = base.reset_index()
    count_columns = [c for c in base.columns if c.startswith("count:")]
    base[count_columns] = base[count_columns].fillna(0).astype(int)
    return base


def _block(level: str, frame: pd.DataFrame, metrics: list[d.Metric], *, aggregate: bool) -> Block:
    """The metrics of ``level`` from a frame of summed (or a practice's own) figures."""
    block = Block(level=level, frame=frame)
    parts = sources.parts()
    for metric in metrics:
        if level not in metric.levels or metric.code not in parts:
            continue
        numerator_column, denominator_column = parts[metric.code]
        numerator = frame[numerator_column].to_numpy(dtype="float64")
        denominator = frame[denominator_column].to_numpy(dtype="float64")
        if aggregate:
            count = frame[f"count:{numerator_column}:{denominator_column}"].to_numpy()
        else:
            count = (~np.isnan(numerator) & ~np.isnan(denominator)).astype(int)
        block.metrics[metric.code] = {
            "numerator": numerator,
            "denominator": denominator,
            "count": count,
            "revisions": frame[f"revisions:{numerator_column}:{denominator_column}"].to_numpy() if aggregate else None,
            "value": _value(metric, numerator, denominator),
        }
    return block


@dataclass
class Hierarchy:
    """The organisations the engine sums practices into, read once per run."""

    stp_of_ccg: pd.Series  # ccg id -> stp id (or NaN)
    ccg_of_cluster: pd.Series
    memberships: pd.DataFrame  # practice_id, cluster_id, start_date, end_date
    practices: pd.DataFrame  # id, ods_code, status, close_date

    @classmethod
    def load(cls) -> Hierarchy:
        ccgs = pd.DataFrame.from_records(CCG.objects.values("id", "stp_id"), columns=["id", "stp_id"])
        clusters = pd.DataFrame.from_records(Cluster.objects.values("id", "ccg_id"), columns=["id", "ccg_id"])
        memberships = pd.DataFrame.from_records(
            ClusterMembership.objects.values("practice_id", "cluster_id", "start_date", "end_date"),
            columns=["practice_id", "cluster_id", "start_date", "end_date"],
        )
        memberships["start_date"] = pd.to_datetime(memberships["start_date"])
        memberships["end_date"] = pd.to_datetime(memberships["end_date"])
        practices = pd.DataFrame.from_records(
            Practice.objects.values("id", "ods_code", "status", "close_date"),
            columns=["id", "ods_code", "status", "close_date"],
        )
        practices["close_date"] = pd.to_datetime(practices["close_date"])
        return cls(
            stp_of_ccg=ccgs.set_index("id")["stp_id"],
            ccg_of_cluster=clusters.set_index("id")["ccg_id"],
            memberships=memberships,
            practices=practices,
        )

    @property
    def codes(self) -> dict[int, str]:
        return dict(zip(self.practices["id"], self.practices["ods_code"], strict=True))


def organisation_values(frame: pd.DataFrame, metrics: list[d.Metric], hierarchy: Hierarchy) -> list[Block]:
    """Every metric's values for practices, clusters, CCGs and STPs from one area's figures."""
    if frame.empty:
        return []
    pairs = _pairs(metrics)
    frame = frame.copy()
    frame["stp_id"] = frame["ccg_id"].map(hierarchy.stp_of_ccg)
    frame["org_id"] = frame["practice_id"]
    frame["source_revision"] = frame["revision_id"]
    blocks = [_block(Level.PRACTICE, frame, metrics, aggregate=False)]

    ccgs = _sum_by(frame, ["ccg_id"], pairs)
    ccgs["org_id"], ccgs["stp_id"] = ccgs["ccg_id"], ccgs["ccg_id"].map(hierarchy.stp_of_ccg)
    blocks.append(_block(Level.CCG, ccgs, metrics, aggregate=True))

    with_stp = frame[frame["stp_id"].notna()]
    if not with_stp.empty:
        stps = _sum_by(with_stp, ["stp_id"], pairs)
        stps["org_id"] = stps["stp_id"]
        blocks.append(_block(Level.STP, stps, metrics, aggregate=True))

    # A cluster sums the practices that were its members on the last day of each period.
    members = frame.drop(columns=["org_id"]).merge(hierarchy.memberships, on="practice_id", how="inner")
    if not members.empty:
        end = period_ends(members["period"], members["frequency"])
        current = (members["start_date"] <= end) & (members["end_date"].isna() | (members["end_date"] > end))
        members = members[current.to_numpy()]
    if not members.empty:
        clusters = _sum_by(members, ["cluster_id"], pairs)
        clusters["org_id"] = clusters["cluster_id"]
        clusters["ccg_id"] = clusters["cluster_id"].map(hierarchy.ccg_of_cluster)
        clusters["stp_id"] = clusters["ccg_id"].map(hierarchy.stp_of_ccg)
        blocks.append(_block(Level.CLUSTER, clusters, metrics, aggregate=True))
    return blocks


# --- benchmarking ---------------------------------------------------------------------------


def _percentiles(values: pd.DataFrame, keys: list) -> pd.DataFrame:
    """0 for the lowest value of each group, 100 for the highest, for every column at once; NaN is
    left out. Equal values share a percentile, that of the average of the ranks they span
    (``d.TIE_RULE``): of 1, 2, 2, 3 the two 2s are both at 50. ``values`` are stored values."""
    groups = values.groupby(keys, sort=False, dropna=False)
    ranks = groups.rank(method="average")
    counts = groups.transform("count")
    with np.errstate(divide="ignore", invalid="ignore"):
        return ((ranks - 1) / (counts - 1) * 100).where(counts > 1)


def percentile_among(value: float, values: list[float]) -> float | None:
    """``value``'s percentile among ``values`` (which hold it) by the rule of the stored percentiles,
    for a comparison group chosen when a page is read (practices of one deprivation decile)."""
    frame = pd.DataFrame({"value": stored(values)})
    percentiles = _percentiles(frame, [np.zeros(len(values), dtype=int)])["value"]
    matching = percentiles[frame["value"] == stored(value)]
    return None if matching.empty or pd.isna(matching.iloc[0]) else float(matching.iloc[0])


def _practice_exclusion(frame: pd.DataFrame, hierarchy: Hierarchy) -> np.ndarray:
    """Why each practice row is left out of the percentiles whatever the metric ('' if it is not)."""
    practices = hierarchy.practices.set_index("id")
    status = frame["practice_id"].map(practices["status"])
    close_date = frame["practice_id"].map(practices["close_date"])
    end = period_ends(frame["period"], frame["frequency"])
    closed = (close_date.notna() & (close_date <= end)) | ((status == Practice.Status.CLOSED) & close_date.isna())
    return np.select(
        [closed, status == Practice.Status.DORMANT, frame["patients"] < d.SMALL_LIST_SIZE],
        [Exclusion.CLOSED.value, Exclusion.DORMANT.value, Exclusion.SMALL_LIST.value],
        default=Exclusion.INCLUDED.value,
    ).astype(object)


def benchmark(blocks: list[Block], hierarchy: Hierarchy) -> pd.DataFrame:
    """Add percentiles, deciles, outliers and exclusions to every block; return the practices'
    deciles and Tukey fences per metric and period."""
    deciles = []
    for block in blocks:
        frame, size = block.frame, len(block.frame)
        base = _practice_exclusion(frame, hierarchy) if block.level == Level.PRACTICE else None
        eligible = {}
        for code, columns in block.metrics.items():
            columns["percentile_national"] = columns["percentile_in_ccg"] = np.full(size, np.nan)
            columns["decile"] = np.full(size, np.nan)
            columns["outlier"] = np.full(size, Outlier.NO.value, dtype=object)
            if not d.metric(code).benchmarked:
                columns["exclusion"] = np.full(size, Exclusion.NOT_BENCHMARKED.value, dtype=object)
                continue
            value = columns["value"]
            if base is None:
                columns["exclusion"] = np.full(size, Exclusion.INCLUDED.value, dtype=object)
            else:
                unused = np.where(np.isnan(value), Exclusion.NO_VALUE.value, Exclusion.INCLUDED.value)
                columns["exclusion"] = np.where(base != Exclusion.INCLUDED.value, base, unused).astype(object)
            eligible[code] = np.where(columns["exclusion"] == Exclusion.INCLUDED.value, value, np.nan)
        if not eligible:
            continue
        values = pd.DataFrame(eligible, index=frame.index)
        national = [frame["frequency"], frame["period"]]
        by_portal = _percentiles(values, national)
        by_ccg = None
        if block.level in (Level.PRACTICE, Level.CLUSTER):
            by_ccg = _percentiles(values, [*national, frame["ccg_id"].fillna(-1)])
        for code in values.columns:
            columns = block.metrics[code]
            columns["percentile_national"] = by_portal[code].to_numpy()
            columns["decile"] = np.clip(np.floor(columns["percentile_national"] / 10) + 1, 1, 10)
            if by_ccg is not None:
                columns["percentile_in_ccg"] = by_ccg[code].to_numpy()
        if block.level == Level.PRACTICE:
            deciles.append(_outliers(block, values))
    deciles = [piece for piece in deciles if not piece.empty]
    return pd.concat(deciles, ignore_index=True) if deciles else pd.DataFrame()


def _outliers(block: Block, values: pd.DataFrame) -> pd.DataFrame:
    """Flag practices beyond Tukey's fences of their metric and period; return the deciles."""
    grouping = block.frame.groupby(["frequency", "period"], sort=True)
    group_of_row = grouping.ngroup().to_numpy()
    groups = grouping.size().index
    grouped = values.groupby(group_of_row)
    quantiles = grouped.quantile([0.25, 0.75, *DECILES])
    counts = grouped.count().reindex(range(len(groups)), fill_value=0)
    pieces = []
    for code in values.columns:
        table = quantiles[code].unstack().reindex(range(len(groups)))
        iqr = table[0.75] - table[0.25]
        lower = (table[0.25] - 1.5 * iqr).to_numpy()
        upper = (table[0.75] + 1.5 * iqr).to_numpy()
        value = values[code].to_numpy()
        with np.errstate(invalid="ignore"):
            low, high = value < lower[group_of_row], value > upper[group_of_row]
        block.metrics[code]["outlier"] = np.select(
            [low, high], [Outlier.LOW.value, Outlier.HIGH.value], default=Outlier.NO.value
        ).astype(object)
        counted = counts[code].to_numpy()
        keep = counted > 0
        pieces.append(
            pd.DataFrame(
                {
                    "metric": code,
                    "frequency": groups.get_level_values(0)[keep],
                    "period": groups.get_level_values(1)[keep],
                    "lower_fence": lower[keep],
                    "upper_fence": upper[keep],
                    "practices_counted": counted[keep],
                    "deciles": table[DECILES].to_numpy()[keep].round(6).tolist(),
                }
            )
        )
    return pd.concat(pieces, ignore_index=True)


# --- one area, start to end ------------------------------------------------------------------


#: Parts computed ahead of the COPY at most (each holds about a million rows' arrays).
PARTS_AHEAD = 2


def _ahead(parts: Iterator, *, threaded: bool) -> Iterator:
    """The items of ``parts``, computed on a thread of their own (and its own database
    connection) up to ``PARTS_AHEAD`` ahead of the reader (a COPY), so that the client computes
    while the server writes. Not for use inside a transaction: the thread's connection would
    not see its data."""
    if not threaded:
        yield from parts
        return
    queue: Queue = Queue(maxsize=PARTS_AHEAD)
    stop = threading.Event()
    done = object()

    def hand_over(item) -> bool:
        """Put ``item`` on the queue unless the reader has stopped (it may never read again)."""
        while not stop.is_set():
            try:
                queue.put(item, timeout=1)
                return True
            except Full:
                continue
        return False

    def produce() -> None:
        try:
            for part in parts:
                if not hand_over(part):
                    return
            hand_over(done)
        except BaseException as error:  # handed to the reader, which raises it
            hand_over(error)
        finally:
            connection.close()

    worker = threading.Thread(target=produce, name="metrics-parts", daemon=True)
    worker.start()
    try:
        while (item := queue.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join()


def compute_area(
    area: d.Area,
    *,
    hierarchy: Hierarchy,
    outcome: Outcome,
    scope: dict[str, list[dt.date]] | None = None,
    progress: Progress = lambda step: None,
    target: storage.LiveTable | storage.ShadowTable | None = None,
) -> int:
    """Recompute one area's metrics (for the periods in ``scope``, or every period); return rows written.

    The area's source (``metrics.sources``) reads its accepted returns as figures, in the parts
    its ``loads`` says (a full recompute of access goes a year of periods at a time); with more
    than one part, each is computed on its own thread while the COPY of the one before it goes on
    (see ``_ahead``).
    """
    source = sources.source(area)
    metrics = list(d.of_area(area))
    own_target = target is None
    target = target or storage.LiveTable()
    periods = None if scope is None else {p for dates in scope.values() for p in dates}
    clock = {"read": 0.0, "compute": 0.0}

    def part(load_periods) -> tuple[list[Block], pd.DataFrame]:
        started = time.perf_counter()
        figures = source.figures(load_periods, outcome, hierarchy.codes)
        if scope is not None and not figures.empty:
            wanted = pd.MultiIndex.from_tuples(
                [(frequency, pd.Timestamp(p)) for frequency, dates in scope.items() for p in dates]
            )
            figures = figures[pd.MultiIndex.from_frame(figures[["frequency", "period"]]).isin(wanted)]
        computing = time.perf_counter()
        clock["read"] += computing - started
        blocks = organisation_values(figures, metrics, hierarchy)
        for extra in sources.extras(area):
            blocks += extra(figures, hierarchy)
        deciles = benchmark(blocks, hierarchy)
        clock["compute"] += time.perf_counter() - computing
        return blocks, deciles

    loads = source.loads(periods)
    threaded = len(loads) > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block
    progress(f"Reading accepted {area} returns")
    started = time.perf_counter()
    computed_at = timezone.now()
    decile_parts: list[pd.DataFrame] = []

    # Read before the COPY starts unless on a thread: the COPY holds this connection.
    parts = _ahead((part(load) for load in loads), threaded=True) if threaded else [part(load) for load in loads]

    def record_batches():
        for blocks, deciles in parts:
            decile_parts.append(deciles)
            yield from storage.batches(blocks, computed_at)

    # (No query may run on this connection while its COPY goes on: progress is noted before.)
    progress(f"Computing and writing {area} metric values" if threaded else f"Writing {area} metric values")

    written = target.write(record_batches(), metrics, scope)
    # Kept by the target and put in with the values when it finishes, never before them.
    target.write_deciles(decile_parts, metrics, scope, computed_at)
    if own_target:
        target.finish()
    progress(f"Wrote {written:,} {area} metric values")
    how = f"in {len(loads)} parts, beside the COPY" if threaded else "before the COPY"
    outcome.timings[f"Reading accepted {area} returns ({how})"] = clock["read"]
    outcome.timings[f"Computing {area} metrics ({how})"] = clock["compute"]
    outcome.timings[f"All of {area}: reading, computing and writing (wall time)"] = time.perf_counter() - started
    return written
