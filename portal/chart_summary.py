"""What a chart shows, in words: the sentence printed beside it for those who cannot see it.

Every chart has a table with the same figures; the summary says what the figures add up to
(the highest and the lowest, the trend, the gap to the target where there is one), so that
nobody has to read the whole table to learn what the chart makes plain at a glance. Pages
build them in Python from the numbers they chart and pass a ``format`` that writes a figure
the way the table does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

Format = Callable[[Any], str]


def _plain(value) -> str:
    number = float(value)
    return f"{number:,.0f}" if number == int(number) else f"{number:,.2f}"


def _known(names: Sequence[str], values: Sequence) -> list[tuple[str, float, Any]]:
    return [(name, float(value), value) for name, value in zip(names, values, strict=True) if value is not None]


def bars(
    names: Sequence[str],
    values: Sequence,
    *,
    format: Format = _plain,  # noqa: A002  (the word the callers read)
    target: float | None = None,
    target_name: str = "target",
    noun: str = "",
) -> str:
    """One figure per name (a cluster, a practice, a stream): the highest, the lowest, and how
    many fall short of ``target`` and by how much at most.

    >>> bars(["North", "South", "East"], [80, 60, 75], target=75, noun="clusters")
    'Highest: North, 80. Lowest: South, 60. 1 of 3 clusters is below the target of 75; South is furthest below, by 15.'
    """
    known = _known(names, values)
    if not known:
        return "No figures yet."
    if len(known) == 1:
        name, _number, value = known[0]
        sentences = [f"{name}: {format(value)}."]
    else:
        high = max(known, key=lambda item: item[1])
        low = min(known, key=lambda item: item[1])
        if high[1] == low[1]:
            sentences = [f"All {len(known)} {noun or 'figures'} are {format(high[2])}."]
        else:
            sentences = [f"Highest: {high[0]}, {format(high[2])}. Lowest: {low[0]}, {format(low[2])}."]
    if target is not None:
        sentences.append(_short_of(known, target, target_name, noun, format))
    return " ".join(sentences)


def _short_of(known, target: float, target_name: str, noun: str, format: Format) -> str:  # noqa: A002
    below = [item for item in known if item[1] < target]
    of = f"{len(known)} {noun}".strip()
    if not below:
        every = "it meets" if len(known) == 1 else f"all {of} meet"
        return f"{every[0].upper()}{every[1:]} the {target_name} of {format(target)}."
    furthest = min(below, key=lambda item: item[1])
    verb = "is" if len(below) == 1 else "are"
    if len(known) == 1:
        return f"It is below the {target_name} of {format(target)}, by {format(target - furthest[1])}."
    return (
        f"{len(below)} of {of} {verb} below the {target_name} of {format(target)}; "
        f"{furthest[0]} is furthest below, by {format(target - furthest[1])}."
    )


def series(
    labels: Sequence[str],
    values: Sequence,
    *,
    format: Format = _plain,  # noqa: A002
    target: float | None = None,
    target_name: str = "target",
    higher_is_better: bool = True,
    difference: Format | None = None,
    preposition: str = "in",
) -> str:
    """Figures over time (``labels`` the dates or periods, oldest first): the trend from the first
    to the last, the highest and the lowest (when they are not the first and the last), and the
    last figure against ``target``. ``difference`` writes a change or a gap ('6 percentage
    points'); ``format`` by default. ``preposition``: "in" a period, "on" a date.

    >>> series(["Apr 2017", "Oct 2017", "Apr 2018"], [9300, 9500, 9400])
    'Up from 9,300 in Apr 2017 to 9,400 in Apr 2018, by 100. Highest: 9,500 in Oct 2017. Lowest: 9,300 in Apr 2017.'
    """
    known = _known(labels, values)
    if not known:
        return "No figures yet."
    difference = difference or format
    first, last = known[0], known[-1]
    if len(known) == 1:
        sentences = [f"{format(first[2])} {preposition} {first[0]}, the only figure so far."]
    else:
        change = last[1] - first[1]
        if change == 0:
            sentences = [f"The same {preposition} {last[0]} as {preposition} {first[0]}: {format(last[2])}."]
        else:
            direction = "Up" if change > 0 else "Down"
            sentences = [
                f"{direction} from {format(first[2])} {preposition} {first[0]} "
                f"to {format(last[2])} {preposition} {last[0]}, by {difference(abs(change))}."
            ]
        high = max(known, key=lambda item: item[1])
        low = min(known, key=lambda item: item[1])
        if high[1] != low[1] and {high[0], low[0]} != {first[0], last[0]}:
            sentences.append(
                f"Highest: {format(high[2])} {preposition} {high[0]}. Lowest: {format(low[2])} {preposition} {low[0]}."
            )
    if target is not None:
        gap = last[1] - target
        if gap == 0:
            sentences.append(f"The latest figure meets the {target_name} of {format(target)}.")
        else:
            better = (gap > 0) == higher_is_better
            side = "better than" if better else "short of"
            sentences.append(f"The latest is {difference(abs(gap))} {side} the {target_name} of {format(target)}.")
    return " ".join(sentences)


def parts(names: Sequence[str], columns: Sequence[tuple[str, Sequence]], *, noun: str, watch: str = "") -> str:
    """Counts split into parts (actions by status, returns by status) per name: the total of each
    part, and, for the part to ``watch`` (overdue, missing), which name has most of it.

    >>> parts(["Access", "Workforce"], [("Achieved", [2, 1]), ("Overdue", [0, 3])], noun="actions", watch="Overdue")
    '6 actions: 3 Achieved; 3 Overdue. Most Overdue: Workforce (3).'
    """
    totals = [(label, sum(int(value or 0) for value in values)) for label, values in columns]
    total = sum(count for _label, count in totals)
    if not total:
        return f"No {noun} yet."
    counted = "; ".join(f"{count:,} {label}" for label, count in totals if count)
    sentences = [f"{total:,} {noun}: {counted}."]
    for label, values in columns:
        if label == watch:
            counts = [int(value or 0) for value in values]
            if any(counts):
                most = max(range(len(counts)), key=lambda index: counts[index])
                sentences.append(f"Most {label}: {names[most]} ({counts[most]:,}).")
            else:
                sentences.append(f"None {label}.")
    return " ".join(sentences)


def totals(columns: Sequence[tuple[str, Sequence]], *, format: Format = _plain) -> str:  # noqa: A002
    """The sum of each series (allocated, committed, spent) over every bar.

    >>> totals([("Allocated", [100, 50]), ("Spent", [20, None])], format=lambda v: f"£{v:,.0f}")
    'In all: £150 Allocated, £20 Spent.'
    """
    summed = [(label, sum((value for value in values if value is not None), 0)) for label, values in columns]
    return "In all: " + ", ".join(f"{format(total)} {label}" for label, total in summed) + "."
