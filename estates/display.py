"""How estates figures read: '£127,000', '1,250.5 m²', '4.2 rooms per 1,000 patients'."""

from __future__ import annotations

from decimal import Decimal

NOT_KNOWN = "Not known"


def pounds(value: Decimal | int | None) -> str:
    """Whole pounds without pence, otherwise pounds and pence: '£127,000', '£1,234.50'."""
    if value is None:
        return NOT_KNOWN
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"£{value:,.0f}"
    return f"£{value:,.2f}"


def square_metres(value: Decimal | int | None) -> str:
    if value is None:
        return NOT_KNOWN
    value = Decimal(value)
    text = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.1f}"
    return f"{text} m²"


def number(value: Decimal | int | None, places: int = 1) -> str:
    """A figure with thousands separators and up to ``places`` decimals, trailing zeros dropped."""
    if value is None:
        return NOT_KNOWN
    text = f"{Decimal(value):,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def percent(value: Decimal | None) -> str:
    return NOT_KNOWN if value is None else f"{number(value, 2)}%"
