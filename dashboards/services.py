"""Board reports (asked for, then made once by the worker and kept) and the monthly digest."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from commissioning.changes import plan_changes_between
from commissioning.models import Action, Chapter, PlanVersion
from commissioning.services import plan_version_actions
from metrics.definitions import METRICS
from metrics.definitions import Kind as MetricKind
from metrics.models import Level, MetricValue
from portal import outbox
from portal.display import uk_date
from portal.periods import month_label
from practices.models import CCG, Role, User
from returns.models import Return, period_label

from . import selectors as s
from .models import BoardReport, DigestRun
from .pdf import PDFNotMade, html_to_pdf
from .sections import ccg_dashboard, meeting_caption

logger = logging.getLogger(__name__)


# Board reports


def board_report_request(
    *, ccg: CCG, period: s.Period, meeting: str, meeting_date: dt.date | None, user
) -> BoardReport:
    """Record the request and queue the job that makes the report once the request is committed."""
    from .tasks import generate_board_report

    with transaction.atomic():
        report = BoardReport.objects.create(
            ccg=ccg, period=period.start, meeting=meeting.strip(), meeting_date=meeting_date, requested_by=user
        )
        outbox.enqueue(generate_board_report, args=(report.pk,), about=report)
    return report


def board_report_context(
    *, ccg: CCG, period: s.Period, meeting_date: dt.date | None = None, previous_meeting: dt.date | None = None
) -> dict:
    """Everything the papers of a meeting show, as things stood on ``meeting_date`` (the quarter's
    end if not given): the plan version approved by then with its actions, the plan summary and
    exceptions counted on that day, what changed since ``previous_meeting`` (or else since the
    version before the meeting was approved), and the key charts of the CCG dashboard."""
    meeting_date = meeting_date or period.end
    dashboard = ccg_dashboard(ccg, period, meeting_date=meeting_date)
    plan = dashboard.plan
    exceptions = s.exceptions_for(ccg, period, plan, dashboard.statuses, on=meeting_date)
    version = version_actions = changes = None
    since = previous_meeting
    if plan is not None:
        approved = plan.versions.filter(status=PlanVersion.Status.APPROVED, approved_on__lte=meeting_date)
        version = approved.order_by("-approved_on", "-number").first()
        if version is not None:
            chapters = Chapter.objects.in_bulk()
            version_actions = [(a, chapters[a.chapter_id]) for a in plan_version_actions(version=version)]
        if since is None:
            since = (
                approved.filter(approved_on__lt=meeting_date)
                .order_by("-approved_on", "-number")
                .values_list("approved_on", flat=True)
                .first()
            )
        if since is not None and since < meeting_date:
            changes = plan_changes_between(plan=plan, start=since, end=meeting_date)
    return {
        "ccg": ccg, "period": period, "dashboard": dashboard, "exceptions": exceptions,
        "meeting_date": meeting_date, "meeting_caption": meeting_caption(meeting_date),
        "version": version, "version_actions": version_actions,
        "since": since, "since_meeting": previous_meeting is not None, "changes": changes,
    }  # fmt: skip


def board_report_generate(*, report_id: int) -> BoardReport:
    """Make the report's HTML once, then its PDF. A report already made is left as it is
    (safe to run twice), except that one kept without its PDF gets it now if it can."""
    with transaction.atomic():
        report = BoardReport.objects.select_for_update().select_related("ccg").defer("pdf").get(pk=report_id)
        made = report.status == BoardReport.Status.DONE
        if not made:
            report.status = BoardReport.Status.RUNNING
            report.save(update_fields=["status"])
    if made:
        if report.pdf_size is None:
            _board_report_print(report)
            report.save(update_fields=PDF_FIELDS)
        return report
    try:
        previous = report.previous()
        context = board_report_context(
            ccg=report.ccg, period=s.Period(report.period), meeting_date=report.meeting_date,
            previous_meeting=previous.meeting_date if previous else None,
        )  # fmt: skip
        generated_at = timezone.now()
        html = render_to_string(
            "dashboards/report_body.html", {**context, "report": report, "generated_at": generated_at}
        )
    except Exception as exc:
        logger.exception("Board report %s failed", report_id)
        report.status, report.error = BoardReport.Status.FAILED, f"{type(exc).__name__}: {exc}"
        report.save(update_fields=["status", "error"])
        raise
    exceptions = context["exceptions"]
    report.html, report.generated_at, report.status, report.error = html, generated_at, BoardReport.Status.DONE, ""
    report.summary = {
        "overdue_actions": len(exceptions.overdue_actions),
        "red_actions": len(exceptions.red_actions),
        "high_risks": len(exceptions.high_risks),
        "missing_returns": len(exceptions.missing_returns),
        "off_trajectory": len(exceptions.off_trajectory),
        "metrics_behind_plan": len(exceptions.metrics_behind_plan),
        "outliers": len(exceptions.outliers),
        "plan_version": context["version"].number if context["version"] else None,
    }
    _board_report_print(report)
    report.save(update_fields=["html", "generated_at", "status", "error", "summary", *PDF_FIELDS])
    return report


PDF_FIELDS = ["pdf", "pdf_size", "pdf_error"]


def _board_report_print(report: BoardReport) -> None:
    """Print the report's kept HTML, on its printable page, to PDF; without one, say why (not saved here)."""
    page = render_to_string("dashboards/report_print.html", {"report": report})
    try:
        pdf = html_to_pdf(page, chromium=settings.BOARD_REPORT_CHROMIUM)
    except PDFNotMade as reason:
        logger.warning("Board report %s kept without its PDF: %s", report.pk, reason)
        report.pdf, report.pdf_size, report.pdf_error = None, None, str(reason)
        return
    report.pdf, report.pdf_size, report.pdf_error = pdf, len(pdf), ""


# The monthly digest

#: A practice's metric moved by at least this share of its previous value, the wrong way.
DIGEST_THRESHOLD_PERCENT = 10.0
#: How far back the previous period of a metric may lie (a quarter before a quarter, and a little).
LOOK_BACK_DAYS = 200


@dataclass
class DigestItem:
    kind: str
    text: str
    url: str


DIGEST_KINDS = [
    ("worse", "Practices whose figures got worse"),
    ("overdue", "Actions newly overdue"),
    ("red", "Actions newly rated red"),
    ("missing", "Returns newly missing"),
]


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def previous_month(day: dt.date) -> dt.date:
    return (month_start(day) - dt.timedelta(days=1)).replace(day=1)


def _link(path: str) -> str:
    return getattr(settings, "PORTAL_URL", "").rstrip("/") + path


def digest_items(*, ccg: CCG, since: dt.date, today: dt.date) -> list[DigestItem]:
    """What got worse in the CCG from ``since`` to the day before ``today``, each with the page to act on:
    actions overdue on ``today`` that were due from ``since`` on (``ActionQuerySet.overdue``), and returns
    missing on ``today`` that were due from ``since`` on (``ReturnQuerySet.missing``)."""
    items = [*_worse_practices(ccg, since, today)]
    overdue = (
        Action.objects.filter(plan__ccg=ccg)
        .overdue_since(since, today)
        .select_related("plan")
        .order_by("due_on", "local_code")
    )
    for action in overdue:
        items.append(
            DigestItem(
                "overdue",
                f"{action} ({action.plan.title}) was due on {uk_date(action.due_date)}",
                _link(action.get_absolute_url()),
            )
        )
    items.extend(_newly_red(ccg, since, today))
    missing = (
        Return.objects.missing(today)
        .filter(collection__ccg=ccg, collection__due_date__gte=since)
        .select_related("practice", "collection")
        .order_by("collection__due_date", "practice__name")
    )
    for ret in missing:
        items.append(
            DigestItem(
                "missing",
                f"{ret.practice.name}: {ret.collection.title}, due {uk_date(ret.collection.due_date)}, not submitted",
                _link(ret.get_absolute_url()),
            )
        )
    return items


def _newly_red(ccg: CCG, since: dt.date, today: dt.date) -> list[DigestItem]:
    """Actions open and red on ``today`` that were not red the day before ``since``, by their dated
    status changes (``ActionQuerySet.red``). Two queries."""
    actions = Action.objects.filter(plan__ccg=ccg)
    red_before = set(actions.red(since - dt.timedelta(days=1)).values_list("pk", flat=True))
    return [
        DigestItem(
            "red",
            f"{action} ({action.plan.title}) is now red: {action.rag_reason}",
            _link(action.get_absolute_url()),
        )
        for action in actions.red(today).select_related("plan").order_by("local_code")
        if action.pk not in red_before
    ]


def digest_metrics() -> list:
    """The practice metrics where one direction is worse (ratios, not changes against a baseline)."""
    return [
        m
        for m in METRICS
        if m.higher_is_better is not None and m.kind == MetricKind.RATIO and Level.PRACTICE in m.levels
    ]


def _worse_practices(ccg: CCG, since: dt.date, today: dt.date) -> list[DigestItem]:
    """Practices whose metric values, computed from ``since`` on, moved the wrong way by the threshold.

    For each practice and metric, the newest period's value (if the engine computed it from
    ``since`` on) against the value of the period before: a fall of at least
    ``DIGEST_THRESHOLD_PERCENT`` per cent where higher is better, a rise where lower is. One query.
    """
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    wanted = {m.code: m for m in digest_metrics()}
    rows = (
        MetricValue.objects.in_ccg(ccg)
        .practices()
        .metric(list(wanted))
        .filter(period__gte=since - dt.timedelta(days=LOOK_BACK_DAYS), value__isnull=False)
        .order_by("org_id", "metric", "frequency", "period")
        .values_list("org_id", "practice__name", "metric", "frequency", "period", "value", "computed_at")
    )
    series = defaultdict(list)
    for org_id, name, code, frequency, period, value, computed in rows:
        series[(org_id, name, code, frequency)].append((period, value, computed))
    items = []
    for (org_id, name, code, frequency), points in sorted(series.items(), key=lambda item: (item[0][1], item[0][2])):
        if len(points) < 2:
            continue
        (_before_period, before, _c), (period, after, computed) = points[-2], points[-1]
        if computed < start or not before:
            continue
        metric = wanted[code]
        change = (after - before) / abs(before) * 100
        worse = -change if metric.higher_is_better else change
        if worse >= DIGEST_THRESHOLD_PERCENT:
            items.append(
                DigestItem(
                    "worse",
                    f"{name}: {metric.name} went from {metric.format(before)} to {metric.format(after)} "
                    f"({change:+.0f}%) in {period_label(frequency, period)}",
                    _link(reverse("dashboards:practice_profile", args=[org_id])),
                )
            )
    return items


def commissioners_to_email() -> dict[User, list[CCG]]:
    """Every active commissioner with an email address, with the CCGs they commission."""
    people: dict[User, list[CCG]] = defaultdict(list)
    roles = (
        Role.objects.filter(kind=Role.Kind.COMMISSIONER, user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "ccg")
        .order_by("user__username", "ccg__name")
    )
    for role in roles:
        people[role.user].append(role.ccg)
    return people


def digest_send(*, user: User, ccgs: list[CCG], month: dt.date, today: dt.date) -> DigestRun | None:
    """Send one commissioner's digest for ``month`` unless it went already (the row is the proof)."""
    last = (
        DigestRun.objects.filter(user=user, month__lt=month)
        .order_by("-month")
        .values_list("sent_at", flat=True)
        .first()
    )
    since = timezone.localdate(last) if last else previous_month(month)
    by_ccg = [(ccg, digest_items(ccg=ccg, since=since, today=today)) for ccg in ccgs]
    count = sum(len(items) for _ccg, items in by_ccg)
    context = {
        "user": user,
        "month": month,
        "month_label": month_label(month),
        "since": since,
        "today": today,
        "count": count,
        "by_ccg": [
            {"ccg": ccg, "dashboard": _link(reverse("dashboards:ccg", args=[ccg.pk])),
             "kinds": [(label, [i for i in items if i.kind == kind]) for kind, label in DIGEST_KINDS]}
            for ccg, items in by_ccg
        ],
    }  # fmt: skip
    subject = f"What got worse in {', '.join(c.name for c in ccgs)}: {month_label(month)} digest"
    try:
        with transaction.atomic():
            run = DigestRun.objects.create(
                user=user,
                month=month,
                since=since,
                recipient=user.email,
                items=[{"ccg": ccg.ods_code, **asdict(item)} for ccg, items in by_ccg for item in items],
                item_count=count,
                sent_at=timezone.now(),
            )
            message = EmailMultiAlternatives(
                subject, render_to_string("dashboards/email/digest.txt", context), None, [user.email]
            )
            message.attach_alternative(render_to_string("dashboards/email/digest.html", context), "text/html")
            message.send()
    except IntegrityError:
        return None
    return run


def digests_send(*, today: dt.date | None = None) -> int:
    """Send this month's digest to every commissioner who has not had it; returns how many went."""
    today = today or timezone.localdate()
    month = month_start(today)
    already = set(DigestRun.objects.filter(month=month).values_list("user_id", flat=True))
    sent = 0
    for user, ccgs in commissioners_to_email().items():
        if user.pk in already:
            continue
        try:
            if digest_send(user=user, ccgs=ccgs, month=month, today=today) is not None:
                sent += 1
        except Exception:  # one person's failed send must not stop the others; the next run retries
            logger.exception("Digest for user %s not sent", user.pk)
    return sent
