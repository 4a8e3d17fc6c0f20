"""The home page's to-do list: what needs the person signed in, each area telling its own part.

The home page (``practices:home``) sits below the areas, so it cannot ask them. Each area
instead registers providers in ``<app>/todo.py`` (found at start-up by ``PortalConfig.ready``)::

    # returns/todo.py
    from portal.todo import TodoItem, Urgency, register

    @register
    def returns_overdue(user, today):
        ...
        return [TodoItem(role=PRACTICE_MANAGER, count=3, singular="return overdue", ...)]

A provider takes the user and today's date and returns a list of ``TodoItem`` (empty when
nothing of its kind needs them). It looks its objects up through its own app's
``visibility.py``, so a to-do never counts what the person may not open, and it links to a
list page that shows exactly the objects it counted. ``items_for`` calls every provider and
ranks the items: overdue first, then what has a date ahead, then what waits on the person,
then what is there to read; within each, the earliest date first.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from .display import long_date
from .registry import Registry

#: The roles a to-do is for, as ``practices.models.Role.Kind`` spells them (the kernel imports no app).
PRACTICE_MANAGER = "practice_manager"
COMMISSIONER = "commissioner"
GOVERNING_BODY = "governing_body"
ADMINISTRATOR = "administrator"

#: "Newly" overdue, and imports that "recently" reported problems: within this many days.
RECENT_DAYS = 14


class Urgency(enum.IntEnum):
    """How soon a to-do needs the person: the home page lists the lowest first."""

    OVERDUE = 0  # its date has passed
    DUE = 1  # it has a date ahead
    WAITING = 2  # waiting on the person: to review, decide, or put right
    TO_READ = 3  # there to read


@dataclass(frozen=True)
class TodoItem:
    """One line of the to-do list: "<strong>3</strong> returns overdue", a link to exactly those
    objects, and a note ("the oldest was due 4 December 2026") under it."""

    role: str
    url: str
    singular: str
    plural: str = ""
    count: int | None = None
    urgency: Urgency = Urgency.WAITING
    due_date: dt.date | None = None
    note: str = ""
    #: A second link after the note, e.g. "12 overdue in all" after "3 actions newly overdue".
    more_text: str = ""
    more_url: str = ""

    @property
    def words(self) -> str:
        """The words after the count: "return overdue" for one (or with no count), "returns overdue" for more."""
        if self.count is None or self.count == 1 or not self.plural:
            return self.singular
        return self.plural

    @property
    def text(self) -> str:
        return f"{self.count} {self.words}" if self.count is not None else self.words

    @property
    def sort_key(self) -> tuple:
        return (self.urgency, self.due_date or dt.date.max, self.text)


Provider = Callable[[object, dt.date], list[TodoItem]]

_PROVIDERS: Registry[str, Provider] = Registry("to-do provider")


def _key(provider: Provider) -> str:
    return f"{provider.__module__}.{provider.__qualname__}"


def register(provider: Provider) -> Provider:
    """Add (or replace, by its module and name) a provider; usable as a decorator."""
    return _PROVIDERS.add(_key(provider), provider, replace=True)


def unregister(provider: Provider) -> None:
    """Remove a provider (for tests that register a throwaway one)."""
    _PROVIDERS.remove(_key(provider))


def providers() -> list[Provider]:
    return list(_PROVIDERS.values())


def items_for(user, today: dt.date) -> list[TodoItem]:
    """Every provider's items for ``user`` on ``today``, most urgent first."""
    items = [item for provider in providers() for item in provider(user, today)]
    return sorted(items, key=lambda item: item.sort_key)


def where(name: str, several: bool) -> str:
    """ "NHS Luton CCG: " before a note, for a person with several organisations of the role; else nothing."""
    return f"{name}: " if several else ""


def due_note(dates: list[dt.date], today: dt.date) -> str:
    """The words about the dates of the objects counted: the oldest that has passed, or the next ahead."""
    if not dates:
        return ""
    first = min(dates)
    if first < today:
        return f"was due {long_date(first)}" if len(dates) == 1 else f"the oldest was due {long_date(first)}"
    return f"due {long_date(first)}" if len(dates) == 1 else f"the next is due {long_date(first)}"


def recent_problems(runs, today: dt.date):
    """The runs of a job (a ``BackgroundJob`` queryset) that reported problems
    (``reported_problems``) in the last ``RECENT_DAYS`` days: the import pages' ``?problems=yes``."""
    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=RECENT_DAYS), dt.time.min))
    return runs.filter(runs.model.reported_problems(), queued_at__gte=since)


def problems_item(*, role: str, url: str, what: str, count: int, about: str = "") -> TodoItem:
    """ "2 CQC ratings uploads reported problems", linking to the upload page's ``?problems=yes``,
    "in the last 14 days" (after ``about``, e.g. the plan, where given)."""
    return TodoItem(
        role=role,
        url=f"{url}?problems=yes",
        singular=f"{what} reported problems",
        plural=f"{what}s reported problems",
        count=count,
        urgency=Urgency.WAITING,
        note=f"{about}, in the last {RECENT_DAYS} days" if about else f"in the last {RECENT_DAYS} days",
    )
