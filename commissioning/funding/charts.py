"""Plotly figures for the funding pages. Each page shows the same figures in a table beside
the chart; ``static/js/charts.js`` draws them from JSON, as the CSP forbids inline scripts."""

from __future__ import annotations

from decimal import Decimal

import plotly.graph_objects as go

from portal import chart_summary, charts
from portal.money import pounds

from .selectors import SummaryRow

SERIES = (
    ("allocated", "Allocated", charts.BLUE),
    ("committed", "Committed", charts.ORANGE),
    ("spent", "Spent", charts.LIGHT_GREEN),
)
LAYOUT = {
    **charts.BASE_LAYOUT,
    "height": 340,
    "margin": {"l": 80, "r": 20, "t": 30, "b": 90},
    "legend": {"orientation": "h", "y": 1.12},
}


def _pounds(value: Decimal) -> float:
    return float(value)  # plotly needs numbers; the table beside the chart has the exact pence


def summary_figure(rows: list[SummaryRow], *, by: str) -> go.Figure:
    """Allocated, committed and spent as grouped bars, one group per stream (``by='stream'``) or year."""
    labels = [row.stream.label if by == "stream" else row.year_label for row in rows]
    fig = go.Figure()
    for attribute, name, colour in SERIES:
        values = [_pounds(getattr(row, attribute)) for row in rows]
        fig.add_trace(
            go.Bar(
                x=labels,
                y=values,
                name=name,
                marker={"color": colour},
                hovertemplate="%{x}<br>" + name + ": £%{y:,.2f}<extra></extra>",
            )
        )
    fig.update_layout(
        **LAYOUT,
        barmode="group",
        xaxis={"title": {"text": "Stream" if by == "stream" else "Financial year"}, "type": "category"},
        yaxis={"title": {"text": "£"}, "tickprefix": "£", "rangemode": "tozero", "separatethousands": True},
    )
    return fig


def distribution_figure(values: list[Decimal], *, highlight: Decimal | None, highlight_name: str) -> go.Figure:
    """Payments per registered patient of a CCG's practices as a box with every practice shown, and one marked."""
    fig = go.Figure()
    fig.add_trace(
        go.Box(
            x=[_pounds(v) for v in values],
            name="Practices in the CCG",
            boxpoints="all",
            jitter=0.4,
            pointpos=0,
            marker={"color": charts.GREY},
            line={"color": charts.DARK_GREY},
            hovertemplate="£%{x:,.2f} per patient<extra></extra>",
        )
    )
    if highlight is not None:
        fig.add_trace(
            go.Scatter(
                x=[_pounds(highlight)],
                y=["Practices in the CCG"],
                mode="markers",
                name=highlight_name,
                marker={"color": charts.RED, "size": 14, "symbol": "diamond"},
                hovertemplate=highlight_name + ": £%{x:,.2f} per patient<extra></extra>",
            )
        )
    fig.update_layout(
        **{**LAYOUT, "height": 260, "margin": {"l": 40, "r": 20, "t": 30, "b": 50}},
        xaxis={"title": {"text": "NHS payments per registered patient (£)"}, "tickprefix": "£"},
        yaxis={"showticklabels": False},
        showlegend=True,
    )
    return fig


def summary_text(rows: list[SummaryRow], *, by: str) -> str:
    """The chart's figures in words: the totals, the stream (or year) with most allocated, and what is
    left to commit."""
    labels = [row.stream.label if by == "stream" else row.year_label for row in rows]
    text = chart_summary.totals(
        [(name, [getattr(row, attribute) for row in rows]) for attribute, name, _colour in SERIES], format=pounds
    )
    if len(rows) > 1:
        most = max(range(len(rows)), key=lambda index: rows[index].allocated)
        text += f" Most allocated: {labels[most]}, {pounds(rows[most].allocated)}."
    allocated = sum((row.allocated for row in rows if row.has_allocation), Decimal(0))
    if allocated:
        committed = sum((row.committed for row in rows if row.has_allocation), Decimal(0))
        text += f" {pounds(allocated - committed)} of the allocations is left to commit."
    return text


def distribution_text(values: list[Decimal], *, highlight: Decimal | None, highlight_name: str) -> str:
    """Where the practice stands among the CCG's practices, in payments per registered patient."""
    ordered = sorted(values)
    text = (
        f"{len(values)} practices, from {pounds(ordered[0])} to {pounds(ordered[-1])} per registered patient; "
        f"the median is {pounds(_median(ordered))}."
    )
    if highlight is not None:
        above = sum(1 for value in values if value > highlight)
        text += f" {highlight_name}: {pounds(highlight)}, {above} of the {len(values)} practices above it."
    return text


def _median(ordered: list[Decimal]) -> Decimal:
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
