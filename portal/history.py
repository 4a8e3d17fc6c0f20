"""Read django-simple-history records as a list of changes a person can follow: who, when, what."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from .display import field_value

KIND = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: dt.datetime
    who: str
    kind: str
    changes: list[Change] = field(default_factory=list)


def history_of(obj, limit: int = 50) -> list[HistoryEntry]:
    """The latest ``limit`` changes to ``obj``, newest first, in a fixed number of queries."""
    records = list(obj.history.select_related("history_user").order_by("-history_id")[: limit + 1])
    model = type(obj)
    fields = {f.name: f for f in model._meta.concrete_fields}
    pairs = [(record, records[i + 1] if i + 1 < len(records) else None) for i, record in enumerate(records[:limit])]
    deltas = {}
    wanted: dict[type, set] = defaultdict(set)
    for record, previous in pairs:
        if previous is None or record.history_type == "+":
            continue
        delta = record.diff_against(previous)
        deltas[record.history_id] = delta.changes
        for change in delta.changes:
            model_field = fields.get(change.field)
            if model_field is not None and model_field.is_relation:
                wanted[model_field.related_model].update(v for v in (change.old, change.new) if v is not None)
    related = {m: m._default_manager.in_bulk(ids) for m, ids in wanted.items()}

    entries = []
    for record, _previous in pairs:
        entry = HistoryEntry(
            when=record.history_date,
            who=str(record.history_user) if record.history_user else "The system (an import or a job)",
            kind=KIND.get(record.history_type, record.history_type),
        )
        for change in deltas.get(record.history_id, []):
            model_field = fields.get(change.field)
            if model_field is None:
                continue
            lookup = related.get(model_field.related_model) if model_field.is_relation else None
            entry.changes.append(
                Change(
                    label=str(model_field.verbose_name).capitalize(),
                    old=field_value(model_field, change.old, lookup),
                    new=field_value(model_field, change.new, lookup),
                )
            )
        entries.append(entry)
    return entries
