"""Plotly figures for the funding pages. Each page shows the same figures in a table beside
the chart; ``static/js/charts.js`` draws them from JSON, as the CSP forbids inline scripts."""

from __future__ import annotations

from decimal import Decimal

import plotly.graph_objects as go

from portal import charts

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
