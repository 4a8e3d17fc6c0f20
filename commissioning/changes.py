"""What changed in a plan between two dates: the "since the last meeting" of a board paper,
and the plan's "Compare two dates" page (a baseline comparison).

The window is ``(start, end]``: a change on the day of the earlier date was already in the
paper of that day; a change on the later date is in this one. Actions, risks and trajectory
actuals are read from their change history (recorded on the day they were typed); decisions
by the dates the committees decided.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Subquery
from django.utils import timezone

from .funding.models import Scheme
from .models import Action, Plan, PlanVersion, Risk, TrajectoryPoint, risk_score


def _window(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The moments the window of days ``(start, end]`` runs between: from midnight after ``start``
    up to (not including) midnight after ``end``, in local time."""
    after = timezone.make_aware(dt.datetime.combine(start + dt.timedelta(days=1), dt.time.min))
    until = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    return after, until


@dataclass
class ActionMove:
    """An action whose status or RAG rating was not the same at the end of the window as at its start.
    ``old_*`` are ``None`` for an action added in the window."""

    action_id: int
    local_code: str
    title: str
    old_status: str | None
    new_status: str
    old_rag: str | None
    new_rag: str
    changed_on: dt.date

    @property
    def added(self) -> bool:
        return self.old_status is None

    @property
    def status_moved(self) -> bool:
        return self.old_status != self.new_status

    @property
    def rag_moved(self) -> bool:
        return self.old_rag != self.new_rag

    @property
    def old_status_label(self) -> str:
        return Action.Status(self.old_status).label if self.old_status else "(not in the plan)"

    @property
    def new_status_label(self) -> str:
        return Action.Status(self.new_status).label

    @property
    def old_rag_label(self) -> str:
        return "(not in the plan)" if self.old_rag is None else Action.RAG(self.old_rag).label

    @property
    def new_rag_label(self) -> str:
        return Action.RAG(self.new_rag).label


@dataclass
class RiskChange:
    """A risk opened, closed or rescored in the window. ``old_score`` is ``None`` for a new risk."""

    risk_id: int
    reference: str
    description: str
    kind: str  # "new", "closed" or "rescored"
    old_score: int | None
    new_score: int


@dataclass
class NewActual:
    """A trajectory period whose actual value was first recorded in the window."""

    point: TrajectoryPoint
    recorded_on: dt.date


@dataclass
class PlanChanges:
    plan: Plan
    start: dt.date
    end: dt.date
    actions: list[ActionMove] = field(default_factory=list)
    risks: list[RiskChange] = field(default_factory=list)
    actuals: list[NewActual] = field(default_factory=list)
    versions: list[PlanVersion] = field(default_factory=list)
    schemes: list[Scheme] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.actions or self.risks or self.actuals or self.versions or self.schemes)

    @property
    def new_risks(self) -> list[RiskChange]:
        return [r for r in self.risks if r.kind == "new"]

    @property
    def closed_risks(self) -> list[RiskChange]:
        return [r for r in self.risks if r.kind == "closed"]

    @property
    def rescored_risks(self) -> list[RiskChange]:
        return [r for r in self.risks if r.kind == "rescored"]


def _states(history, after: dt.datetime, until: dt.datetime, fields: list[str]):
    """For each object with a history row in ``[after, until)``: its row before the window (or
    ``None``), its last row in it, and when that was. ``history`` is a historical queryset already
    filtered to the objects wanted; one query, ordered by object and time."""
    in_window = history.filter(history_date__gte=after, history_date__lt=until).values("id")
    rows = (
        history.filter(history_date__lt=until, id__in=Subquery(in_window))
        .order_by("id", "history_date", "history_id")
        .values("id", "history_date", "history_type", *fields)
    )
    states: dict[int, list] = {}
    for row in rows:
        before, last, _when = states.get(row["id"], (None, None, None))
        if row["history_date"] < after:
            before = row
        else:
            last = row
        states[row["id"]] = [before, last, row["history_date"]]
    for before, last, when in states.values():
        if last is not None:
            if before is not None and before["history_type"] == "-":
                before = None
            yield before, last, timezone.localtime(when).date()


def action_moves(*, plan: Plan, start: dt.date, end: dt.date) -> list[ActionMove]:
    """Actions whose status or RAG at the end of ``(start, end]`` differs from the start, from the
    actions' change history. Kept alone so that it can read a dated status history instead."""
    after, until = _window(start, end)
    moves = []
    history = Action.history.filter(plan_id=plan.pk)
    for before, last, when in _states(history, after, until, ["local_code", "title", "status", "rag"]):
        if last["history_type"] == "-":
            continue
        old_status, old_rag = (before["status"], before["rag"]) if before else (None, None)
        if old_status == last["status"] and old_rag == last["rag"]:
            continue
        moves.append(
            ActionMove(
                action_id=last["id"], local_code=last["local_code"], title=last["title"],
                old_status=old_status, new_status=last["status"], old_rag=old_rag, new_rag=last["rag"],
                changed_on=when,
            )
        )  # fmt: skip
    return sorted(moves, key=lambda m: m.local_code)


def risk_changes(*, plan: Plan, start: dt.date, end: dt.date) -> list[RiskChange]:
    """Risks added, closed or rescored (likelihood x impact) in ``(start, end]``, from the register's history."""
    after, until = _window(start, end)
    changes = []
    history = Risk.history.filter(plan_id=plan.pk)
    fields = ["reference", "description", "likelihood", "impact", "status"]
    for before, last, _when in _states(history, after, until, fields):
        if last["history_type"] == "-":
            continue
        new_score = risk_score(last["likelihood"], last["impact"])
        common = {"risk_id": last["id"], "reference": last["reference"], "description": last["description"]}
        if before is None:
            changes.append(RiskChange(**common, kind="new", old_score=None, new_score=new_score))
            continue
        old_score = risk_score(before["likelihood"], before["impact"])
        if before["status"] != Risk.Status.CLOSED and last["status"] == Risk.Status.CLOSED:
            changes.append(RiskChange(**common, kind="closed", old_score=old_score, new_score=new_score))
        elif old_score != new_score:
            changes.append(RiskChange(**common, kind="rescored", old_score=old_score, new_score=new_score))
    return sorted(changes, key=lambda c: c.reference)


def new_actuals(*, plan: Plan, start: dt.date, end: dt.date) -> list[NewActual]:
    """Trajectory periods whose actual went from none to a value in ``(start, end]``. Two queries."""
    after, until = _window(start, end)
    history = TrajectoryPoint.history.filter(trajectory__action__plan_id=plan.pk)
    recorded: dict[int, tuple[dt.date, Decimal]] = {}
    for before, last, when in _states(history, after, until, ["actual"]):
        if last["history_type"] != "-" and last["actual"] is not None and (before is None or before["actual"] is None):
            recorded[last["id"]] = (when, last["actual"])
    points = TrajectoryPoint.objects.filter(pk__in=recorded).select_related("trajectory__action")
    found = []
    for point in points:
        point.actual = recorded[point.pk][1]  # the value at the end of the window, not today's
        found.append(NewActual(point=point, recorded_on=recorded[point.pk][0]))
    return sorted(
        found, key=lambda n: (n.point.trajectory.action.local_code, n.point.trajectory.measure, n.point.period)
    )


def plan_changes_between(*, plan: Plan, start: dt.date, end: dt.date) -> PlanChanges:
    """What changed in ``plan`` after ``start`` up to and including ``end``. Seven queries, whatever its size."""
    return PlanChanges(
        plan=plan,
        start=start,
        end=end,
        actions=action_moves(plan=plan, start=start, end=end),
        risks=risk_changes(plan=plan, start=start, end=end),
        actuals=new_actuals(plan=plan, start=start, end=end),
        versions=list(
            plan.versions.filter(
                status=PlanVersion.Status.APPROVED, approved_on__gt=start, approved_on__lte=end
            ).order_by("approved_on", "number")
        ),
        schemes=list(
            Scheme.objects.filter(
                ccg_id=plan.ccg_id, status__in=Scheme.DECIDED, decided_on__gt=start, decided_on__lte=end
            )
            .select_related("stream")
            .order_by("decided_on", "title")
        ),
    )
