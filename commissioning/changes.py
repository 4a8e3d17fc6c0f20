"""What changed in a plan between two dates: the "since the last meeting" of a board paper,
and the plan's "Compare two dates" page (a baseline comparison).

The window is ``(start, end]``: a change on the day of the earlier date was already in the
paper of that day; a change on the later date is in this one. Actions are read from their dated
status history (by the date each status took effect, which may be before it was typed); risks
and trajectory actuals from their change history (recorded on the day they were typed);
decisions by the dates the committees decided.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import CharField, DateField, OuterRef, Subquery
from django.utils import timezone

from portal.snapshots import end_of_day

from .funding.models import Scheme
from .models import Action, ActionStatusChange, Plan, PlanVersion, Risk, TrajectoryPoint, risk_score


def _window(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The moments the window of days ``(start, end]`` runs between: from midnight after ``start``
    up to (not including) midnight after ``end``, in local time."""
    return end_of_day(start), end_of_day(end)


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
    """Actions whose status or RAG in force at the end of ``end`` differs from that in force at
    the end of ``start``, from the dated status history (``ActionStatusChange``): a change counts
    by the date it took effect, not the day it was typed, so one effective before the window but
    typed in it is not a move of the window. One query, a row per action of the plan."""

    def state(on: dt.date, name: str, output) -> Subquery:
        latest = ActionStatusChange.objects.filter(action=OuterRef("pk"), effective_on__lte=on).order_by(
            "-effective_on", "-recorded_at", "-pk"
        )
        return Subquery(latest.values(name)[:1], output_field=output)

    rows = (
        Action.objects.filter(plan_id=plan.pk)
        .annotate(
            old_status=state(start, "status", CharField()), old_rag=state(start, "rag", CharField()),
            new_status=state(end, "status", CharField()), new_rag=state(end, "rag", CharField()),
            changed_on=state(end, "effective_on", DateField()),
        )
        .filter(new_status__isnull=False)
        .values("pk", "local_code", "title", "old_status", "old_rag", "new_status", "new_rag", "changed_on")
        .order_by("local_code")
    )  # fmt: skip
    return [
        ActionMove(
            action_id=row["pk"],
            local_code=row["local_code"],
            title=row["title"],
            old_status=row["old_status"],
            new_status=row["new_status"],
            old_rag=row["old_rag"] if row["old_status"] is not None else None,
            new_rag=row["new_rag"],
            changed_on=row["changed_on"],
        )  # fmt: skip
        for row in rows
        if (row["old_status"], row["old_rag"]) != (row["new_status"], row["new_rag"])
    ]


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
