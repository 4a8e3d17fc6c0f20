"""Reading one typed or uploaded answer to an access return question, with a plain reason when it cannot be read.

Spreadsheet cells arrive as text, numbers or booleans. Numbers may carry thousands
separators and a percentage a '%' sign; extended access answers may be written as their
label ('Yes, through our group or hub') or shortly ('practice', 'group', 'hub', 'no').
A cell that looks like a formula is refused: uploads are read as saved values only.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .compliance import Provision
from .figures import Question

YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
PROVISION_WORDS = {
    "practice": Provision.AT_PRACTICE,
    "at the practice": Provision.AT_PRACTICE,
    "yes": Provision.AT_PRACTICE,
    "group": Provision.THROUGH_GROUP,
    "hub": Provision.THROUGH_GROUP,
    "through our group or hub": Provision.THROUGH_GROUP,
    "through the group": Provision.THROUGH_GROUP,
    "through the hub": Provision.THROUGH_GROUP,
    "no": Provision.NOT_OFFERED,
    "not offered": Provision.NOT_OFFERED,
}


class AnswerError(ValueError):
    """A cell that cannot be read as an answer to its question."""


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def read_answer(question: Question, value):
    """The stored value of ``value`` as an answer to ``question``; None for a blank cell."""
    if isinstance(value, str) and value.strip().startswith("="):
        raise AnswerError("Formulas are not read: type the value itself.")
    text = _text(value)
    if text == "":
        return None
    reader = {
        "hours": _decimal,
        "percent": _percent,
        "count": _whole_number,
        "minutes": _whole_number,
        "provision": _provision,
        "yes_no": _yes_no,
    }[question.kind]
    return reader(value, text)


def _number(value, text: str) -> Decimal:
    if isinstance(value, bool):
        raise AnswerError(f"'{text}' is not a number.")
    try:
        number = Decimal(str(value)) if isinstance(value, int | float | Decimal) else Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise AnswerError(f"'{text}' is not a number.") from None
    if not number.is_finite():
        raise AnswerError(f"'{text}' is not a number.")
    return number


def _whole_number(value, text: str) -> int:
    number = _number(value, text)
    if number != number.to_integral_value():
        raise AnswerError(f"'{text}' is not a whole number.")
    return int(number)


def _decimal(value, text: str) -> Decimal:
    return _number(value, text).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _percent(value, text: str) -> Decimal:
    return _decimal(value, text.removesuffix("%").strip()) if text.endswith("%") else _decimal(value, text)


def _provision(value, text: str) -> str:
    lowered = text.lower().removeprefix("yes, ").strip() if text.lower() != "yes" else "yes"
    for stored, label in Provision.choices:
        if text.lower() in {stored, str(label).lower()}:
            return stored
    if lowered in PROVISION_WORDS:
        return PROVISION_WORDS[lowered]
    raise AnswerError(f"'{text}' is not one of 'at the practice', 'through our group or hub' or 'no'.")


def _yes_no(value, text: str) -> bool:
    if isinstance(value, bool):
        return value
    if text.lower() in YES:
        return True
    if text.lower() in NO:
        return False
    raise AnswerError(f"'{text}' is not 'Yes' or 'No'.")
