"""The collection workflow: opening a collection, drafting, checking, submitting, accepting
and returning a practice's return, and the reminders that chase it.

Every status change goes through ``_move``, which refuses a move the workflow does not
allow and records a ``StatusChange``. A revision that has been submitted is never written
again; an accepted return is frozen.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from portal import display
from portal.concurrency import StaleVersion, check_version, latest_version
from portal.history import Change
from portal.periods import FinancialYear, quarter_start
from portal.workflow import StatusMachine
from practices.models import CCG, ClusterMembership, ListSize, Practice, Role

from .models import (
    Collection,
    Frequency,
    Reminder,
    Return,
    Revision,
    StatusChange,
    Timeliness,
    WarningConfirmation,
    period_end,
)
from .registry import return_type as registered_type
from .validation import CheckContext, Findings

logger = logging.getLogger(__name__)

S = Return.Status
#: Scheduled overdue reminders stop this many days after the due date; a commissioner can still chase.
OVERDUE_REMINDERS_STOP_AFTER_DAYS = 90


class ReturnError(Exception):
    """A workflow step that cannot be taken; the message says why, in plain words."""


class IllegalTransition(ReturnError):
    pass


class ReturnFrozen(ReturnError):
    pass


def _audit_move(ret: Return, from_status: str, to_status: str, *, by, note: str = "", revision=None) -> StatusChange:
    return StatusChange.objects.create(
        ret=ret, revision=revision, from_status=from_status, to_status=to_status, comment=note, by=by
    )


#: The moves the workflow allows. A submitted return goes back to draft only when its
#: practice changes it before review (the submission is kept, marked withdrawn).
WORKFLOW = StatusMachine(
    status=Return.Status,
    moves={
        S.NOT_STARTED: {S.DRAFT},
        S.DRAFT: {S.SUBMITTED},
        S.SUBMITTED: {S.ACCEPTED, S.RETURNED, S.DRAFT},
        S.RETURNED: {S.SUBMITTED},
        S.ACCEPTED: set(),
    },
    noun="return",
    error=IllegalTransition,
    audit=_audit_move,
)


class ReturnNotReady(ReturnError):
    """Submission refused: errors to fix, or warnings not yet confirmed with a comment."""

    def __init__(self, message: str, *, findings: Findings, unconfirmed: list):
        super().__init__(message)
        self.findings = findings
        self.unconfirmed = unconfirmed


class CollectionError(ReturnError):
    pass


class ReturnChangedMeanwhile(ReturnError):
    """Someone saved, submitted or withdrew the return after the page was opened: nothing was
    written. ``stale`` says who and when; ``stale.current`` is the version to save over knowingly."""

    def __init__(self, message: str, *, stale: StaleVersion):
        super().__init__(message)
        self.stale = stale


class ReturnAlreadySubmitted(ReturnChangedMeanwhile):
    pass


# --- collections -----------------------------------------------------------------------


def period_is_aligned(frequency: str, period_start: dt.date) -> bool:
    if period_start.day != 1:
        return False
    if frequency == Frequency.QUARTERLY:
        return quarter_start(period_start) == period_start
    if frequency == Frequency.ANNUAL:
        return FinancialYear.containing(period_start).start == period_start
    return True


def practices_open_in(*, ccg: CCG, period_start: dt.date, period_last_day: dt.date):
    """The CCG's GP practices open at some time in the period (not the walk-in and out-of-hours
    centres the payments files pay: they make no practice returns)."""
    return Practice.objects.filter(ccg=ccg, setting=Practice.Setting.GP_PRACTICE).filter(
        Q(open_date__isnull=True) | Q(open_date__lte=period_last_day),
        Q(close_date__isnull=True) | Q(close_date__gt=period_start),
    )


@transaction.atomic
def collection_open(
    *,
    ccg: CCG,
    return_type: str,
    period_start: dt.date,
    due_date: dt.date,
    user,
    practices: Iterable[Practice] | None = None,
    reminder_days_before: int = 7,
    overdue_reminder_every_days: int = 7,
    instructions: str = "",
) -> Collection:
    """Ask ``practices`` (default: every practice of the CCG open in the period) for a return."""
    kind = registered_type(return_type)
    if not period_is_aligned(kind.frequency, period_start):
        raise CollectionError(
            f"A {Frequency(kind.frequency).label.lower()} return's period starts on the first day of the "
            "month, quarter (1 April, 1 July, 1 October, 1 January) or financial year (1 April)."
        )
    last_day = period_end(kind.frequency, period_start)
    if due_date < period_start:
        raise CollectionError("The due date cannot come before the period starts.")
    if Collection.objects.filter(ccg=ccg, return_type=return_type, period_start=period_start).exists():
        raise CollectionError(f"{ccg.name} has already opened this collection for that period.")
    eligible = practices_open_in(ccg=ccg, period_start=period_start, period_last_day=last_day)
    if practices is None:
        chosen = list(eligible)
    else:
        chosen = list(practices)
        strangers = [p for p in chosen if p.ccg_id != ccg.pk]
        if strangers:
            raise CollectionError(f"{strangers[0]} is not a practice of {ccg.name}.")
    if not chosen:
        raise CollectionError("Choose at least one practice.")
    collection = Collection(
        ccg=ccg,
        return_type=return_type,
        period_start=period_start,
        due_date=due_date,
        reminder_days_before=reminder_days_before,
        overdue_reminder_every_days=max(1, overdue_reminder_every_days),
        instructions=instructions,
        opened_by=user,
    )
    collection._history_user = user
    collection.save()
    bulk_create_with_history(
        [Return(collection=collection, practice=p) for p in sorted(chosen, key=lambda p: p.name)],
        Return,
        default_user=user,
    )
    return collection


# --- list size -------------------------------------------------------------------------


def published_list_size(*, practice: Practice, on: dt.date) -> ListSize | None:
    """The latest published total on or before ``on`` (the last day of the return's period);
    when none was published by then, the earliest one after it. The return shows the extract
    date beside the figure, and the practice may give its own."""
    return (
        practice.list_size_on(on)
        or practice.list_sizes.totals().filter(extract_date__gt=on).order_by("extract_date").first()
    )


# --- versions ---------------------------------------------------------------------------
# A return's figures live in its revisions' content rows, so its version is the latest history
# record of any of its revisions: every save, submission, withdrawal and decision writes one.
# Every write to a revision happens with the return's row locked (``_locked``).


def return_saves(*, ret: Return):
    """Every saved version of the return's revisions, newest first: who saved what, and when."""
    return Revision.history.filter(ret_id=ret.pk).select_related("history_user").order_by("-history_id")


def return_version(*, ret: Return) -> str:
    """The version a page of the return was opened at; give it back to ``return_save`` or ``return_submit``."""
    return latest_version(return_saves(ret=ret))


def _check_version(locked: Return, seen: str | None, *, doing: str) -> None:
    if seen is None:
        return
    try:
        check_version(records=return_saves(ret=locked), seen=seen)
    except StaleVersion as stale:
        already = _already_submitted(locked)
        if already:
            raise ReturnAlreadySubmitted(f"{already} Nothing of yours has been {doing}.", stale=stale) from None
        raise ReturnChangedMeanwhile(
            f"Someone else ({stale.who}) changed this return at {stale.when:%H:%M}, after you opened this page. "
            f"Nothing of yours has been {doing} yet: check their figures, then try again.",
            stale=stale,
        ) from None


def _already_submitted(locked: Return) -> str:
    """'This return was already submitted by X at HH:MM.' while a submission awaits review, else ''."""
    submitted = locked.revisions.filter(status=Revision.Status.SUBMITTED).select_related("submitted_by").first()
    if locked.status != S.SUBMITTED or submitted is None or submitted.submitted_at is None:
        return ""
    at = timezone.localtime(submitted.submitted_at)
    return f"This return was already submitted by {submitted.submitted_by or 'someone'} at {at:%H:%M}."


def return_changes_since(*, ret: Return, seen: str, values, list_size_correction: int | None = None) -> list[Change]:
    """What someone else changed since version ``seen``: each figure they changed, their saved
    value (``old``) beside ``values``, what the person typed (``new``). When ``seen`` is no
    longer known, every figure where the saved and the typed differ."""
    kind = ret.type
    revision = ret.draft_revision() or ret.latest_revision()
    saved = kind.snapshot(kind.load(revision)) if revision else {}
    seen_record = Revision.history.filter(ret_id=ret.pk, history_id=seen).first() if seen.isdigit() else None
    before = (seen_record.figures or {}) if seen_record is not None else None
    typed = kind.snapshot(values)
    changes = []
    for key, label, value in kind.cells(kind.load(revision) if revision else kind.empty_values()):
        theirs = saved.get(key)
        if (before.get(key) == theirs) if before is not None else (typed.get(key) == theirs):
            continue
        changes.append(Change(label=label, old=_shown(value), new=_shown(_typed_value(kind, values, key))))
    theirs = revision.list_size_correction if revision else None
    if (seen_record.list_size_correction == theirs) if seen_record is not None else (list_size_correction == theirs):
        return changes
    changes.append(Change(label="Your own list size", old=_shown(theirs), new=_shown(list_size_correction)))
    return changes


def _shown(value) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return display.uk_date(value)
    return str(value)


def _typed_value(kind, values, key):
    return next((value for k, _label, value in kind.cells(values) if k == key), None)


# --- drafts ----------------------------------------------------------------------------


def _locked(ret: Return) -> Return:
    return Return.objects.select_for_update(of=("self",)).select_related("collection__ccg", "practice").get(pk=ret.pk)


def _save_revision(revision: Revision, *, user, reason: str = "", **kwargs) -> None:
    """Every write of a revision: its history record names the person (and why, if said)."""
    revision._history_user = user
    if reason:
        revision._change_reason = reason
    revision.save(**kwargs)


def _move(ret: Return, to: str, *, user, revision: Revision | None = None, comment: str = "") -> None:
    WORKFLOW.move(ret, to, by=user, note=comment, revision=revision)
    ret._history_user = user
    ret.save()


@transaction.atomic
def return_draft(*, ret: Return, user) -> Revision:
    """The draft to write into: the open one, or a new revision copied from the latest.

    Changing a return that is awaiting review withdraws the submission (kept, marked
    withdrawn); changing one returned for correction leaves it returned until it is sent again.
    """
    locked = _locked(ret)
    if locked.is_frozen:
        raise ReturnFrozen("This return has been accepted and can no longer be changed.")
    draft = locked.draft_revision()
    if draft is not None:
        return draft
    latest = locked.latest_revision()
    if locked.status == S.SUBMITTED and latest is not None and latest.status == Revision.Status.SUBMITTED:
        latest.status = Revision.Status.WITHDRAWN
        _save_revision(latest, user=user, update_fields=["status"])
    size = published_list_size(practice=locked.practice, on=locked.collection.period_end)
    now = timezone.now()
    draft = Revision(
        ret=locked,
        number=(latest.number + 1) if latest else 1,
        status=Revision.Status.DRAFT,
        source=Revision.Source.COPY if latest else Revision.Source.NEW,
        published_list_size=size.patients if size else None,
        published_list_size_date=size.extract_date if size else None,
        list_size_correction=latest.list_size_correction if latest else None,
        list_size_correction_reason=latest.list_size_correction_reason if latest else "",
        created_at=now,
        created_by=user,
        updated_at=now,
        updated_by=user,
    )
    # The figures are copied into the new row before its first history record is written, so
    # that record holds what the draft started from.
    draft.skip_history_when_saving = True
    draft.save()
    del draft.skip_history_when_saving
    if latest is not None:
        locked.type.copy(latest, draft)
        WarningConfirmation.objects.bulk_create(
            WarningConfirmation(revision=draft, code=c.code, message=c.message, comment=c.comment,
                                confirmed_at=c.confirmed_at, confirmed_by=c.confirmed_by)
            for c in latest.confirmations.all()
        )  # fmt: skip
    _save_revision(draft, user=user)
    if locked.status in (S.NOT_STARTED, S.SUBMITTED):
        comment = "Submission withdrawn to change it." if locked.status == S.SUBMITTED else ""
        _move(locked, S.DRAFT, user=user, revision=draft, comment=comment)
    ret.status = locked.status
    return draft


@transaction.atomic
def return_save(
    *,
    ret: Return,
    user,
    values,
    list_size_correction: int | None = None,
    list_size_correction_reason: str = "",
    source: str = Revision.Source.FORM,
    upload_name: str = "",
    seen_version: str | None = None,
    replace_newer: bool = False,
) -> Revision:
    """Write the figures (and the practice's own list size, with its reason) into the draft.

    ``seen_version`` is the ``return_version`` the page was opened at: if anyone has saved,
    submitted or withdrawn since, nothing is written and ``ReturnChangedMeanwhile`` says who and
    when (``None`` skips the check, for callers that read and write in one go). An upload replaces
    the whole return on purpose: with ``replace_newer`` it goes ahead over a newer draft (never
    over a submission), says so in the history record, and ``revision.replaced`` names whose save
    it replaced, for the page to tell the person; the replaced figures stay in the history.
    """
    if list_size_correction is not None and not list_size_correction_reason.strip():
        raise ReturnError("Give a reason for your own list size figure.")
    locked = _locked(ret)
    replaced = None
    try:
        _check_version(locked, seen_version, doing="saved")
    except ReturnChangedMeanwhile as exc:
        if not replace_newer or isinstance(exc, ReturnAlreadySubmitted):
            raise
        replaced = exc.stale
    draft = return_draft(ret=ret, user=user)
    ret.type.store(draft, values)
    draft.source = source
    draft.upload_name = upload_name
    draft.list_size_correction = list_size_correction
    draft.list_size_correction_reason = list_size_correction_reason.strip() if list_size_correction is not None else ""
    draft.updated_at = timezone.now()
    draft.updated_by = user
    what = f"Uploaded {upload_name}" if source == Revision.Source.UPLOAD else "Saved"
    reason = f"{what}, replacing the draft {replaced.who} saved at {replaced.when:%H:%M}." if replaced else ""
    _save_revision(draft, user=user, reason=reason)
    draft.replaced = replaced
    return draft


# --- checks ----------------------------------------------------------------------------


def previous_accepted(*, ret: Return) -> Revision | None:
    """The practice's latest accepted revision of the same kind, for an earlier period."""
    return (
        Revision.objects.accepted()
        .filter(
            ret__practice_id=ret.practice_id,
            ret__collection__return_type=ret.collection.return_type,
            ret__collection__period_start__lt=ret.collection.period_start,
        )
        .select_related("ret__collection")
        .order_by("-ret__collection__period_start")
        .first()
    )


def return_starting_values(*, ret: Return):
    """What the form and the template start from: the draft or latest revision, else the
    practice's previous accepted return of the same kind (most staff do not change in a
    quarter), else nothing."""
    revision = ret.draft_revision() or ret.latest_revision()
    if revision is None:
        revision = previous_accepted(ret=ret)
    return ret.type.load(revision) if revision else ret.type.empty_values()


def check_context(*, ret: Return, revision: Revision | None, values, list_size: int | None = None) -> CheckContext:
    kind = ret.type
    previous = previous_accepted(ret=ret)
    if list_size is None and revision is not None:
        list_size = revision.list_size
    if list_size is None and revision is None:
        # Nothing saved yet (a first upload being checked): the published figure for the period.
        published = published_list_size(practice=ret.practice, on=ret.collection.period_end)
        list_size = published.patients if published else None
    return CheckContext(
        values=values,
        practice=ret.practice,
        period_start=ret.collection.period_start,
        list_size=list_size,
        previous_values=kind.load(previous) if previous else None,
        previous_period_start=previous.ret.collection.period_start if previous else None,
        previous_list_size=previous.list_size if previous else None,
        collection=ret.collection,
        extra=kind.extra_context(ret=ret, revision=revision),
    )


def return_check(
    *, ret: Return, revision: Revision | None = None, values=None, list_size: int | None = None
) -> Findings:
    """The errors and warnings of ``values`` (default: the revision's stored figures)."""
    revision = revision or ret.draft_revision() or ret.latest_revision()
    if values is None:
        values = ret.type.load(revision) if revision else ret.type.empty_values()
    return ret.type.check(check_context(ret=ret, revision=revision, values=values, list_size=list_size))


def unconfirmed_warnings(*, revision: Revision, findings: Findings) -> list:
    confirmed = set(revision.confirmations.values_list("code", flat=True))
    return [w for w in findings.warnings if w.code not in confirmed]


@transaction.atomic
def return_confirm_warnings(*, ret: Return, user, comments: dict[str, str], seen_version: str | None = None) -> int:
    """Keep the practice manager's comment on each current warning given one; returns how many.

    Part of submitting: it writes into the draft being submitted and never starts one (a draft
    started here, after someone else's submission, would withdraw it)."""
    locked = _locked(ret)
    _check_version(locked, seen_version, doing="submitted")
    draft = _draft_to_submit(locked)
    findings = return_check(ret=ret, revision=draft)
    stored = 0
    for warning in findings.warnings:
        comment = (comments.get(warning.code) or "").strip()
        if not comment:
            continue
        WarningConfirmation.objects.update_or_create(
            revision=draft,
            code=warning.code,
            defaults={
                "message": warning.message,
                "comment": comment,
                "confirmed_by": user,
                "confirmed_at": timezone.now(),
            },
        )
        stored += 1
    return stored


def _draft_to_submit(locked: Return) -> Revision:
    if locked.is_frozen:
        raise ReturnFrozen("This return has been accepted and can no longer be changed.")
    draft = locked.draft_revision()
    if draft is not None and locked.status in (S.DRAFT, S.RETURNED):
        return draft
    raise IllegalTransition(_already_submitted(locked) or "There is no draft to submit: fill in the return first.")


@transaction.atomic
def return_submit(*, ret: Return, user, seen_version: str | None = None) -> Revision:
    """Send the draft to the commissioners: refused while it has errors or unconfirmed warnings,
    and (given the ``seen_version`` the page was opened at) when anyone changed or submitted the
    return since: a second submit of the same draft says who submitted it and when."""
    locked = _locked(ret)
    _check_version(locked, seen_version, doing="submitted")
    draft = _draft_to_submit(locked)
    findings = return_check(ret=locked, revision=draft)
    unconfirmed = unconfirmed_warnings(revision=draft, findings=findings)
    if findings.errors or unconfirmed:
        parts = []
        if findings.errors:
            parts.append(f"{len(findings.errors)} error{'s' if len(findings.errors) != 1 else ''} to correct")
        if unconfirmed:
            parts.append(f"{len(unconfirmed)} warning{'s' if len(unconfirmed) != 1 else ''} to confirm with a comment")
        raise ReturnNotReady(
            "The return was not submitted: " + " and ".join(parts) + ".", findings=findings, unconfirmed=unconfirmed
        )
    # Confirmations of warnings that no longer arise say nothing about this revision.
    draft.confirmations.exclude(code__in=[w.code for w in findings.warnings]).delete()
    now = timezone.now()
    draft.status = Revision.Status.SUBMITTED
    draft.submitted_at = now
    draft.submitted_by = user
    _save_revision(draft, user=user)
    if locked.first_submitted_on is None:
        locked.first_submitted_on = timezone.localdate(now)
    comment = "Resubmitted after correction." if locked.status == S.RETURNED else ""
    _move(locked, S.SUBMITTED, user=user, revision=draft, comment=comment)
    ret.status, ret.first_submitted_on = locked.status, locked.first_submitted_on
    return draft


def _submitted(locked: Return) -> Revision:
    revision = locked.revisions.filter(status=Revision.Status.SUBMITTED).first()
    if locked.status != S.SUBMITTED or revision is None:
        raise IllegalTransition(
            f"Only a submitted return can be reviewed; this one is {locked.get_status_display().lower()}."
        )
    return revision


@transaction.atomic
def return_accept(*, ret: Return, user, comment: str = "") -> Revision:
    """Accept the submission: it is frozen, and it alone feeds the metrics."""
    locked = _locked(ret)
    revision = _submitted(locked)
    revision.status = Revision.Status.ACCEPTED
    revision.decided_at = timezone.now()
    revision.decided_by = user
    revision.decision_comment = comment.strip()
    _save_revision(revision, user=user)
    locked.accepted_revision = revision
    _move(locked, S.ACCEPTED, user=user, revision=revision, comment=comment.strip())
    ret.status, ret.accepted_revision = locked.status, revision
    # In this transaction: what the type saves from an acceptance (the premises register) and the
    # jobs it queues (the metrics, through the outbox) are saved with it, or not at all.
    locked.type.accepted(revision)
    return revision


@transaction.atomic
def return_send_back(*, ret: Return, user, comment: str) -> Revision:
    """Return the submission for correction, saying what to correct."""
    if not comment.strip():
        raise ReturnError("Say what the practice should correct.")
    locked = _locked(ret)
    revision = _submitted(locked)
    revision.status = Revision.Status.RETURNED
    revision.decided_at = timezone.now()
    revision.decided_by = user
    revision.decision_comment = comment.strip()
    _save_revision(revision, user=user)
    _move(locked, S.RETURNED, user=user, revision=revision, comment=comment.strip())
    ret.status = locked.status
    return revision


# --- the chasing view ------------------------------------------------------------------


@dataclass
class ProgressRow:
    """Counts of one cluster's (or the whole collection's) returns by timeliness and status."""

    name: str
    total: int = 0
    timeliness: Counter = field(default_factory=Counter)
    status: Counter = field(default_factory=Counter)

    def add(self, ret: Return) -> None:
        self.total += 1
        self.timeliness[ret.timeliness] += 1
        self.status[ret.status] += 1

    @property
    def submitted_share(self) -> float:
        done = self.timeliness[Timeliness.ON_TIME] + self.timeliness[Timeliness.LATE]
        return done / self.total if self.total else 0.0


def collection_progress(
    *, collection: Collection, today: dt.date | None = None
) -> tuple[list[Return], list[ProgressRow], ProgressRow]:
    """Every return of the collection with its timeliness and cluster, and counts by cluster."""
    today = today or timezone.localdate()
    returns = list(collection.returns.with_timeliness(today).select_related("practice").order_by("practice__name"))
    on = collection.period_start
    memberships = (
        ClusterMembership.objects.current(on)
        .filter(practice_id__in=[r.practice_id for r in returns])
        .select_related("cluster")
    )
    cluster_of = {m.practice_id: m.cluster for m in memberships}
    rows: dict[str, ProgressRow] = {}
    total = ProgressRow("All practices")
    for ret in returns:
        cluster = cluster_of.get(ret.practice_id)
        ret.cluster = cluster
        name = cluster.name if cluster else "No cluster"
        rows.setdefault(name, ProgressRow(name)).add(ret)
        total.add(ret)
    ordered = sorted(rows.values(), key=lambda r: (r.name == "No cluster", r.name))
    return returns, ordered, total


# --- reminders -------------------------------------------------------------------------


def recipients_of(ret: Return) -> list[str]:
    """The email addresses of the practice's managers."""
    emails = (
        Role.objects.filter(kind=Role.Kind.PRACTICE_MANAGER, practice_id=ret.practice_id, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(set(emails))


def reminder_schedule(ret: Return, today: dt.date) -> tuple[str, dt.date] | None:
    """Which scheduled reminder, if any, an outstanding return is due on ``today``."""
    collection = ret.collection
    if collection.reminder_date() <= today <= collection.due_date:
        return Reminder.Kind.DUE_SOON, collection.reminder_date()
    days_over = (today - collection.due_date).days
    if 0 < days_over <= OVERDUE_REMINDERS_STOP_AFTER_DAYS:
        every = collection.overdue_reminder_every_days
        return Reminder.Kind.OVERDUE, collection.due_date + dt.timedelta(days=1 + ((days_over - 1) // every) * every)
    return None


def _message(ret: Return, kind: str) -> tuple[str, str]:
    collection = ret.collection
    due = display.uk_date(collection.due_date)
    link = getattr(settings, "PORTAL_URL", "").rstrip("/") + reverse("returns:return_detail", args=[ret.pk])
    state = {
        Reminder.Kind.DUE_SOON: f"is due on {due}",
        Reminder.Kind.OVERDUE: f"was due on {due} and has not been submitted",
        Reminder.Kind.CHASE: f"{'was' if collection.due_date < timezone.localdate() else 'is'} due on {due}",
    }[kind]
    if ret.status == S.RETURNED:
        state += "; it was returned to you for correction"
    when = "overdue" if kind == Reminder.Kind.OVERDUE else f"due {due}"
    subject = f"{collection.title}: return for {ret.practice.name} {when}"
    body = (
        f"The {collection.title} return that {collection.ccg.name} asked {ret.practice} for {state}.\n\n"
        f"Its status is: {ret.get_status_display()}.\n"
        f"Fill it in or upload it at {link} (sign in, then open 'Your returns').\n\n"
        "This message was sent by the Primary Care Commissioning Portal."
    )
    return subject, body


def reminder_send(*, ret: Return, kind: str, scheduled_for: dt.date, user=None) -> Reminder | None:
    """Send one reminder unless it was sent already. The row is written first and the mail sent
    inside the same transaction: a second run finds the row, and a failed send leaves none."""
    recipients = recipients_of(ret)
    if not recipients:
        logger.warning("No practice manager with an email address for %s; reminder not sent.", ret)
        return None
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                ret=ret, kind=kind, scheduled_for=scheduled_for, sent_by=user, recipients="\n".join(recipients)
            )
            subject, body = _message(ret, kind)
            send_mail(subject, body, None, recipients)
    except IntegrityError:
        return None
    return reminder


def reminders_send(*, today: dt.date | None = None) -> int:
    """Send every scheduled reminder due ``today`` that has not gone; returns how many went."""
    today = today or timezone.localdate()
    earliest_due = today - dt.timedelta(days=OVERDUE_REMINDERS_STOP_AFTER_DAYS)
    outstanding = (
        Return.objects.outstanding()
        .filter(collection__due_date__gte=earliest_due)
        .select_related("collection__ccg", "practice")
    )
    already = defaultdict(set)
    sent_before = Reminder.objects.filter(ret__in=outstanding).values_list("ret_id", "kind", "scheduled_for")
    for ret_id, kind, day in sent_before:
        already[ret_id].add((kind, day))
    sent = 0
    for ret in outstanding:
        due = reminder_schedule(ret, today)
        if due is None or due in already[ret.pk]:
            continue
        if reminder_send(ret=ret, kind=due[0], scheduled_for=due[1]) is not None:
            sent += 1
    return sent


def return_chase(*, ret: Return, user) -> Reminder:
    """A commissioner's chase: one email to the practice's managers, at most once a day."""
    if not ret.is_outstanding:
        raise ReturnError(f"The return is {ret.get_status_display().lower()}: there is nothing to chase.")
    today = timezone.localdate()
    if Reminder.objects.filter(ret=ret, kind=Reminder.Kind.CHASE, scheduled_for=today).exists():
        raise ReturnError(f"{ret.practice.name} has already been chased today.")
    if not recipients_of(ret):
        raise ReturnError(f"{ret.practice.name} has no practice manager with an email address in the portal.")
    reminder = reminder_send(ret=ret, kind=Reminder.Kind.CHASE, scheduled_for=today, user=user)
    if reminder is None:
        raise ReturnError(f"{ret.practice.name} has already been chased today.")
    return reminder


def collection_chase(*, collection: Collection, user) -> tuple[int, list[str]]:
    """Chase every outstanding return of a collection; returns how many went and why others did not."""
    sent, skipped = 0, []
    for ret in collection.returns.outstanding().select_related("practice", "collection__ccg"):
        try:
            return_chase(ret=ret, user=user)
            sent += 1
        except ReturnError as exc:
            skipped.append(str(exc))
    return sent, skipped
