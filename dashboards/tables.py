"""The tables every dashboard shows: the numbers of each chart, for screen-reader users and as CSV.

A ``Table`` holds raw values (ints, Decimals, floats, dates, text); the page formats them
by the column's ``kind`` and the CSV download writes them plain, so a chart, its table and
its CSV all come from one list of rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import TextChoices

from metrics.definitions import metric as metric_definition
from portal import exports
from portal.display import uk_date


class Kind(TextChoices):
    TEXT = "text", "Text"
    COUNT = "count", "Whole number"
    PATIENTS = "patients", "Patients"
    POUNDS = "pounds", "Pounds"
    PERCENT = "percent", "Per cent"
    DECIMAL = "decimal", "Number to 1 decimal place"
    FTE = "fte", "FTE"
    METRIC = "metric", "A metric's value, to its definition's decimal places"
    DATE = "date", "Date"


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = Kind.TEXT
    missing: str = "Not known"
    #: The metric code of a ``Kind.METRIC`` column.
    metric: str = ""
    #: The date or period the column's figures refer to ("31 Dec 2018"), for the CSV's heading,
    #: which has no caption to say it.
    of: str = ""

    @property
    def numeric(self) -> bool:
        return self.kind not in (Kind.TEXT, Kind.DATE)

    def format(self, value: Any) -> str:
        return format_cell(value, self.kind, self.missing, metric=self.metric)

    def export_column(self) -> exports.Column:
        """The column of the CSV: its heading names the unit the page's cells show ('Allocated (£)'),
        its kind writes the value plain (a metric's value to its definition's decimal places)."""
        heading, notes = self.header, []
        unit = EXPORT_UNITS.get(self.kind)
        if unit and not any(word in heading.lower() for word in unit[1]):
            notes.append(unit[0])
        if self.of:
            notes.append(self.of)
        if notes:
            heading = f"{heading} ({', '.join(notes)})"
        if self.kind == Kind.METRIC:
            return exports.number(heading, metric_definition(self.metric).decimals)
        return EXPORT_KINDS[self.kind](heading)


#: The unit a CSV heading gains when it does not name it already (the words that count as naming it).
EXPORT_UNITS = {
    Kind.POUNDS: ("£", ("£", "pounds")),
    Kind.PERCENT: ("%", ("%", "per cent")),
    Kind.FTE: ("FTE", ("fte",)),
    Kind.PATIENTS: ("patients", ("patient",)),
}
EXPORT_KINDS = {
    Kind.TEXT: exports.text,
    Kind.COUNT: exports.integer,
    Kind.PATIENTS: exports.integer,
    Kind.POUNDS: exports.money,
    Kind.PERCENT: lambda heading: exports.number(heading, 1),
    Kind.DECIMAL: lambda heading: exports.number(heading, 1),
    Kind.FTE: lambda heading: exports.number(heading, 2),
    Kind.DATE: exports.date,
}


def metric_column(header: str, code: str) -> Column:
    """A column of one metric's values, shown to its definition's decimal places (its header names the unit)."""
    return Column(header, Kind.METRIC, metric=code)


def format_cell(value: Any, kind: str, missing: str = "Not known", *, metric: str = "") -> str:
    """How a value reads on the page: '£516,249.00', '9,500', '42.5%', '3.20 FTE'; a metric's value
    by ``Metric.format``."""
    if value is None or value == "":
        return missing if kind != Kind.TEXT else ""
    if kind == Kind.METRIC:
        return metric_definition(metric).format(float(value), unit=False)
    if kind == Kind.POUNDS:
        return f"£{Decimal(value):,.2f}" if value >= 0 else f"-£{-Decimal(value):,.2f}"
    if kind in (Kind.COUNT, Kind.PATIENTS):
        return f"{int(value):,}"
    if kind == Kind.PERCENT:
        return f"{float(value):,.1f}%"
    if kind == Kind.DECIMAL:
        return f"{float(value):,.1f}"
    if kind == Kind.FTE:
        return f"{Decimal(value):,.2f}"
    if kind == Kind.DATE and isinstance(value, dt.date):
        return uk_date(value)
    return str(value)


@dataclass
class Table:
    """A captioned table: the first column names each row (a ``<th scope="row">``)."""

    key: str
    caption: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    links: list[str | None] = field(default_factory=list)
    total: list[Any] | None = None
    empty: str = "Nothing to show for this period."

    def display_rows(self) -> list[dict]:
        """Each row as formatted cells, with the link of its first cell if it has one."""
        shown = []
        for index, row in enumerate(self.rows):
            shown.append(
                {
                    "cells": [(c.format(v), c.numeric) for v, c in zip(row, self.columns, strict=True)],
                    "link": self.links[index] if index < len(self.links) else None,
                }
            )
        return shown

    def display_total(self) -> list[tuple[str, bool]] | None:
        if self.total is None:
            return None
        return [(c.format(v), c.numeric) for v, c in zip(self.total, self.columns, strict=True)]

    def column(self, header: str) -> list[Any]:
        index = [c.header for c in self.columns].index(header)
        return [row[index] for row in self.rows]

    def to_csv(self) -> str:
        """The table as CSV, written by ``portal.exports``: the same raw values as the page, plain."""
        rows = [*self.rows, *([self.total] if self.total is not None else [])]
        return exports.write_csv([c.export_column() for c in self.columns], rows, bom=False).decode("utf-8")
