"""One status-machine mechanism for every record that moves through statuses.

A ``StatusMachine`` names the moves a status field allows and is the only way the status
changes: ``move`` refuses a move the machine does not allow (with a message that says where
the record is and where it may go next), writes one audit row for the move, and sets the
field. The caller saves the record, with whatever else the step changes, in the same
transaction.

Returns (``returns.services``), plan versions (``commissioning.models``), funding schemes
(``commissioning.funding.models``) and premises schemes (``estates.models``) each declare
one machine. Returns and premises schemes keep their own audit models (a return's move
names its revision; a premises scheme's move is dated by the day it happened);
the others record a generic ``portal.models.StatusMove``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.db import models


class IllegalMove(Exception):
    """A move the status machine does not allow; the message says why, in plain words."""


#: ``audit(record, from_status, to_status, *, by, note, **details)`` writes the audit row.
Audit = Callable[..., object]


def record_status_move(record: models.Model, from_status: str, to_status: str, *, by, note: str = "") -> object:
    """The generic audit row (``portal.models.StatusMove``) for machines without their own."""
    from .models import StatusMove  # the kernel's own model, imported late: models import this module

    return StatusMove.write(record, from_status, to_status, by=by, note=note)


@dataclass(frozen=True)
class StatusMachine:
    status: type[models.TextChoices]
    moves: Mapping[str, Iterable[str]]
    noun: str
    error: type[Exception] = IllegalMove
    audit: Audit = record_status_move
    field: str = "status"

    def __post_init__(self):
        statuses = set(self.status.values)
        if set(self.moves) != statuses:
            missing, extra = statuses - set(self.moves), set(self.moves) - statuses
            raise ValueError(f"The {self.noun} machine must say where each status may go: {missing or extra}.")
        for start, ends in self.moves.items():
            unknown = set(ends) - statuses
            if unknown:
                raise ValueError(f"The {self.noun} machine moves {start} to unknown statuses {unknown}.")
        # In the order the statuses are declared, so that pages list the next steps in order.
        ordered = {start: tuple(s for s in self.status.values if s in set(ends)) for start, ends in self.moves.items()}
        object.__setattr__(self, "moves", ordered)

    def allowed(self, from_status: str) -> tuple[str, ...]:
        return self.moves[from_status]

    def can(self, from_status: str, to_status: str) -> bool:
        return to_status in self.moves.get(from_status, ())

    def label(self, status: str) -> str:
        return self.status(status).label

    def check(self, from_status: str, to_status: str) -> None:
        if not self.can(from_status, to_status):
            allowed = ", ".join(self.label(s).lower() for s in self.allowed(from_status)) or "none"
            raise self.error(
                f"A {self.noun} at '{self.label(from_status)}' cannot move to '{self.label(to_status)}'. "
                f"Next steps allowed: {allowed}."
            )

    def move(self, record: models.Model, to_status: str, *, by, note: str = "", **details):
        """Move ``record`` to ``to_status`` and return the audit row written for the move.

        The record is not saved: the caller saves it with the step's other fields.
        """
        from_status = getattr(record, self.field)
        self.check(from_status, to_status)
        row = self.audit(record, from_status, to_status, by=by, note=note, **details)
        setattr(record, self.field, to_status)
        return row

    def moves_of(self, record: models.Model) -> list:
        """The record's recorded moves (``portal.StatusMove``), oldest first, with the statuses'
        labels as ``from_label`` and ``to_label`` for the page."""
        from .models import StatusMove

        moves = list(StatusMove.of(record))
        for move in moves:
            move.from_label, move.to_label = self.label(move.from_status), self.label(move.to_status)
        return moves
