"""The date a page is read "as at": ``?on=YYYY-MM-DD`` on any summary page.

``as_at_from(request, default)`` reads it once for every page; the page draws
``templates/portal/_as_at_form.html`` with the result (a plain GET form, no script).
A missing date gives the page's default; a bad or future date gives the default with
a message saying so. ``as_at_date`` is the same reading, strict: it raises ``AsAtError``
(the API answers 400 with its message rather than fall back).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.http import urlencode

from .display import long_date

PARAMETER = "on"


class AsAtForm(forms.Form):
    on = forms.DateField(
        label="Show the plan as at",
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Statuses, RAG ratings and overdue are as they stood at the end of this day.",
    )


class AsAtError(ValueError):
    """``?on=`` is not a date, or a date that has not come yet; the message says which."""


def as_at_date(raw: str, *, today: dt.date | None = None) -> dt.date:
    """The date in ``raw`` (YYYY-MM-DD), today or earlier; else ``AsAtError``."""
    today = today or timezone.localdate()
    raw = raw.strip()
    form = AsAtForm({PARAMETER: raw})
    if not raw or not form.is_valid() or form.cleaned_data[PARAMETER] is None:
        raise AsAtError(f"“{raw[:20]}” is not a date. Enter one such as 2018-04-30.")
    on = form.cleaned_data[PARAMETER]
    if on > today:
        raise AsAtError(f"{long_date(on)} has not come yet.")
    return on


@dataclass(frozen=True)
class AsAt:
    on: dt.date
    default: dt.date
    form: AsAtForm
    error: str = ""
    #: Why the default is not today, shown under the form (e.g. a plan whose years have ended).
    default_note: str = ""

    @property
    def is_default(self) -> bool:
        return self.on == self.default

    @property
    def query(self) -> str:
        """``?on=...`` to carry the date onto links (empty when it is the default)."""
        return "" if self.is_default else "?" + urlencode({PARAMETER: self.on.isoformat()})


def as_at_from(
    request, default: dt.date | None = None, *, label: str = "", help_text: str = "", default_note: str = ""
) -> AsAt:
    """The date asked for in ``?on=``, or ``default`` (today unless given).

    ``label`` and ``help_text`` say what the date chooses on this page ("Members on").
    """
    today = timezone.localdate()
    default = default or today
    raw = request.GET.get(PARAMETER, "").strip()

    def read(on: dt.date, error: str = "") -> AsAt:
        form = AsAtForm({PARAMETER: (raw if not error else "") or on.isoformat()})
        if label:
            form.fields[PARAMETER].label = label
        if help_text:
            form.fields[PARAMETER].help_text = help_text
        form.is_valid()
        return AsAt(on=on, default=default, form=form, error=error, default_note=default_note)

    if not raw:
        return read(default)
    try:
        return read(as_at_date(raw, today=today))
    except AsAtError as exc:
        return read(default, f"{exc} Showing {long_date(default)} instead.")
