"""Rates per head, one way: a count per 1,000 registered patients."""

from __future__ import annotations

from decimal import Decimal


def per_1000(value, list_size: int | None) -> float | None:
    """``value`` per 1,000 patients of ``list_size``; None without a value or a list size.

    Worked in Decimal from the value as written, so 4.02 FTE stays 4.02 and not 4.0199999.
    """
    if value is None or not list_size:
        return None
    return float(Decimal(str(value)) * 1000 / Decimal(str(list_size)))
