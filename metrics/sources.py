"""What the engine reads, area by area: each area registers an ``AreaSource`` in its own
``<app>/metric_sources.py`` (found at start-up by ``MetricsConfig.ready``, as return types are
by ``ReturnsConfig.ready``). The engine knows no area: it asks each source for one frame row per
accepted return with the columns its metrics are made of, and sums those.

Also here: the helpers a source reads accepted returns with (``accepted_revisions``,
``return_columns``, ``tidy_returns``, ``read_frame``), so that every area reads them one way.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd
from django.db import connection
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from portal.registry import Registry
from returns.models import Frequency, Revision, period_end
from returns.registry import UnknownReturnType, return_type

from . import definitions as d

if TYPE_CHECKING:
    from .engine import Block, Hierarchy, Outcome

#: The figures of one area: (periods to read, or None for all; outcome; practice codes) -> frame.
Figures = Callable[[set[dt.date] | None, "Outcome", dict[int, str]], pd.DataFrame]
#: Further blocks made from an area's figures (a CCG's FTE against its plan's trajectory).
Extra = Callable[[pd.DataFrame, "Hierarchy"], "list[Block]"]


@dataclass
class AreaSource:
    """One area's returns, as the engine reads them.

    ``parts`` maps each metric code to its (numerator column, denominator column) of the
    figures. ``loads(periods)`` says how a recompute reads: a list of period sets, each read,
    computed and written on its own (None: every period in one go).
    """

    area: d.Area
    figures: Figures
    parts: dict[str, tuple[str, str]]
    loads: Callable[[set[dt.date] | None], list[set[dt.date] | None]] = lambda periods: [periods]
    extras: list[Extra] = field(default_factory=list)


_sources: Registry[d.Area, AreaSource] = Registry("metric source", same=lambda s: s.figures.__qualname__)
_extras: dict[d.Area, list[Extra]] = {}


def register(source: AreaSource) -> AreaSource:
    return _sources.add(source.area, source)


def extend(area: d.Area, extra: Extra) -> Extra:
    """Add blocks worked out from ``area``'s figures by another app (commissioning's trajectories)."""
    extras = _extras.setdefault(area, [])
    if all(e.__qualname__ != extra.__qualname__ for e in extras):
        extras.append(extra)
    return extra


def source(area: d.Area) -> AreaSource:
    return _sources[d.Area(area)]


def extras(area: d.Area) -> list[Extra]:
    return list(_extras.get(d.Area(area), []))


def parts() -> dict[str, tuple[str, str]]:
    """Every registered metric's (numerator column, denominator column)."""
    return {code: pair for s in _sources.values() for code, pair in s.parts.items()}


# --- reading accepted returns ---------------------------------------------------------------


def read_frame(queryset) -> pd.DataFrame:
    """The rows of a ``values()`` queryset as a frame; on PostgreSQL through COPY, which is
    several times faster than fetching rows through the driver."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            query = cursor.mogrify(sql, params).decode()
            buffer = io.StringIO()
            cursor.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER true)", buffer)
            buffer.seek(0)
            return pd.read_csv(buffer)
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return pd.DataFrame.from_records(cursor.fetchall(), columns=names)


def numbers(frame: pd.DataFrame, columns) -> None:
    """Make ``columns`` of ``frame`` floats in place (NaN where not a number)."""
    for column in columns:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")


def period_ends(periods: pd.Series, frequency: pd.Series) -> pd.Series:
    """The last day of each period (``portal.periods.period_end``)."""
    # Millions of rows but a few hundred distinct periods: work each out once, then look it up.
    keys = pd.MultiIndex.from_arrays([periods, frequency])
    distinct = keys.unique()
    ends = pd.Series(
        pd.to_datetime([period_end(kind, pd.Timestamp(start).date()) for start, kind in distinct]), index=distinct
    )
    return pd.Series(ends.reindex(keys).to_numpy(), index=periods.index)


def latest_per_practice(frame: pd.DataFrame) -> pd.DataFrame:
    """One return per practice and period: the latest accepted revision if two CCGs collected it."""
    frame = frame.sort_values("revision_id")
    return frame.drop_duplicates(["practice_id", "frequency", "period"], keep="last")


def accepted_revisions(prefix: str, return_types, periods: set[dt.date] | None) -> Q:
    """Accepted revisions of ``return_types`` (of ``periods``, or all), through ``prefix``."""
    condition = Q(**{f"{prefix}status": Revision.Status.ACCEPTED}) & Q(
        **{f"{prefix}ret__collection__return_type__in": list(return_types)}
    )
    if periods is not None:
        condition &= Q(**{f"{prefix}ret__collection__period_start__in": sorted(periods)})
    return condition


def return_columns(prefix: str) -> dict:
    """The columns every source reads of a return: practice, CCG, period, type and list size."""
    return {
        "practice_id_": F(f"{prefix}ret__practice_id"),
        "ccg_id_": F(f"{prefix}ret__collection__ccg_id"),
        "period": F(f"{prefix}ret__collection__period_start"),
        "return_type": F(f"{prefix}ret__collection__return_type"),
        "patients": Coalesce(f"{prefix}list_size_correction", f"{prefix}published_list_size"),
    }


def frequency_of(return_type_key: str) -> str:
    """How often returns of a type are collected (quarterly for a type no longer registered)."""
    try:
        return str(return_type(return_type_key).frequency)
    except UnknownReturnType:
        return Frequency.QUARTERLY


def tidy_returns(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame read with ``return_columns``: plain names, dates, each return's frequency, numbers."""
    frame = frame.rename(columns={"practice_id_": "practice_id", "ccg_id_": "ccg_id"})
    frame["period"] = pd.to_datetime(frame["period"])
    kinds = {key: frequency_of(key) for key in frame["return_type"].unique()}
    frame["frequency"] = frame["return_type"].map(kinds).astype(str)
    numbers(frame, ["patients"])
    return frame
