"""One registry for the things areas register with an app below them at start-up: return
types, metric sources, reference importers, profile sections.

A ``Registry`` is a read-only mapping by key. ``add`` refuses a second, different thing under
a key already taken (two apps claiming one key is a mistake to hear of at start-up), and
accepts the same thing again (a module imported twice, as autodiscovery and a test may do).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


def _name(item) -> str:
    """What makes two registrations the same thing: the class or function's qualified name."""
    made = item if isinstance(item, type) or callable(item) else type(item)
    return f"{made.__module__}.{made.__qualname__}"


class Registry(Mapping, Generic[K, V]):
    """Things of one kind by key; a missing key raises ``error`` (a ``LookupError``) naming it."""

    def __init__(self, what: str, *, same: Callable[[V], str] = _name, error: type[LookupError] = LookupError):
        self.what = what
        self._same = same
        self._error = error
        self._items: dict[K, V] = {}

    def add(self, key: K, item: V, *, replace: bool = False) -> V:
        existing = self._items.get(key)
        if existing is not None and not replace and self._same(existing) != self._same(item):
            raise ValueError(f"Two {self.what}s use the key {key!r}.")
        self._items[key] = item
        return item

    def remove(self, key: K) -> None:
        """Forget ``key`` (for tests that register a throwaway one)."""
        self._items.pop(key, None)

    def __getitem__(self, key: K) -> V:
        try:
            return self._items[key]
        except KeyError:
            raise self._error(f"No {self.what} is registered as {key!r}.") from None

    def __contains__(self, key) -> bool:
        return key in self._items

    def get(self, key, default=None):
        return self._items.get(key, default)

    def __iter__(self) -> Iterator[K]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Registry({self.what!r}, {list(self._items)!r})"
