"""The kernel's registry: one key, one thing; the same thing again is no clash."""

import pytest

from portal.registry import Registry


def first():
    return 1


def second():
    return 2


class Missing(LookupError):
    pass


def test_a_key_holds_one_thing_and_the_same_thing_again_is_accepted():
    things = Registry("thing")
    assert things.add("a", first) is first
    things.add("a", first)
    with pytest.raises(ValueError, match="Two things use the key 'a'"):
        things.add("a", second)
    assert dict(things) == {"a": first} and "a" in things and "b" not in things


def test_replace_and_remove():
    things = Registry("thing")
    things.add("a", first)
    things.add("a", second, replace=True)
    assert things["a"] is second
    things.remove("a")
    assert len(things) == 0 and things.get("a") is None


def test_a_missing_key_raises_the_registry_error_naming_it():
    things = Registry("thing", error=Missing)
    with pytest.raises(Missing, match="No thing is registered as 'b'"):
        things["b"]
