"""Jobs of the dashboards app.

``generate_board_report`` makes one requested board report's HTML, prints it to PDF in
headless Chromium and keeps both (without Chromium, the HTML and the reason); a report
already made is left alone, so running it twice is harmless, except that one kept without
its PDF gets it. ``send_monthly_digests`` runs
on the 1st of each month (``CELERY_BEAT_SCHEDULE``) and emails each commissioner what got
worse in their CCG; a digest sent is recorded and never sent twice in a month.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task

from portal.jobs import Claim, job_claim

from .models import BoardReport
from .services import board_report_generate, digests_send

logger = logging.getLogger(__name__)

# A report reads one CCG's plan, returns and funding: seconds, even for the largest CCG; its
# print to PDF gives up after dashboards.pdf.RENDER_TIMEOUT_SECONDS (and CLOSE_SECONDS).
REPORT_SOFT_TIME_LIMIT = 5 * 60
REPORT_TIME_LIMIT = 6 * 60
# One email per commissioner in England (a few hundred); allow for a slow mail server.
DIGEST_SOFT_TIME_LIMIT = 20 * 60
DIGEST_TIME_LIMIT = 21 * 60


@shared_task(bind=True, soft_time_limit=REPORT_SOFT_TIME_LIMIT, time_limit=REPORT_TIME_LIMIT)
def generate_board_report(self, report_id: int) -> str:
    claim = job_claim(model=BoardReport, pk=report_id, task_id=self.request.id)
    if claim in (Claim.BUSY, Claim.MISSING, Claim.GAVE_UP):
        return claim
    if claim == Claim.FINISHED and BoardReport.objects.filter(pk=report_id, status=BoardReport.Status.FAILED).exists():
        return BoardReport.Status.FAILED
    # A report made already is passed on all the same: one kept without its PDF gets it now.
    report = board_report_generate(report_id=report_id)
    return report.status


@shared_task(soft_time_limit=DIGEST_SOFT_TIME_LIMIT, time_limit=DIGEST_TIME_LIMIT)
def send_monthly_digests(today: str | None = None) -> int:
    """Send this month's digests not yet sent (``today`` as an ISO date; default the local date)."""
    sent = digests_send(today=dt.date.fromisoformat(today) if today else None)
    logger.info("Monthly digests: %s sent.", sent)
    return sent
