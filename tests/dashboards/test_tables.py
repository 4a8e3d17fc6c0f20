"""Each metric reads on the dashboards to the decimal places its definition sets, in the table, the chart's
hover text and the practice profile alike."""

from __future__ import annotations

import json

import pytest

from dashboards import charts
from dashboards import selectors as s
from dashboards.profile import _metric_history
from dashboards.tables import Column, Kind, Table
from metrics.definitions import METRICS
from portal import charts as palette

from .helpers import Q3, metric_value

pytestmark = pytest.mark.django_db
PERIOD = s.Period(Q3)


def _decimals(cell: str) -> int:
    number = cell.removesuffix("%").split()[0]
    return len(number.split(".")[1]) if "." in number else 0


@pytest.mark.parametrize("metric", [m for m in METRICS if "practice" in m.levels], ids=lambda m: m.code)
def test_the_practice_profile_shows_each_metric_to_its_definitions_decimal_places(metric, luton_practice, root):
    metric_value(luton_practice, metric.code, Q3, 12.345678, practices_counted=1)

    table = _metric_history(luton_practice, root, [(metric.code, metric.name)], 4, key="k", caption="c", empty="e",
                            on=Q3)  # fmt: skip

    cell = table.display_rows()[0]["cells"][1][0]
    assert _decimals(cell) == metric.decimals
    assert cell.removeprefix("+").startswith("12.3" if metric.decimals else "12")
    assert cell.endswith("%") == (metric.unit == "%")


def test_gp_fte_per_1000_reads_to_two_places_in_the_cluster_table_and_its_chart(today, luton, luton_cluster):
    metric_value(luton_cluster, "gp_fte_per_1000", Q3, 0.401, denominator=9500, practices_counted=1)
    metric_value(luton, "gp_fte_per_1000", Q3, 0.53, denominator=20000, practices_counted=2)
    metric_value(luton_cluster, "vacancy_rate", Q3, 4.04, denominator=5.0, practices_counted=1)

    table, _computed, _quarter = s.workforce_by_cluster(luton, PERIOD)
    figure = charts.grouped_bars(
        table, series=[("GP FTE per 1,000 patients", palette.BLUE)], title="t", as_at="a", unit="GP FTE per 1,000"
    )

    cells = [cell for cell, _numeric in table.display_rows()[0]["cells"]]
    assert cells[3] == "0.40" and cells[7] == "4.0%"
    assert table.display_total()[3][0] == "0.53"
    trace = json.loads(figure.to_json())["data"][0]
    assert trace["customdata"] == ["0.40"]
    assert "%{customdata}" in trace["hovertemplate"]
    assert table.to_csv().splitlines()[1].split(",")[3] == "0.40"


def test_a_bar_short_of_the_standard_is_drawn_apart_and_its_hover_says_so():
    table = Table(
        key="access",
        caption="c",
        columns=[Column("Cluster", Kind.TEXT), Column("Minutes", Kind.DECIMAL)],
        rows=[["North", 29.0], ["West", 44.9], ["South", None]],
    )
    figure = charts.grouped_bars(
        table, series=[("Minutes", palette.BLUE)], title="t", as_at="a", unit="m",
        reference=(30, "Standard: 30"), below=palette.ORANGE,
    )  # fmt: skip
    trace = json.loads(figure.to_json())["data"][0]
    assert trace["marker"]["color"] == [palette.ORANGE, palette.BLUE, palette.BLUE]
    assert trace["customdata"] == ["29.00 (below the standard)", "44.90", ""]


@pytest.mark.parametrize(("counts", "step"), [((2, 2), 1), ((40, 40), 10), ((0, 0), 1)])
def test_stacked_counts_tick_at_whole_numbers(counts, step):
    table = Table(
        key="plan", caption="c", columns=[Column("Chapter"), Column("Done", Kind.COUNT), Column("Not", Kind.COUNT)],
        rows=[["Workforce", *counts]],
    )  # fmt: skip
    figure = charts.stacked_bars(
        table, series=[("Done", palette.GREEN), ("Not", palette.GREY)], title="t", as_at="a", unit="Actions"
    )
    xaxis = json.loads(figure.to_json())["layout"]["xaxis"]
    assert (xaxis["dtick"], xaxis["tickformat"]) == (step, ",d")
