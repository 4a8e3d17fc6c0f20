"""The words beside the funding charts: totals, the largest allocation, what is left to commit, and where a
practice's payments per patient stand among its CCG's."""

from decimal import Decimal
from types import SimpleNamespace

from commissioning.funding.charts import distribution_text, summary_text
from commissioning.funding.selectors import SummaryRow


def test_the_summary_by_stream_totals_names_the_largest_and_the_uncommitted():
    transformation = SimpleNamespace(label="Practice transformation")
    resilience = SimpleNamespace(label="GP resilience")
    rows = [
        SummaryRow(stream=transformation, financial_year=2018, allocated=Decimal("100000"),
                   committed=Decimal("40000"), spent=Decimal("10000"), has_allocation=True),
        SummaryRow(stream=resilience, financial_year=2018, allocated=Decimal("20000"),
                   committed=Decimal("20000"), spent=Decimal("5000.50"), has_allocation=True),
    ]  # fmt: skip
    assert summary_text(rows, by="stream") == (
        "In all: £120,000.00 Allocated, £60,000.00 Committed, £15,000.50 Spent. "
        "Most allocated: Practice transformation, £100,000.00. £60,000.00 of the allocations is left to commit."
    )


def test_the_distribution_gives_the_range_the_median_and_the_practice_among_them():
    values = [Decimal("120.00"), Decimal("150.50"), Decimal("98.10"), Decimal("175.00")]
    assert distribution_text(values, highlight=Decimal("150.50"), highlight_name="The Medical Centre") == (
        "4 practices, from £98.10 to £175.00 per registered patient; the median is £135.25. "
        "The Medical Centre: £150.50, 1 of the 4 practices above it."
    )
