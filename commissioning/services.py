"""Writes and reads of GP Forward View plans that span several models.

Versioning: actions, milestones, trajectories and risks are edited in place. A version
that is approved is frozen as the plan stood at ``approved_at``, read back from the
change history; the first edit after an approval opens the next version as a draft,
and a submitted version cannot be edited until it is approved or sent back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import PurePath

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from portal import outbox
from portal.periods import FinancialYear, add_months
from practices.models import CCG

from .models import (
    PLAN_VERSION_WORKFLOW,
    Action,
    ActionStatusChange,
    Chapter,
    Plan,
    PlanVersion,
    PlanVersionError,
    ProgressReport,
    TrackerImportRun,
)


class PlanLocked(Exception):
    """The plan's current version is submitted: it can be approved or sent back, not edited."""


@transaction.atomic
def plan_create(*, ccg: CCG, title: str, first_year: int, last_year: int) -> Plan:
    plan = Plan.objects.create(ccg=ccg, title=title, first_year=first_year, last_year=last_year)
    PlanVersion.objects.create(plan=plan, number=1)
    return plan


@transaction.atomic
def plan_open_for_edit(*, plan: Plan) -> PlanVersion:
    """The draft version that an edit belongs to, opening the next one after an approval."""
    current = PlanVersion.objects.select_for_update().filter(plan=plan).order_by("-number").first()
    if current is None:
        return PlanVersion.objects.create(plan=plan, number=1)
    if current.status == PlanVersion.Status.SUBMITTED:
        raise PlanLocked(
            f"Version {current.number} of this plan has been submitted for approval and cannot be changed. "
            "Ask for it to be sent back, or approve it, before editing."
        )
    if current.status == PlanVersion.Status.APPROVED:
        return PlanVersion.objects.create(plan=plan, number=current.number + 1)
    return current


@transaction.atomic
def plan_version_submit(*, version: PlanVersion, user) -> PlanVersion:
    PLAN_VERSION_WORKFLOW.move(version, PlanVersion.Status.SUBMITTED, by=user)
    version.submitted_at = timezone.now()
    version.submitted_by = user
    version.save()
    return version


@transaction.atomic
def plan_version_return(*, version: PlanVersion, user) -> PlanVersion:
    """Send a submitted version back to draft so it can be changed."""
    PLAN_VERSION_WORKFLOW.move(version, PlanVersion.Status.DRAFT, by=user)
    version.save()
    return version


@transaction.atomic
def plan_version_approve(
    *, version: PlanVersion, committee: str, decided_on: dt.date, minute_reference: str = "", user
) -> PlanVersion:
    PLAN_VERSION_WORKFLOW.check(version.status, PlanVersion.Status.APPROVED)
    if not committee.strip():
        raise PlanVersionError("Name the committee that approved the plan.")
    note = _decision_note(committee, minute_reference)
    PLAN_VERSION_WORKFLOW.move(version, PlanVersion.Status.APPROVED, by=user, note=note)
    version.approving_committee = committee.strip()
    version.approved_on = decided_on
    version.minute_reference = minute_reference
    version.approved_at = timezone.now()
    version.approved_by = user
    version.save()
    return version


def _decision_note(committee: str, minute_reference: str) -> str:
    return f"{committee.strip()}, minute {minute_reference.strip()}" if minute_reference.strip() else committee.strip()


def plan_version_actions(*, version: PlanVersion) -> list[Action]:
    """The plan's actions as they stood in this version."""
    if version.is_frozen:
        snapshot = Action.history.as_of(version.approved_at).filter(plan_id=version.plan_id)
        return sorted(snapshot, key=lambda a: a.local_code)
    return list(Action.objects.filter(plan_id=version.plan_id).order_by("local_code"))


class FutureStatusDate(ValueError):
    """A status cannot take effect on a date that has not come yet."""


def action_status_record(
    *, action: Action, effective_on: dt.date | None = None, user=None, progress_report: ProgressReport | None = None
) -> ActionStatusChange | None:
    """Record the action's present status, RAG, reason and due date as taking effect on
    ``effective_on`` (default today; never in the future), unless they are what its latest
    recorded change already says. Call it after every save of an action. With a
    ``progress_report`` the change is always recorded, linked to the report, so that a report
    that confirms an unchanged status still records what it reported."""
    today = timezone.localdate()
    effective_on = effective_on or today
    if effective_on > today:
        raise FutureStatusDate("The date a status took effect cannot be in the future.")
    state = tuple(getattr(action, name) for name in ActionStatusChange.STATE_FIELDS)
    latest = action.status_changes.order_by("-effective_on", "-recorded_at", "-pk").first()
    if latest is not None and latest.state() == state and progress_report is None:
        return None
    return ActionStatusChange.objects.create(
        action=action,
        effective_on=effective_on,
        recorded_by=user if getattr(user, "is_authenticated", False) else None,
        progress_report=progress_report,
        **dict(zip(ActionStatusChange.STATE_FIELDS, state, strict=True)),
    )


def action_status_backfill(*, action_model=None, historical_model=None, change_model=None) -> int:
    """One status change per history row of an action whose status, RAG, reason or due date
    differs from the row before it (effective the day it was saved, by whoever saved it), and
    one from today for any action left without a change. Used by the migration; returns the
    number of changes written. Safe to run twice: actions that have changes are skipped."""
    historical_model = historical_model or Action.history.model
    change_model = change_model or ActionStatusChange
    action_model = action_model or Action
    done = set(change_model.objects.values_list("action_id", flat=True).distinct())
    existing = set(action_model.objects.values_list("pk", flat=True))
    fields = ("status", "rag", "rag_reason", "due_date")
    rows = historical_model.objects.order_by("id", "history_date", "history_id").values(
        "id", "history_date", "history_user_id", "history_type", *fields
    )
    new, previous = [], {}
    for row in rows.iterator(chunk_size=2000):
        if row["id"] in done or row["id"] not in existing:
            continue
        state = tuple(row[name] for name in fields)
        if previous.get(row["id"]) == state:
            continue
        previous[row["id"]] = state
        new.append(
            change_model(
                action_id=row["id"],
                effective_on=timezone.localdate(row["history_date"]),
                recorded_at=row["history_date"],
                recorded_by_id=row["history_user_id"],
                **dict(zip(fields, state, strict=True)),
            )
        )
    covered = done | previous.keys()
    now = timezone.now()
    for action in action_model.objects.exclude(pk__in=covered).iterator():
        new.append(
            change_model(
                action_id=action.pk,
                effective_on=timezone.localdate(now),
                recorded_at=now,
                **{name: getattr(action, name) for name in fields},
            )  # fmt: skip
        )
    change_model.objects.bulk_create(new, batch_size=1000)
    return len(new)


COMPARED_FIELDS = [
    "title",
    "description",
    "chapter_id",
    "lead",
    "start_date",
    "due_date",
    "status",
    "rag",
    "rag_reason",
]


@dataclass
class VersionChanges:
    added: list[Action] = field(default_factory=list)
    removed: list[Action] = field(default_factory=list)
    changed: list[tuple[Action, list[tuple[str, object, object]]]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def plan_version_changes(*, old: PlanVersion, new: PlanVersion) -> VersionChanges:
    """What changed in the actions between two versions of one plan, for the board."""
    before = {a.pk: a for a in plan_version_actions(version=old)}
    after = {a.pk: a for a in plan_version_actions(version=new)}
    changes = VersionChanges(
        added=[after[pk] for pk in after.keys() - before.keys()],
        removed=[before[pk] for pk in before.keys() - after.keys()],
    )
    for pk in sorted(before.keys() & after.keys(), key=lambda pk: after[pk].local_code):
        diffs = [
            (name, getattr(before[pk], name), getattr(after[pk], name))
            for name in COMPARED_FIELDS
            if getattr(before[pk], name) != getattr(after[pk], name)
        ]
        if diffs:
            changes.changed.append((after[pk], diffs))
    changes.added.sort(key=lambda a: a.local_code)
    changes.removed.sort(key=lambda a: a.local_code)
    return changes


def plan_as_at_default(*, plan: Plan, today: dt.date | None = None) -> dt.date:
    """The date a plan's pages are read as at when none is asked for: today while the plan's
    years run, or when it has no progress reports; once its last financial year has ended, its
    last reporting date, which is the last day of the latest period a progress report covers."""
    today = today or timezone.localdate()
    if today <= FinancialYear(plan.last_year).end:
        return today
    latest = plan.progress_reports.order_by("-period").values("period", "frequency").first()
    if latest is None:
        return today
    months = 1 if latest["frequency"] == ProgressReport.Frequency.MONTHLY else 3
    start = latest["period"]
    end = add_months(start, months) - dt.timedelta(days=1)
    return min(end, today)


SUMMARY_COLUMNS = ["not_started", "in_progress", "on_hold", "overdue", "achieved", "total"]


@dataclass
class ChapterSummary:
    chapter: Chapter
    not_started: int = 0
    in_progress: int = 0
    on_hold: int = 0
    overdue: int = 0
    achieved: int = 0
    total: int = 0


def plan_summary(*, plan: Plan, on: dt.date | None = None) -> tuple[list[ChapterSummary], ChapterSummary]:
    """Counts of actions per chapter by status as at ``on`` (default today), in two queries.

    Statuses and due dates are those in force on ``on`` (``ActionQuerySet.as_at``); actions not
    yet in the plan then are not counted. The columns are exclusive and add up to the total: an
    action that is overdue on ``on`` counts as overdue, not under its status.
    """
    on = on or timezone.localdate()

    def status(value):
        return Count("pk", filter=Q(status_on=value, overdue=False))

    counts = {
        row["chapter"]: row
        for row in Action.objects.filter(plan=plan)
        .as_at(on)
        .order_by()
        .values("chapter")
        .annotate(
            not_started=status(Action.Status.NOT_STARTED),
            in_progress=status(Action.Status.IN_PROGRESS),
            on_hold=status(Action.Status.ON_HOLD),
            achieved=Count("pk", filter=Q(status_on=Action.Status.ACHIEVED)),
            overdue_count=Count("pk", filter=Q(overdue=True)),
            total=Count("pk"),
        )
    }
    rows = []
    for chapter in Chapter.objects.order_by("order"):
        row = counts.get(chapter.pk, {})
        for column in SUMMARY_COLUMNS:
            setattr(chapter, column, row.get("overdue_count" if column == "overdue" else column, 0))
        rows.append(chapter)
    summaries = [ChapterSummary(chapter=row, **{c: getattr(row, c) for c in SUMMARY_COLUMNS}) for row in rows]
    totals = ChapterSummary(chapter=None, **{c: sum(getattr(s, c) for s in summaries) for c in SUMMARY_COLUMNS})
    return summaries, totals


#: How often (in rows) a tracker import writes how far it has got.
TRACKER_PROGRESS_EVERY = 250


def tracker_import_queue(*, plan: Plan, upload, user, dry_run: bool = False) -> TrackerImportRun:
    """Keep the uploaded tracker and have the worker check it (``dry_run``) or import it once
    this transaction commits. Its size and type are checked by the caller."""
    from .tasks import import_tracker

    run = TrackerImportRun(
        plan=plan, file_name=PurePath(upload.name).name[:200], dry_run=dry_run, requested_by=user,
        step="Waiting for the worker",
    )  # fmt: skip
    run.file.save(PurePath(upload.name).name, upload, save=False)
    with transaction.atomic():
        run.save()
        outbox.enqueue(import_tracker, args=(run.pk,), about=run)
    return run


def tracker_import_run(*, run_id: int) -> TrackerImportRun | None:
    """Read the run's file once, then check (and unless a dry run, save) every row in one pass.

    Runs a queued run once: a run already running or finished is left alone (returns ``None``).
    A file that cannot be read fails the run with the reason; bad rows end it with each problem
    in ``errors`` and nothing saved. Any other error fails the run and is raised again.
    """
    from .tracker import TrackerFileError, tracker_import, tracker_read

    run = TrackerImportRun.claim(run_id, step="Reading the file")
    if run is None:
        return None

    def reading(number: int) -> None:
        if number % TRACKER_PROGRESS_EVERY == 0:
            run.report_progress(done=0, step=f"Reading the file: {number:,} rows read")

    verb = "Checking" if run.dry_run else "Checking and importing"

    def importing(number: int) -> None:
        if number % TRACKER_PROGRESS_EVERY == 0:
            run.report_progress(done=number, step=f"{verb} row {number:,} of {run.steps_total:,}")

    try:
        with run.file.open("rb") as handle:
            dataset = tracker_read(content=handle, filename=run.file_name, progress=reading)
        run.report_progress(done=0, total=max(len(dataset), 1), step=f"{verb} {len(dataset):,} rows")
        result = tracker_import(
            plan=run.plan, dataset=dataset, user=run.requested_by, dry_run=run.dry_run, progress=importing
        )
    except TrackerFileError as exc:
        run.finish(error=str(exc))
        return run
    except Exception as exc:
        run.finish(error=f"The import stopped with an error ({exc.__class__.__name__}); nothing was saved.")
        raise
    run.finish(
        created=result.created, updated=result.updated, unchanged=result.unchanged, saved=result.saved,
        errors=[{"row": e.row, "column": e.column, "message": e.message} for e in result.errors],
    )  # fmt: skip
    return run
