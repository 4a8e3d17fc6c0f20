"""The words beside the capacity, access and vulnerability charts."""

from decimal import Decimal
from types import SimpleNamespace

from access.views import minutes_summary
from estates.views.capacity import capacity_summary
from quality.views.register import score_summary


def test_capacity_gives_each_clusters_projection_against_the_guide():
    years = [SimpleNamespace(year_label="2018/19", area_per_1000=Decimal("95.0")),
             SimpleNamespace(year_label="2023/24", area_per_1000=Decimal("78.5"))]  # fmt: skip
    north = SimpleNamespace(cluster=SimpleNamespace(name="Luton North"), years=years)
    empty = SimpleNamespace(cluster=SimpleNamespace(name="Luton South"), years=[])
    assert capacity_summary([north, empty], Decimal("85")) == (
        "Luton North: Down from 95.0 m² in 2018/19 to 78.5 m² in 2023/24, by 16.5 m². "
        "The latest is 6.5 m² short of the guide of 85.0 m²."
    )


def test_access_names_the_practices_short_of_the_standard():
    def measure(name, minutes):
        return SimpleNamespace(practice=SimpleNamespace(name=name), minutes_per_1000_a_week=minutes)

    summary = minutes_summary([measure("The Medical Centre", 32.5), measure("Neighbour Surgery", 21.0)])
    assert summary == (
        "Highest: The Medical Centre, 32.5 minutes. Lowest: Neighbour Surgery, 21.0 minutes. "
        "1 of 2 practices is below the standard of 30.0 minutes; Neighbour Surgery is furthest below, by 9.0 minutes."
    )


def test_the_vulnerability_score_reads_as_a_trend_by_run_date():
    import datetime as dt

    runs = [
        SimpleNamespace(run_date=dt.date(2018, 4, 1), score=3),
        SimpleNamespace(run_date=dt.date(2018, 5, 1), score=5),
    ]
    assert score_summary(runs) == "Score: Up from 3 on 1 Apr 2018 to 5 on 1 May 2018, by 2."
