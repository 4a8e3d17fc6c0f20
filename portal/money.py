"""Money in pounds and pence: Decimal always, rounding said out loud, one way of writing it.

Amounts are ``Decimal`` from the form or the file to the page; a float never touches them.
Rounding to pence is ``ROUND_HALF_UP`` (half a penny goes up, as a finance officer rounds
by hand), and happens only where a calculation makes fractions of a penny, such as a
registered population times a rate per head.

    >>> to_pence(Decimal("172083") * Decimal("3.00"))
    Decimal('516249.00')
    >>> pounds(Decimal("516249"))
    '£516,249.00'
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models

PENCE = Decimal("0.01")
ZERO = Decimal("0.00")

# Shared digit settings for every money column: up to £999,999,999,999.99.
MONEY_DIGITS = 14
MONEY_PLACES = 2


def money_field(verbose_name: str | None = None, **kwargs) -> models.DecimalField:
    """A pounds-and-pence column with the shared digit settings."""
    return models.DecimalField(verbose_name, max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, **kwargs)


def to_decimal(value: Decimal | int | str) -> Decimal:
    """A Decimal from an int, a Decimal or text such as '£1,234.50' or '-63154.38'; never from a float."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        raise TypeError("Money is never a float: pass a Decimal, an int or the text as written.")
    if isinstance(value, int):
        return Decimal(value)
    text = str(value).strip().replace(",", "").replace("£", "").replace(" ", "")
    if text.startswith("(") and text.endswith(")"):  # accountants' negative
        text = "-" + text[1:-1]
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"'{value}' is not an amount of money") from None


def to_pence(value: Decimal | int | str) -> Decimal:
    """Round to whole pence, half a penny up (ROUND_HALF_UP)."""
    return to_decimal(value).quantize(PENCE, rounding=ROUND_HALF_UP)


def per_head(amount: Decimal | None, patients: Decimal | int | None) -> Decimal | None:
    """Pounds per registered patient, to the penny; ``None`` when there are no patients."""
    if amount is None or not patients:
        return None
    return to_pence(to_decimal(amount) / to_decimal(patients))


def pounds(value: Decimal | int | str | None, *, pence: bool = True, empty: str = "Not known") -> str:
    """'£516,249.00' (or '£516,249' with ``pence=False``, rounded half up); negatives as '-£249.00'."""
    if value is None or value == "":
        return empty
    amount = to_pence(value)
    if not pence:
        amount = amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    text = f"{abs(amount):,.2f}" if pence else f"{abs(amount):,.0f}"
    return f"{sign}£{text}"


def signed_pounds(value: Decimal | int | str | None, *, empty: str = "Not known") -> str:
    """A difference: '+£249.00', '-£249.00' or '£0.00'."""
    if value is None or value == "":
        return empty
    amount = to_pence(value)
    return f"+{pounds(amount)}" if amount > 0 else pounds(amount)
