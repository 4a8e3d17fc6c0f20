"""The dashboards' demo: the metric values the dashboards read, and one kept board report.

``load_demo_dashboards`` runs last in ``load_demo``: it asks the metrics engine for a full
recompute (the demo's returns were accepted without a worker to compute them), then makes
Luton's board report for 2018/19 Q3, for the Primary Care Commissioning Committee of
24 January 2019, unless one is already kept. Safe to run again: the recompute rewrites the
same values, and an existing report is left as it is.
"""

from __future__ import annotations

import datetime as dt

from metrics.services import metrics_recompute
from practices.models import CCG, Role

from .models import BoardReport
from .selectors import Period
from .services import board_report_generate

DEMO_REPORT_CCG = "06P"
DEMO_REPORT_PERIOD = Period(dt.date(2018, 10, 1))
DEMO_MEETING = "Primary Care Commissioning Committee"
DEMO_MEETING_DATE = dt.date(2019, 1, 24)


def load_demo_dashboards() -> dict[str, int]:
    outcome = metrics_recompute()
    reports = 0
    ccg = CCG.objects.filter(ods_code=DEMO_REPORT_CCG).first()
    if ccg is not None and not BoardReport.objects.filter(ccg=ccg, period=DEMO_REPORT_PERIOD.start).exists():
        commissioner = Role.objects.filter(kind=Role.Kind.COMMISSIONER, ccg=ccg).select_related("user").first()
        report = BoardReport.objects.create(
            ccg=ccg,
            period=DEMO_REPORT_PERIOD.start,
            meeting=DEMO_MEETING,
            meeting_date=DEMO_MEETING_DATE,
            requested_by=commissioner.user if commissioner else None,
        )
        board_report_generate(report_id=report.pk)
        reports = 1
    return {"metric values": outcome.values_written, "board reports": reports}
