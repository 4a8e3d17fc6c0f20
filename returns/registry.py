"""The kinds of return the portal knows, by key. Each area registers its own in
``<app>/return_types.py`` (found at start-up by ``ReturnsConfig.ready``)."""

from __future__ import annotations

from portal.registry import Registry

from .types import ReturnType


class UnknownReturnType(LookupError):
    pass


_types: Registry[str, ReturnType] = Registry("return type", error=UnknownReturnType)


def register(cls: type[ReturnType]) -> type[ReturnType]:
    """Class decorator: ``@register`` above a ``ReturnType`` subclass makes it collectable."""
    if not cls.key or not cls.name:
        raise ValueError(f"{cls.__name__} needs a key and a name.")
    _types.add(cls.key, cls())
    return cls


def return_type(key: str) -> ReturnType:
    return _types[key]


def return_types() -> list[ReturnType]:
    return sorted(_types.values(), key=lambda t: t.name)


def choices() -> list[tuple[str, str]]:
    return [(t.key, t.name) for t in return_types()]
