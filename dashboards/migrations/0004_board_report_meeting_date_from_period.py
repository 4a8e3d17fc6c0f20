"""Board reports made before the meeting's date was asked for: their meeting is taken to be the
last day of the quarter they report on (data only; the next migration makes the date required)."""

import datetime as dt

from django.db import migrations


def quarter_end(start: dt.date) -> dt.date:
    month = start.month + 2
    first_after = dt.date(start.year + month // 12, month % 12 + 1, 1)
    return first_after - dt.timedelta(days=1)


def fill_meeting_dates(apps, schema_editor):
    BoardReport = apps.get_model("dashboards", "BoardReport")
    for report in BoardReport.objects.filter(meeting_date__isnull=True).only("pk", "period"):
        BoardReport.objects.filter(pk=report.pk).update(meeting_date=quarter_end(report.period))


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0003_worker_job_heartbeat")]

    operations = [migrations.RunPython(fill_meeting_dates, migrations.RunPython.noop)]
