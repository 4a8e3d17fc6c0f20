"""Load the demo GP Forward View plans into the CCGs the demo has loaded.

Every record is looked up by its natural key first (a plan by CCG and years, an action by
its local code, a risk by its reference, ...) and only created when missing, and nothing
that exists is changed, so a second run writes nothing and adds no history. A write to a
plan goes through ``plan_open_for_edit``, as an edit in the portal would: on a plan whose
current version is approved it opens the next version as a draft.

Version 1 is approved (where the plan says so) in the run that creates the plan, and the
changes after approval are made in that run only, so they never undo a person's later edits.

An action with a timeline (dated states, as Wolverhampton's are) is saved once per state, its
status change recorded with the date it took effect and its history row dated the same day, so
the plan read as at a date and "what changed between two dates" both follow the timeline.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from commissioning.models import (
    Action,
    Chapter,
    HighImpactAction,
    Milestone,
    NationalCommitment,
    Plan,
    ProgressReport,
    Risk,
    TaskAndFinishGroup,
    Trajectory,
    TrajectoryPoint,
)
from commissioning.services import (
    PlanLocked,
    action_status_record,
    plan_create,
    plan_open_for_edit,
    plan_version_approve,
    plan_version_submit,
)
from practices.models import CCG, Cluster, Role, User

from . import durham, luton, norfolk, wolverhampton
from .specs import FIRST_YEAR, LAST_YEAR, PLAN_TITLE, ActionSpec, PlanSpec, RiskSpec, quarter_start

logger = logging.getLogger(__name__)

DEMO_PLANS: tuple[PlanSpec, ...] = (luton.PLAN, wolverhampton.PLAN, *durham.PLANS, *norfolk.PLANS)

COUNTED = (
    "plans",
    "plan_versions",
    "task_groups",
    "actions",
    "milestones",
    "trajectories",
    "trajectory_points",
    "risks",
    "progress_reports",
)


def load_demo_plans(*, user: User | None = None) -> dict[str, int]:
    """Create what is missing of the demo plans; return how many of each record were created.

    ``user`` is recorded as the author of progress reports, the approver and in the history;
    without one, each CCG's first demo commissioner is, or else an administrator. A CCG that
    is not loaded is skipped and counted under ``ccgs_not_loaded``.
    """
    counts: Counter[str] = Counter()
    with transaction.atomic():
        frame = _Frame()
        ccgs = {c.ods_code: c for c in CCG.objects.filter(ods_code__in=[s.ods_code for s in DEMO_PLANS])}
        for spec in DEMO_PLANS:
            ccg = ccgs.get(spec.ods_code)
            if ccg is None:
                counts["ccgs_not_loaded"] += 1
                continue
            _PlanLoader(spec, ccg, user or _commissioner_of(ccg), frame, counts).load()
    return {key: counts[key] for key in (*COUNTED, "ccgs_not_loaded")}


def _commissioner_of(ccg: CCG) -> User | None:
    role = (
        Role.objects.filter(kind=Role.Kind.COMMISSIONER, ccg=ccg).select_related("user").order_by("pk").first()
        or Role.objects.filter(kind=Role.Kind.ADMINISTRATOR).select_related("user").order_by("pk").first()
    )
    return role.user if role else User.objects.filter(is_superuser=True).order_by("pk").first()


class _Frame:
    """The national frame, read once."""

    def __init__(self) -> None:
        self.chapters = {c.code: c for c in Chapter.objects.all()}
        self.commitments = {c.code: c for c in NationalCommitment.objects.all()}
        self.high_impact_actions = {h.number: h for h in HighImpactAction.objects.all()}


@contextmanager
def _without_history(obj):
    obj.skip_history_when_saving = True
    try:
        yield
    finally:
        del obj.skip_history_when_saving


def _at_end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(17, 0)))


class _PlanLoader:
    def __init__(self, spec: PlanSpec, ccg: CCG, actor: User | None, frame: _Frame, counts: Counter) -> None:
        self.spec, self.ccg, self.actor, self.frame, self.counts = spec, ccg, actor, frame, counts
        self.editing = False

    def load(self) -> None:
        plan = Plan.objects.filter(ccg=self.ccg, first_year=FIRST_YEAR, last_year=LAST_YEAR).first()
        created = plan is None
        if created:
            plan = plan_create(ccg=self.ccg, title=PLAN_TITLE, first_year=FIRST_YEAR, last_year=LAST_YEAR)
            self.counts["plans"] += 1
            self.counts["plan_versions"] += 1
            self.editing = True
        self.plan = plan
        self.groups = self._task_groups()
        self.clusters = {c.name: c for c in Cluster.objects.filter(ccg=self.ccg)}
        self.actions = {a.local_code: a for a in plan.actions.all()}
        self.existing_milestones = set(Milestone.objects.filter(action__plan=plan).values_list("action", "title"))
        self.existing_trajectories = {(t.action_id, t.measure): t for t in Trajectory.objects.filter(action__plan=plan)}
        self.existing_points = set(
            TrajectoryPoint.objects.filter(trajectory__action__plan=plan).values_list("trajectory", "period")
        )
        self.existing_risks = set(plan.risks.values_list("reference", flat=True))
        self.new_milestones: list[Milestone] = []
        self.new_points: list[TrajectoryPoint] = []
        try:
            for action in self.spec.actions:
                self._action(action)
            self._create_pending()
            for risk in self.spec.risks:
                self._risk(risk)
            if created and self.spec.approval:
                self._approve()
            if created:
                self._edit_after_approval()
            for action in self.spec.actions_after_approval:
                self._action(action, typed_now=True)
            self._create_pending()
        except PlanLocked:
            logger.info("Demo plan for %s left as it is: its current version is submitted.", self.ccg)
        self._reports()

    # Writes to the plan's content belong to its open draft version.
    def _open_for_edit(self) -> None:
        if self.editing:
            return
        before = self.plan.versions.count()
        plan_open_for_edit(plan=self.plan)
        self.counts["plan_versions"] += self.plan.versions.count() - before
        self.editing = True

    def _save(self, obj, when: dt.datetime | None = None) -> None:
        if self.actor is not None:
            obj._history_user = self.actor
        if when is not None:
            obj._history_date = when
        elif hasattr(obj, "_history_date"):  # simple_history would date this save as the last one
            del obj._history_date
        obj.save()

    def _task_groups(self) -> dict[str, TaskAndFinishGroup]:
        groups = {g.name: g for g in TaskAndFinishGroup.objects.filter(ccg=self.ccg)}
        for name, chair in self.spec.task_groups:
            if name not in groups:
                groups[name] = TaskAndFinishGroup(ccg=self.ccg, name=name, chair=chair)
                self._save(groups[name])
                self.counts["task_groups"] += 1
        return groups

    def _action(self, spec: ActionSpec, *, typed_now: bool = False) -> None:
        """A new action is saved in its first state, then once per later state of its timeline,
        each dated on the day it took effect (so its history, and the plan's "what changed between
        two dates", read as the timeline does), unless ``typed_now`` (added after approval: its
        history starts when it is loaded, though its statuses take effect from their dates)."""
        action = self.actions.get(spec.code)
        if action is None:
            self._open_for_edit()
            states = spec.timeline or ((dt.date(FIRST_YEAR, 4, 1), spec.status, spec.rag, spec.rag_reason),)
            if states[-1][1:] != (spec.status, spec.rag, spec.rag_reason):
                raise ValueError(f"{spec.code}: the last state of its timeline is not its present one.")
            action = Action(
                plan=self.plan,
                local_code=spec.code,
                title=spec.title,
                description=spec.description,
                chapter=self.frame.chapters[spec.chapter],
                strategy_reference=spec.strategy_reference,
                lead=spec.lead,
                task_group=self.groups.get(spec.group),
                start_date=spec.start_date,
                due_date=spec.due_date,
            )
            today = timezone.localdate()
            for day, status, rag, rag_reason in states:
                action.status, action.rag, action.rag_reason = status, rag, rag_reason
                dated = spec.timeline and not typed_now
                self._save(action, when=_at_end_of_day(min(day, today)) if dated else None)
                action_status_record(action=action, effective_on=min(day, today), user=self.actor)
            self._link(action, spec)
            self.actions[spec.code] = action
            self.counts["actions"] += 1
        self._milestones(action, spec)
        self._trajectories(action, spec)

    def _link(self, action: Action, spec: ActionSpec) -> None:
        """Link the commitments, High Impact Actions and clusters, then record them in one history entry.

        Each ``set()`` would otherwise add its own history entry, each reading every link table.
        """
        related = {
            action.commitments: [self.frame.commitments[code] for code in spec.commitments],
            action.high_impact_actions: [self.frame.high_impact_actions[n] for n in spec.high_impact_actions],
            action.clusters: [self.clusters[name] for name in spec.clusters if name in self.clusters],
        }
        if not any(related.values()):
            return
        with _without_history(action):
            for manager, objs in related.items():
                if objs:
                    manager.set(objs)
        self._save(action)

    def _milestones(self, action: Action, spec: ActionSpec) -> None:
        for milestone in spec.milestones:
            if (action.pk, milestone.title) in self.existing_milestones:
                continue
            self._open_for_edit()
            self.new_milestones.append(
                Milestone(
                    action=action, title=milestone.title, due_date=milestone.due, completed_on=milestone.completed
                )
            )

    def _trajectories(self, action: Action, spec: ActionSpec) -> None:
        for trajectory_spec in spec.trajectories:
            trajectory = self.existing_trajectories.get((action.pk, trajectory_spec.measure))
            if trajectory is None:
                self._open_for_edit()
                trajectory = Trajectory(
                    action=action,
                    measure=trajectory_spec.measure,
                    unit=trajectory_spec.unit,
                    higher_is_better=trajectory_spec.higher_is_better,
                )
                self._save(trajectory)
                self.counts["trajectories"] += 1
            for period, planned, actual in trajectory_spec.values():
                if (trajectory.pk, period) in self.existing_points:
                    continue
                self._open_for_edit()
                point = TrajectoryPoint(trajectory=trajectory, period=period, planned=planned, actual=actual)
                if actual is not None:
                    point.actual_source = TrajectoryPoint.Source.TYPED
                self.new_points.append(point)

    def _create_pending(self) -> None:
        """Milestones and trajectory points, many to an action, are written in bulk with their history."""
        for model, objs, label in (
            (Milestone, self.new_milestones, "milestones"),
            (TrajectoryPoint, self.new_points, "trajectory_points"),
        ):
            if objs:
                bulk_create_with_history(objs, model, default_user=self.actor)
                self.counts[label] += len(objs)
            objs.clear()

    def _risk(self, spec: RiskSpec) -> None:
        """A new risk is saved once per review, dated on the review, so its history is its score over time."""
        if spec.reference in self.existing_risks:
            return
        self._open_for_edit()
        (first_review, likelihood, impact), *later_reviews = spec.reviews
        risk = Risk(
            plan=self.plan,
            reference=spec.reference,
            description=spec.description,
            owner=spec.owner,
            mitigations=spec.mitigations,
            likelihood=likelihood,
            impact=impact,
        )
        self._save(risk, when=_at_end_of_day(first_review))
        threatened = [self.actions[code] for code in spec.actions if code in self.actions]
        if threatened:
            # Recorded with the next review rather than as an entry of its own beside the first score.
            with _without_history(risk):
                risk.actions.set(threatened)
            if not later_reviews:
                self._save(risk, when=_at_end_of_day(first_review))
        for review, likelihood, impact in later_reviews:
            risk.likelihood, risk.impact = likelihood, impact
            self._save(risk, when=_at_end_of_day(review))
        self.counts["risks"] += 1

    def _approve(self) -> None:
        approval = self.spec.approval
        version = self.plan.current_version
        plan_version_submit(version=version, user=self.actor)
        plan_version_approve(
            version=version,
            committee=approval.committee,
            decided_on=approval.decided_on,
            minute_reference=approval.minute_reference,
            user=self.actor,
        )
        # The demo is typed today: date the submission before the committee's decision (illustrative:
        # a week before), so the versions table does not read "submitted" years after "approved".
        # ``approved_at`` stays the moment of recording: the version's frozen content is read as of it.
        type(version).objects.filter(pk=version.pk).update(
            submitted_at=_at_end_of_day(approval.decided_on - dt.timedelta(days=7))
        )
        self.editing = False

    def _edit_after_approval(self) -> None:
        for edit in self.spec.edits_after_approval:
            self._open_for_edit()
            action = self.actions[edit.code]
            for name, value in edit.changes.items():
                setattr(action, name, value)
            self._save(action)
            today = timezone.localdate()
            action_status_record(action=action, effective_on=min(edit.effective_on or today, today), user=self.actor)

    def _reports(self) -> None:
        """Reports are not part of a plan version: they are written about it, so they open no draft."""
        if self.actor is None:
            logger.info("No demo progress reports for %s: no one to write them.", self.ccg)
            return
        existing = set(self.plan.progress_reports.filter(task_group__isnull=False).values_list("period", "task_group"))
        for report in self.spec.reports:
            group = self.groups[report.group]
            period = quarter_start(report.quarter)
            if (period, group.pk) in existing:
                continue
            self._save(
                ProgressReport(
                    plan=self.plan,
                    period=period,
                    frequency=ProgressReport.Frequency.QUARTERLY,
                    task_group=group,
                    progress_made=report.progress,
                    next_steps=report.next_steps,
                    author=self.actor,
                )
            )
            self.counts["progress_reports"] += 1
