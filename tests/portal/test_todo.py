"""The to-do registry: items read with their counts in words, rank most urgent first, and every
area's providers are found at start-up."""

from __future__ import annotations

import datetime as dt

from portal import todo

TODAY = dt.date(2026, 12, 4)


def item(**fields):
    return todo.TodoItem(**{"role": todo.COMMISSIONER, "url": "/", "singular": "return due", "plural": "returns due",
                            **fields})  # fmt: skip


def test_counts_carry_their_words_in_the_singular_and_the_plural():
    assert item(count=1).text == "1 return due"
    assert item(count=3).text == "3 returns due"
    assert item(count=0).text == "0 returns due"
    assert item(singular="Latest board report", plural="").text == "Latest board report"


def test_overdue_comes_before_due_before_waiting_before_reading_and_earlier_dates_first():
    reading = item(singular="a", urgency=todo.Urgency.TO_READ, due_date=dt.date(2026, 1, 1))
    waiting_undated = item(singular="b", urgency=todo.Urgency.WAITING)
    waiting_dated = item(singular="c", urgency=todo.Urgency.WAITING, due_date=dt.date(2026, 12, 1))
    due_later = item(singular="d", urgency=todo.Urgency.DUE, due_date=dt.date(2026, 12, 20))
    due_soon = item(singular="e", urgency=todo.Urgency.DUE, due_date=dt.date(2026, 12, 5))
    overdue = item(singular="f", urgency=todo.Urgency.OVERDUE, due_date=dt.date(2026, 11, 1))
    shuffled = [reading, due_later, waiting_undated, overdue, waiting_dated, due_soon]
    assert sorted(shuffled, key=lambda i: i.sort_key) == [
        overdue, due_soon, due_later, waiting_dated, waiting_undated, reading
    ]  # fmt: skip


def test_items_for_ranks_the_items_of_every_provider(db):
    def later(user, today):
        return [item(singular="later", urgency=todo.Urgency.DUE, due_date=today + dt.timedelta(days=1))]

    def sooner(user, today):
        return [item(singular="sooner", urgency=todo.Urgency.OVERDUE, due_date=today)]

    todo.register(later)
    todo.register(sooner)
    todo.register(sooner)  # twice: replaced, not doubled
    try:
        texts = [i.text for i in todo.items_for(None, TODAY) if i.singular in ("later", "sooner")]
    finally:
        todo.unregister(later)
        todo.unregister(sooner)
    assert texts == ["sooner", "later"]


def test_due_note_says_the_oldest_passed_date_or_the_next_ahead():
    assert todo.due_note([dt.date(2026, 11, 2)], TODAY) == "was due 2 November 2026"
    assert todo.due_note([dt.date(2026, 12, 9), dt.date(2026, 11, 2)], TODAY) == "the oldest was due 2 November 2026"
    assert todo.due_note([dt.date(2026, 12, 4)], TODAY) == "due 4 December 2026"
    assert todo.due_note([dt.date(2026, 12, 9), dt.date(2026, 12, 24)], TODAY) == "the next is due 9 December 2026"
    assert todo.due_note([], TODAY) == ""


def test_each_areas_providers_are_found_at_start_up():
    modules = {provider.__module__ for provider in todo.providers()}
    assert {
        "returns.todo", "commissioning.todo", "quality.todo", "estates.todo", "dashboards.todo", "practices.todo"
    } <= modules  # fmt: skip
