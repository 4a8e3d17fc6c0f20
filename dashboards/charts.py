"""Plotly figures of the dashboards, each drawn from the ``Table`` shown beside it.

A figure is built in Python and passed to the page as JSON (``json_script``), where
``static/js/charts.js`` draws it: the CSP forbids inline scripts. Titles carry the unit,
the period and the date of the data; the table beside each chart has the same numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import plotly.graph_objects as go

from portal.charts import BASE_LAYOUT, BLUE, DARK_GREY

from .tables import Kind, Table

LAYOUT = {
    **BASE_LAYOUT,
    "height": 360,
    "margin": {"l": 220, "r": 30, "t": 70, "b": 110},
    "legend": {"orientation": "h", "y": -0.3, "yanchor": "top"},
}


@dataclass
class Chart:
    """A chart on a page: its figure as JSON and the words a screen reader hears instead."""

    key: str
    title: str
    figure_json: str
    description: str
    table_key: str
    summary: str = ""  # what the figures show, in words (portal.chart_summary), printed beside the chart

    @property
    def element_id(self) -> str:
        return f"chart-{self.key}-data"


def column_format(table: Table, header: str):
    """How the table writes a figure of the column ``header``, for the chart's summary to match it."""
    return table.columns[[c.header for c in table.columns].index(header)].format


def _number(value) -> float | None:
    return None if value is None else float(value)  # plotly needs numbers; the table has the exact figure


def _title(title: str, as_at: str) -> dict:
    return {"text": f"{title}<br><sup>{as_at}</sup>", "x": 0, "xanchor": "left"}


def _layout(title: str, as_at: str, rows: int, **extra) -> dict:
    height = max(LAYOUT["height"], 120 + 32 * rows)
    return {**LAYOUT, "height": height, "title": _title(title, as_at), **extra}


def stacked_bars(table: Table, *, series: list[tuple[str, str]], title: str, as_at: str, unit: str) -> go.Figure:
    """Horizontal stacked bars: one bar per row of ``table``, one segment per column in ``series``."""
    names = [row[0] for row in table.rows]
    fig = go.Figure()
    for header, colour in series:
        fig.add_trace(
            go.Bar(
                y=names,
                x=[_number(v) for v in table.column(header)],
                name=header,
                orientation="h",
                marker={"color": colour},
                hovertemplate="%{y}<br>" + header + ": %{x:,}<extra></extra>",
            )
        )
    fig.update_layout(
        **_layout(title, as_at, len(names)),
        barmode="stack",
        # Whole things (actions, returns) counted: ticks at whole numbers, never "0.5".
        xaxis={
            "title": {"text": unit},
            "rangemode": "tozero",
            "separatethousands": True,
            "tickformat": ",d",
            "dtick": _whole_step(table, series),
        },
        yaxis={"autorange": "reversed", "type": "category"},
    )
    return fig


def _whole_step(table: Table, series: list[tuple[str, str]]) -> int:
    """A whole-number tick step giving at most about eight ticks for the longest stacked bar."""
    longest = max(
        (sum(_number(table.column(h)[i]) or 0 for h, _c in series) for i in range(len(table.rows))), default=0
    )
    return max(1, math.ceil(longest / 8))


def grouped_bars(
    table: Table,
    *,
    series: list[tuple[str, str]],
    title: str,
    as_at: str,
    unit: str,
    prefix: str = "",
    reference: tuple[float, str] | None = None,
    below: str | None = None,
) -> go.Figure:
    """Horizontal bars, one group per row, one bar per column in ``series``; an optional reference
    line. With ``below`` (a colour), a bar short of the reference is drawn in it, and its hover
    text says so (the summary and the table say it in words too)."""
    names = [row[0] for row in table.rows]
    fig = go.Figure()
    for header, colour in series:
        values = table.column(header)
        column = table.columns[[c.header for c in table.columns].index(header)]
        short = [
            below is not None and reference is not None and v is not None and float(v) < reference[0] for v in values
        ]
        # A metric's hover text is its table cell (its definition's decimal places), not plotly's own rounding.
        if column.kind == Kind.METRIC:
            cells = [column.format(v) for v in values]
        else:
            cells = ["" if v is None else f"{prefix}{float(v):,.2f}" for v in values]
        fig.add_trace(
            go.Bar(
                y=names,
                x=[_number(v) for v in values],
                name=header,
                orientation="h",
                marker={"color": [below if is_short else colour for is_short in short] if below else colour},
                customdata=[f"{cell} (below the {reference[1].split(':')[0].lower()})" if is_short else cell
                            for cell, is_short in zip(cells, short, strict=True)],
                hovertemplate="%{y}<br>" + header + ": %{customdata}<extra></extra>",
            )
        )  # fmt: skip
    if reference is not None:
        _reference_line(fig, *reference)
    fig.update_layout(
        **_layout(title, as_at, len(names) * max(1, len(series) // 2)),
        barmode="group",
        xaxis={"title": {"text": unit}, "rangemode": "tozero", "tickprefix": prefix, "separatethousands": True},
        yaxis={"autorange": "reversed", "type": "category"},
    )
    return fig


def _reference_line(fig: go.Figure, value: float, label: str) -> None:
    """A dashed vertical line, labelled above the plot so that the label never sits on a bar."""
    fig.add_vline(
        x=value,
        line={"dash": "dash", "color": DARK_GREY},
        annotation_text=label,
        annotation_position="top",
        annotation={"yshift": 4},
    )


def coloured_bars(
    names: list[str], values: list, colours: list[str], *, title: str, as_at: str, unit: str, reference=None
) -> go.Figure:
    """Horizontal bars each in its own colour (green on track, red off track), with a reference line."""
    fig = go.Figure(
        go.Bar(
            y=names,
            x=[_number(v) for v in values],
            orientation="h",
            marker={"color": colours},
            hovertemplate="%{y}: %{x:,.1f}<extra></extra>",
            showlegend=False,
        )
    )
    if reference is not None:
        _reference_line(fig, *reference)
    fig.update_layout(
        **_layout(title, as_at, len(names)),
        xaxis={"title": {"text": unit}, "rangemode": "tozero"},
        yaxis={"autorange": "reversed", "type": "category"},
    )
    return fig


def line_chart(dates: list, values: list, *, name: str, title: str, as_at: str, unit: str) -> go.Figure:
    fig = go.Figure(
        go.Scatter(x=dates, y=[_number(v) for v in values], name=name, mode="lines+markers", line={"color": BLUE})
    )
    fig.update_layout(
        **{**LAYOUT, "margin": {"l": 70, "r": 30, "t": 60, "b": 50}, "title": _title(title, as_at), "height": 320},
        xaxis={"title": {"text": "Extract date"}},
        yaxis={"title": {"text": unit}, "rangemode": "tozero", "separatethousands": True},
        showlegend=False,
    )
    return fig
