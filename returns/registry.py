"""The kinds of return the portal knows, by key. Each area registers its own in
``<app>/return_types.py`` (found at start-up by ``ReturnsConfig.ready``)."""

from __future__ import annotations

from .types import ReturnType

_types: dict[str, ReturnType] = {}


class UnknownReturnType(LookupError):
    pass


def register(cls: type[ReturnType]) -> type[ReturnType]:
    """Class decorator: ``@register`` above a ``ReturnType`` subclass makes it collectable."""
    if not cls.key or not cls.name:
        raise ValueError(f"{cls.__name__} needs a key and a name.")
    existing = _types.get(cls.key)
    if existing is not None and type(existing).__qualname__ != cls.__qualname__:
        raise ValueError(f"Two return types use the key {cls.key!r}.")
    _types[cls.key] = cls()
    return cls


def return_type(key: str) -> ReturnType:
    try:
        return _types[key]
    except KeyError:
        raise UnknownReturnType(f"No return type is registered as {key!r}.") from None


def return_types() -> list[ReturnType]:
    return sorted(_types.values(), key=lambda t: t.name)


def choices() -> list[tuple[str, str]]:
    return [(t.key, t.name) for t in return_types()]
