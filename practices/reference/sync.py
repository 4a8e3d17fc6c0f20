"""Compare what a file says with what the database holds, then write only the differences.

Each import reads the existing records of a model into a :class:`ModelSync` once, sets the
values the file gives on those objects (or new ones) in Python, and writes the new and
changed ones with ``bulk_create_with_history`` and ``bulk_update_with_history`` in batches.
An object the file leaves as it was is not written, so a second run of the same file adds
no rows and no history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from django.db import models
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .report import ImportReport

BATCH_SIZE = 500


def _value(obj: models.Model, field: models.Field) -> Any:
    if field.is_relation and field.is_cached(obj):
        related = field.get_cached_value(obj)
        if related is not None:
            # The related record's own pk: it may have been created by this import since it was set.
            return related.pk if related.pk is not None else ("unsaved", id(related))
    return getattr(obj, field.attname)


class ModelSync:
    """The records of one model that an import reads and writes, keyed by a natural key."""

    def __init__(
        self,
        model: type[models.Model],
        label: str,
        fields: Iterable[str],
        existing: Iterable[models.Model],
        key: Callable[[Any], Hashable],
    ) -> None:
        self.model = model
        self.label = label
        self.fields = [model._meta.get_field(name) for name in fields]
        self.key = key
        self.by_key: dict[Hashable, models.Model] = {}
        self.original: dict[int, tuple] = {}
        self.new: list[models.Model] = []
        self.by_pk: dict[int, models.Model] = {}
        for obj in existing:
            self.by_key[key(obj)] = obj
            self.by_pk[obj.pk] = obj
            self.original[obj.pk] = self._values(obj)

    def _values(self, obj: models.Model) -> tuple:
        return tuple(_value(obj, f) for f in self.fields)

    def get(self, key: Hashable) -> models.Model | None:
        return self.by_key.get(key)

    def add(self, obj: models.Model) -> models.Model:
        self.by_key[self.key(obj)] = obj
        self.new.append(obj)
        return obj

    def get_or_add(self, key: Hashable, **values: Any) -> models.Model:
        """The record with ``key`` (new if there is none), with ``values`` set on it."""
        obj = self.get(key)
        if obj is None:
            return self.add(self.model(**values))
        for name, value in values.items():
            setattr(obj, name, value)
        return obj

    def is_new(self, obj: models.Model) -> bool:
        return obj.pk is None

    def is_changed(self, obj: models.Model) -> bool:
        return obj.pk is None or self.original[obj.pk] != self._values(obj)

    def outcome(self, obj: models.Model) -> str:
        if obj.pk is None:
            return "created"
        return "updated" if self.is_changed(obj) else "unchanged"

    def write(self, report: ImportReport, *, user=None, reason: str = "") -> None:
        """Create the new records and update the changed ones, with their history."""
        changed = [
            obj for pk, obj in ((o.pk, o) for o in self.by_key.values()) if pk is not None and self.is_changed(obj)
        ]
        if self.new:
            bulk_create_with_history(
                self.new, self.model, batch_size=BATCH_SIZE, default_user=user, default_change_reason=reason
            )
        if changed:
            bulk_update_with_history(
                changed,
                self.model,
                [f.name for f in self.fields],
                batch_size=BATCH_SIZE,
                default_user=user,
                default_change_reason=reason,
            )
        report.records[self.label]["created"] += len(self.new)
        report.records[self.label]["updated"] += len(changed)
        for obj in changed:
            self.original[obj.pk] = self._values(obj)
        self.new = []


class PlainSync(ModelSync):
    """A ModelSync for published figures kept without history (a history row per figure would double the load)."""

    def write(self, report: ImportReport, *, user=None, reason: str = "") -> None:
        changed = [obj for obj in self.by_key.values() if obj.pk is not None and self.is_changed(obj)]
        if self.new:
            self.model.objects.bulk_create(self.new, batch_size=BATCH_SIZE)
        if changed:
            self.model.objects.bulk_update(changed, [f.name for f in self.fields], batch_size=BATCH_SIZE)
        report.records[self.label]["created"] += len(self.new)
        report.records[self.label]["updated"] += len(changed)
        for obj in changed:
            self.original[obj.pk] = self._values(obj)
        self.new = []


def _overlaps(span, start: dt.date, end: dt.date | None) -> bool:
    return (end is None or span.start_date < end) and (span.end_date is None or span.end_date > start)


def place_span(
    spans: list,
    *,
    group_field: str,
    group: Any,
    start: dt.date,
    end: dt.date | None = None,
    exact: bool,
    make: Callable[[], Any],
    keep: bool = False,
) -> Any:
    """Record in one practice's dated memberships that it was in ``group`` from ``start``.

    ``spans`` hold the group objects of the import itself (so ``is`` compares them), under
    ``group_field``. ``exact`` spans (ODS: the join and left dates are the facts) set the start
    and end of the matching membership of that group (and a membership that ended on its old
    start now ends on the new one). ``keep`` (a file older than the one the memberships came
    from) leaves a matching or clashing membership as it is and only adds one where none is.
    Otherwise the file says only that the practice was in the group from about ``start``: any
    membership of that group still open on ``start``, or starting later, already says so and is
    left alone (no history is invented).
    In both cases a membership of another group that starts on that very day is taken to have
    been corrected to this group. The caller runs :func:`close_spans` afterwards.
    """
    same = sorted(
        (s for s in spans if getattr(s, group_field) is group and _overlaps(s, start, end if exact else None)),
        key=lambda s: s.start_date,
    )
    if same and keep:
        return same[0]
    if same and exact:
        span = same[0]
        for other in spans:
            # A membership that ended because this one began (an inferred end) moves with its start.
            if other is not span and other.end_date == span.start_date != start and other.start_date < start:
                other.end_date = start
        span.start_date, span.end_date = start, end
        return span
    if same:
        return same[0]
    clash = next((s for s in spans if s.start_date == start), None)
    if clash is not None and keep:
        return clash
    if clash is not None:
        setattr(clash, group_field, group)
        if exact:
            clash.end_date = end
        return clash
    span = make()
    spans.append(span)
    return span


def close_spans(spans: list, *, group_field: str) -> None:
    """End an open-ended membership on the day the practice's next membership, elsewhere, starts."""
    ordered = sorted(spans, key=lambda s: s.start_date)
    for span, following in zip(ordered, ordered[1:], strict=False):
        if (
            span.end_date is None
            and following.start_date > span.start_date
            and getattr(following, group_field) is not getattr(span, group_field)
        ):
            span.end_date = following.start_date


def latest_span(spans: list) -> Any | None:
    return max(spans, key=lambda s: s.start_date, default=None)
