"""How values read to a person: patients with thousands separators, dates as '1 Jan 2021',
choices by their label, related rows by their name."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

NOT_KNOWN = "Not known"


def uk_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return NOT_KNOWN
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{value.day} {value:%b %Y %H:%M}"
    return f"{value.day} {value:%b %Y}"


def long_date(day: dt.date) -> str:
    """'30 April 2018', as a board paper and an 'as at' caption write a date."""
    return f"{day.day} {day:%B %Y}"


def patients(value: int | None) -> str:
    if value is None:
        return NOT_KNOWN
    return f"{value:,} patient" + ("" if value == 1 else "s")


def as_at(value: dt.date | None) -> str:
    return f"as at {uk_date(value)}" if value else ""


def field_value(field: models.Field, value, related: dict | None = None) -> str:
    """The text of one stored value of ``field``; ``related`` maps foreign key ids to rows."""
    if value is None or value == "":
        if field.choices:
            return str(dict(field.flatchoices).get(value, NOT_KNOWN) or NOT_KNOWN)
        return "(blank)"
    if field.is_relation:
        if isinstance(value, models.Model):
            return str(value)
        row = (related or {}).get(value)
        return str(row) if row is not None else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, dt.date):
        return uk_date(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def tag(text: str, colour: str = "", classes: str = "") -> str:
    """An NHS.UK tag (templates/portal/_tag.html), for tables and views that build cells in Python."""
    from django.template.loader import render_to_string

    return render_to_string("portal/_tag.html", {"text": text, "colour": colour, "classes": classes})


def rag(value: str, text: str) -> str:
    """A RAG rating as its tag (templates/portal/_rag.html): ``value`` red, amber, green or empty."""
    from django.template.loader import render_to_string

    return render_to_string("portal/_rag.html", {"rag": value, "text": text})
