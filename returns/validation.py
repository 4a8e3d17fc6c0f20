"""The checks every return goes through, whatever its kind.

A return type lists its rules; each rule is a function of a ``CheckContext`` (the figures
being checked, the practice, its list size, the previous accepted return) that yields
``Finding`` objects. A finding is an error, which blocks submission and a whole upload,
or a warning, which the practice manager confirms with a comment before submitting.

The same rules run on a saved draft, on a form before it is saved and on every row of an
upload, because they read only the values in the context, never the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Finding:
    """One problem with a return.

    ``code`` is stable for the same problem in the same place (a confirmation of a warning is
    kept by its code); ``field`` names the question or column, ``row`` the row of a grid.
    """

    code: str
    message: str
    field: str | None = None
    severity: str = ERROR
    row: str | None = None

    @property
    def is_warning(self) -> bool:
        return self.severity == WARNING

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


@dataclass
class CheckContext:
    """What a rule may read. ``values`` and ``previous_values`` are in the return type's own
    shape (for a grid: ``{row: {column: value}}``); ``previous_values`` are those of the
    practice's latest accepted return of the same kind for an earlier period, if any, and
    ``previous_list_size`` the list size that return used."""

    values: Any
    practice: Any = None
    period_start: dt.date | None = None
    list_size: int | None = None
    previous_values: Any = None
    previous_period_start: dt.date | None = None
    previous_list_size: int | None = None
    collection: Any = None
    extra: dict = field(default_factory=dict)


Rule = Callable[[CheckContext], Iterable[Finding]]


@dataclass
class Findings:
    """All the findings of one check, errors first."""

    items: list[Finding] = field(default_factory=list)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.items if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.items if f.is_warning]


def run_rules(rules: Iterable[Rule], context: CheckContext) -> Findings:
    found: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for rule in rules:
        for finding in rule(context) or ():
            key = (finding.severity, finding.code)
            if key not in seen:
                seen.add(key)
                found.append(finding)
    found.sort(key=lambda f: 0 if f.is_error else 1)
    return Findings(found)


def change_share(old, new) -> float | None:
    """The relative change from ``old`` to ``new`` (0.25 for a quarter more), or None when old is zero."""
    if old is None or new is None:
        return None
    old, new = Decimal(str(old)), Decimal(str(new))
    if old == 0:
        return None
    return float((new - old) / old)
