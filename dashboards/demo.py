"""The dashboards' demo: the metric values the dashboards read, and the board reports kept.

``load_demo_dashboards`` runs last in ``load_demo``: it asks the metrics engine for a full
recompute (the demo's returns were accepted without a worker to compute them), then makes each
demo meeting's board report that is not kept yet, oldest meeting first so that each paper's
"what changed since the last meeting" starts at the one before: Wolverhampton's Governing Body
of April 2018 (its GPFV programme as reported that month, ``shared/seeds/004`` section 3.2) and
of October 2018, and Luton's Primary Care Commissioning Committee of 24 January 2019 for
2018/19 Q3. The meeting days are illustrative. Safe to run again: the recompute rewrites the
same values, and a report already kept for a meeting is left as it is.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from metrics.services import metrics_recompute
from practices.models import CCG, Role

from .models import BoardReport
from .selectors import Period
from .services import board_report_generate


class DemoMeeting(NamedTuple):
    ccg: str
    period: Period
    committee: str
    meeting_date: dt.date


DEMO_MEETINGS = (
    DemoMeeting("06A", Period(dt.date(2018, 1, 1)), "Governing Body", dt.date(2018, 4, 10)),
    DemoMeeting("06A", Period(dt.date(2018, 7, 1)), "Governing Body", dt.date(2018, 10, 9)),
    DemoMeeting("06P", Period(dt.date(2018, 10, 1)), "Primary Care Commissioning Committee", dt.date(2019, 1, 24)),
)


def load_demo_dashboards() -> dict[str, int]:
    outcome = metrics_recompute()
    reports = 0
    ccgs = CCG.objects.in_bulk([m.ccg for m in DEMO_MEETINGS], field_name="ods_code")
    for meeting in sorted(DEMO_MEETINGS, key=lambda m: m.meeting_date):
        ccg = ccgs.get(meeting.ccg)
        if ccg is None or BoardReport.objects.filter(ccg=ccg, meeting_date=meeting.meeting_date).exists():
            continue
        commissioner = Role.objects.filter(kind=Role.Kind.COMMISSIONER, ccg=ccg).select_related("user").first()
        report = BoardReport.objects.create(
            ccg=ccg,
            period=meeting.period.start,
            meeting=meeting.committee,
            meeting_date=meeting.meeting_date,
            requested_by=commissioner.user if commissioner else None,
        )
        board_report_generate(report_id=report.pk)
        reports += 1
    return {"metric values": outcome.values_written, "board reports": reports}
