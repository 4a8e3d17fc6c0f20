"""Writes of the quality area that touch several rows or send mail."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings as django_settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from portal import display, outbox
from practices.models import CCG, Practice, Role, User

from .facts import practice_facts
from .models import ContractEvent, ContractReviewReminder, CQCImportRun, ScoringRule, VulnerabilityScore
from .scoring import RULES, RuleSetting, default_settings, score_practice

logger = logging.getLogger(__name__)

#: A review is reminded this many days before it falls due (and on any later day until it is reminded).
REVIEW_REMINDER_DAYS_BEFORE = 14
#: Reviews further in the past than this are not reminded: they were dealt with before the portal.
REVIEW_REMINDER_LOOKBACK_DAYS = 60


class ContractEventError(Exception):
    """A decision cannot be recorded as asked; the message says why."""


def rule_settings_for(ccg: CCG | None) -> dict[str, RuleSetting]:
    """The rules as ``ccg`` uses them: its own rows over the default rows over the coded defaults."""
    settings = default_settings()
    rows = ScoringRule.objects.filter(ccg__isnull=True)
    if ccg is not None:
        rows = list(rows) + list(ScoringRule.objects.filter(ccg=ccg))
    for row in rows:  # defaults first, then the CCG's own
        if row.key in RULES:
            settings[row.key] = RuleSetting(row.key, row.enabled, row.threshold, row.points)
    return settings


@transaction.atomic
def scoring_rules_update(*, ccg: CCG, settings: dict[str, RuleSetting], user: User | None = None) -> int:
    """Store the CCG's own version of every rule that differs from what it uses now; returns how many changed."""
    current = rule_settings_for(ccg)
    own = {row.key: row for row in ScoringRule.objects.filter(ccg=ccg)}
    changed = 0
    for key, wanted in settings.items():
        if key not in RULES or current.get(key) == wanted:
            continue
        row = own.get(key) or ScoringRule(ccg=ccg, key=key)
        row.enabled, row.threshold, row.points = wanted.enabled, wanted.threshold, wanted.points
        row._history_user = user
        row.save()
        changed += 1
    return changed


def vulnerability_scores_compute(*, run_date: dt.date | None = None, ccg_ids: list[int] | None = None) -> int:
    """Score every open practice of the CCGs (all CCGs if none given) on ``run_date`` and store
    one row per practice for that day, replacing the day's rows of an earlier run."""
    run_date = run_date or timezone.localdate()
    ccgs = CCG.objects.all() if ccg_ids is None else CCG.objects.filter(pk__in=ccg_ids)
    stored = 0
    for ccg in ccgs:
        practice_ids = list(
            Practice.objects.filter(ccg=ccg).open_on(run_date).exclude(status=Practice.Status.CLOSED)
            .values_list("pk", flat=True)
        )  # fmt: skip
        if not practice_ids:
            continue
        settings = list(rule_settings_for(ccg).values())
        facts = practice_facts(practice_ids, run_date)
        now = timezone.now()
        rows = []
        for practice_id in practice_ids:
            result = score_practice(facts[practice_id], settings)
            rows.append(
                VulnerabilityScore(
                    practice_id=practice_id, ccg=ccg, run_date=run_date, score=result.score,
                    quality_points=result.by_domain["quality"], workforce_points=result.by_domain["workforce"],
                    contract_points=result.by_domain["contract"], reasons=[r.as_dict() for r in result.reasons],
                    computed_at=now,
                )
            )  # fmt: skip
        with transaction.atomic():
            VulnerabilityScore.objects.filter(practice_id__in=practice_ids, run_date=run_date).delete()
            VulnerabilityScore.objects.bulk_create(rows, batch_size=500)
        stored += len(rows)
    return stored


@transaction.atomic
def contract_event_decide(
    *,
    event: ContractEvent,
    decision: str,
    decision_date: dt.date,
    committee: str = "",
    conditions: str = "",
    review_date: dt.date | None = None,
    user: User | None = None,
) -> ContractEvent:
    """Record the committee's decision on an event awaiting one.

    A decision is recorded once; it is made on or after the day the application arrived and
    not in the future; an approval with conditions states them; a review, if set, follows
    the decision. A withdrawn application needs no committee.
    """
    event = ContractEvent.objects.select_for_update().get(pk=event.pk)
    if event.is_decided:
        raise ContractEventError(
            f"This {event.get_kind_display().lower()} was already decided ({event.get_decision_display().lower()}"
            f" on {display.uk_date(event.decision_date)})."
        )
    if decision not in ContractEvent.Decision.values or decision == ContractEvent.Decision.PENDING:
        raise ContractEventError("Choose approved, approved with conditions, refused or withdrawn.")
    if decision_date < event.received_date:
        raise ContractEventError(
            f"The decision date cannot be before the day it was received ({display.uk_date(event.received_date)})."
        )
    if decision_date > timezone.localdate():
        raise ContractEventError("The decision date cannot be in the future.")
    if decision == ContractEvent.Decision.APPROVED_WITH_CONDITIONS and not conditions.strip():
        raise ContractEventError("Say what the conditions of the approval are.")
    if decision != ContractEvent.Decision.WITHDRAWN and not (committee.strip() or event.committee):
        raise ContractEventError("Name the committee that made the decision.")
    if review_date is not None and review_date <= decision_date:
        raise ContractEventError("The review date must be after the decision date.")
    event.decision = decision
    event.decision_date = decision_date
    event.committee = committee.strip() or event.committee
    event.conditions = conditions.strip()
    event.review_date = review_date
    event._history_user = user
    event.save()
    return event


def _commissioner_emails(ccg_id: int) -> list[str]:
    emails = (
        User.objects.filter(roles__kind=Role.Kind.COMMISSIONER, roles__ccg_id=ccg_id, is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )
    return list(emails)


def _reminder_message(event: ContractEvent) -> tuple[str, str]:
    link = getattr(django_settings, "PORTAL_URL", "").rstrip("/") + reverse(
        "quality:contract_event_detail", args=[event.pk]
    )
    subject = f"Review due {display.uk_date(event.review_date)}: {event.get_kind_display()}, {event.practice.name}"
    body = (
        f"The {event.get_kind_display().lower()} of {event.practice} was {event.get_decision_display().lower()} "
        f"on {display.uk_date(event.decision_date)}"
        + (f" by the {event.committee}" if event.committee else "")
        + f", with a review due on {display.uk_date(event.review_date)}.\n\n"
        + (f"Conditions: {event.conditions}\n\n" if event.conditions else "")
        + f"See it at {link}\n\nThis message was sent by the Primary Care Commissioning Portal."
    )
    return subject, body


def contract_review_reminders_send(*, today: dt.date | None = None) -> int:
    """Email the CCG's commissioners about each decided event whose review falls due within
    ``REVIEW_REMINDER_DAYS_BEFORE`` days; each event and review date is reminded once."""
    today = today or timezone.localdate()
    due = (
        ContractEvent.objects.reviews_due_by(today + dt.timedelta(days=REVIEW_REMINDER_DAYS_BEFORE))
        .filter(review_date__gte=today - dt.timedelta(days=REVIEW_REMINDER_LOOKBACK_DAYS))
        .select_related("practice")
    )
    reminded = set(ContractReviewReminder.objects.filter(event__in=due).values_list("event_id", "review_date"))
    sent = 0
    for event in due:
        if (event.pk, event.review_date) in reminded:
            continue
        recipients = _commissioner_emails(event.practice.ccg_id)
        if not recipients:
            logger.warning("No commissioner with an email address for %s; review reminder not sent.", event)
            continue
        try:
            with transaction.atomic():
                ContractReviewReminder.objects.create(
                    event=event, review_date=event.review_date, recipients="\n".join(recipients)
                )
                subject, body = _reminder_message(event)
                send_mail(subject, body, None, recipients)
        except IntegrityError:
            continue
        sent += 1
    return sent


#: How often (in lines) a CQC import writes how far it has got.
CQC_PROGRESS_EVERY = 1000


def cqc_import_queue(*, upload, user) -> CQCImportRun:
    """Keep the uploaded ratings file and have the worker import it, once this transaction
    commits, into the practices the uploader may change now (an administrator's: all)."""
    from pathlib import PurePath

    from practices.visibility import roles_of

    from .tasks import import_cqc_ratings

    roles = roles_of(user)
    name = PurePath(upload.name).name
    run = CQCImportRun(file_name=name[:200], requested_by=user, all_practices=roles.is_admin,
                       step="Waiting for the worker")  # fmt: skip
    run.file.save(name, upload, save=False)
    with transaction.atomic():
        run.save()
        if not roles.is_admin:
            run.ccgs.set(roles.commissioner_ccg_ids)
        outbox.enqueue(import_cqc_ratings, args=(run.pk,), about=run)
    return run


def cqc_import_run(*, run_id: int) -> CQCImportRun | None:
    """Import a queued CQC ratings file once (a run already claimed is left alone: ``None``).
    Bad rows end the run with each problem in ``errors`` and nothing saved; any other error
    fails the run and is raised again."""
    from .cqc_import import cqc_ratings_import

    run = CQCImportRun.claim(run_id, step="Reading the file")
    if run is None:
        return None
    practices = Practice.objects.all() if run.all_practices else Practice.objects.filter(ccg__in=run.ccgs.all())
    try:
        with run.file.open("rb") as handle:
            lines = max(1, sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b"")))
        run.report_progress(done=0, total=lines, step=f"Checking {lines:,} lines")

        def progress(line: int) -> None:
            if line % CQC_PROGRESS_EVERY == 0:
                run.report_progress(done=line, step=f"Checking line {line:,} of {lines:,}")

        with run.file.open("rb") as handle:
            result = cqc_ratings_import(
                upload=handle, practices=practices, user=run.requested_by, progress=progress, name=run.file_name
            )
    except Exception as exc:
        run.finish(error=f"The import stopped with an error ({exc.__class__.__name__}); nothing was saved.")
        raise
    run.finish(
        created=result.created, updated=result.updated, unchanged=result.unchanged, saved=result.saved,
        summary=result.summary,
        errors=[{"line": e.line, "column": e.column, "message": e.message} for e in result.errors],
    )  # fmt: skip
    return run
