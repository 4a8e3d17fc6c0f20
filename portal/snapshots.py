"""Rows read "as at" a date: one mechanism for every model whose past state the portal shows.

A model's queryset subclasses ``AsAtQuerySet`` and says two things: how to annotate each row's
values as they stood (``annotate_as_at``) and which attributes take which annotations
(``AS_AT_FIELDS``). ``as_at(on)`` does the rest: it keeps the date through chaining, refuses to be
read at two dates, and fetches instances that carry the past values in their normal attributes
(so ``get_status_display``, ``score`` and tables work unchanged) with ``as_at_date`` set. Such an
instance is a snapshot: ``SnapshotModel.save`` refuses it.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone


def end_of_day(on: dt.date) -> dt.datetime:
    """Midnight after ``on``, local time: what was recorded "by the end of that day" is before it."""
    return timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min))


class AsAtIterable(models.query.ModelIterable):
    def __iter__(self):
        queryset = self.queryset
        fields, on = queryset.AS_AT_FIELDS, queryset._as_at_on
        for obj in super().__iter__():
            for attribute, annotation in fields.items():
                setattr(obj, attribute, getattr(obj, annotation))
            obj.as_at_date = on
            yield obj


class AsAtQuerySet(models.QuerySet):
    #: attribute of a fetched instance -> the annotation holding its value as at the date
    AS_AT_FIELDS: dict[str, str] = {}
    _as_at_on: dt.date | None = None

    def _clone(self):
        clone = super()._clone()
        clone._as_at_on = self._as_at_on
        return clone

    @property
    def as_at_on(self) -> dt.date | None:
        """The date this queryset is read as at, or None."""
        return self._as_at_on

    def annotate_as_at(self, on: dt.date) -> AsAtQuerySet:  # pragma: no cover - abstract
        raise NotImplementedError

    def as_at(self, on: dt.date | None = None):
        """The rows as they stood at the end of ``on`` (today if not given); see the subclass's
        ``annotate_as_at`` for what that means for its model."""
        on = on or timezone.localdate()
        if self._as_at_on is not None:
            if self._as_at_on != on:
                raise ValueError("This queryset is already as at another date.")
            return self
        qs = self.annotate_as_at(on)
        qs._as_at_on = on
        if qs._iterable_class is models.query.ModelIterable:
            qs._iterable_class = AsAtIterable
        return qs


class SnapshotModel(models.Model):
    """A model whose instances read ``as_at`` a past date refuse to be saved."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if getattr(self, "as_at_date", None) is not None:
            name = self._meta.verbose_name
            raise ValueError(f"This {name} was read as at {self.as_at_date}: it is a snapshot and cannot be saved.")
        super().save(*args, **kwargs)
