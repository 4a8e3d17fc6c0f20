"""Reading typed and uploaded answers: numbers with separators, percentages with '%', short
extended access answers, and plain reasons for what cannot be read."""

from decimal import Decimal

import pytest

from access.answers import AnswerError, read_answer
from access.compliance import Provision
from access.figures import BY_NAME

FACE_TO_FACE, EPS, HOURS = BY_NAME["appointments_face_to_face"], BY_NAME["eps_percent"], BY_NAME["core_hours_open"]
SATURDAY, ONLINE = BY_NAME["saturday_extended"], BY_NAME["online_consultation"]


@pytest.mark.parametrize(("cell", "expected"), [("3,000", 3000), (3000, 3000), (3000.0, 3000), (" 12 ", 12)])
def test_counts_read_with_thousands_separators_and_spreadsheet_numbers(cell, expected):
    assert read_answer(FACE_TO_FACE, cell) == expected


@pytest.mark.parametrize(("cell", "reason"), [("12.5", "not a whole number"), ("lots", "not a number"),
                                              (True, "not a number"), ("Infinity", "not a number")])  # fmt: skip
def test_a_count_that_is_not_a_whole_number_is_refused_in_plain_words(cell, reason):
    with pytest.raises(AnswerError, match=reason):
        read_answer(FACE_TO_FACE, cell)


@pytest.mark.parametrize(
    ("cell", "expected"), [("70.5%", "70.5"), ("70.54", "70.5"), (70.55, "70.6"), ("100", "100.0")]
)
def test_percentages_read_with_or_without_the_sign_to_one_decimal_place(cell, expected):
    assert read_answer(EPS, cell) == Decimal(expected)


def test_a_blank_cell_is_no_answer():
    assert read_answer(EPS, "  ") is None
    assert read_answer(SATURDAY, None) is None


def test_a_formula_is_refused_not_run():
    with pytest.raises(AnswerError, match="Formulas are not read"):
        read_answer(FACE_TO_FACE, "=SUM(A1:A4)")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Yes, at the practice", Provision.AT_PRACTICE),
        ("practice", Provision.AT_PRACTICE),
        ("Yes", Provision.AT_PRACTICE),
        ("Yes, through our group or hub", Provision.THROUGH_GROUP),
        ("hub", Provision.THROUGH_GROUP),
        ("Group", Provision.THROUGH_GROUP),
        ("No", Provision.NOT_OFFERED),
    ],
)
def test_extended_access_answers_read_as_labels_or_short_words(cell, expected):
    assert read_answer(SATURDAY, cell) == expected


def test_an_unknown_extended_access_answer_is_refused():
    with pytest.raises(AnswerError, match="'sometimes' is not one of 'at the practice'"):
        read_answer(SATURDAY, "sometimes")


@pytest.mark.parametrize(("cell", "expected"), [("Yes", True), ("no", False), (True, True), ("N", False)])
def test_yes_or_no_answers(cell, expected):
    assert read_answer(ONLINE, cell) is expected


def test_hours_read_to_one_decimal_place():
    assert read_answer(HOURS, "49") == Decimal("49.0")


def test_a_yes_or_no_answer_that_is_neither_is_refused():
    with pytest.raises(AnswerError, match="'maybe' is not 'Yes' or 'No'"):
        read_answer(ONLINE, "maybe")
