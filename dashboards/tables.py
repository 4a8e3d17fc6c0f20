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
from portal.display import uk_date
from portal.exports import write_csv


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

    @property
    def numeric(self) -> bool:
        return self.kind not in (Kind.TEXT, Kind.DATE)

    def format(self, value: Any) -> str:
        return format_cell(value, self.kind, self.missing, metric=self.metric)

    def csv_value(self, value: Any) -> Any:
        """A metric's value to its definition's decimal places, as a number (0.40, 12); others as they are."""
        if self.kind != Kind.METRIC or value is None:
            return value
        return Decimal(f"{float(value):.{metric_definition(self.metric).decimals}f}")


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


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
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
        """The table as CSV, through ``portal.exports`` so that no text reaches a spreadsheet as a formula."""
        rows = [
            [c.csv_value(v) for v, c in zip(row, self.columns, strict=True)]
            for row in [*self.rows, *([self.total] if self.total is not None else [])]
        ]
        return write_csv([c.header for c in self.columns], rows, bom=False, convert=csv_cell).decode("utf-8")
