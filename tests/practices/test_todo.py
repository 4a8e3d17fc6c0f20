"""An administrator's home page: reference imports that reported problems, and jobs waiting
in the outbox; nobody else sees them."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from portal.models import OutboxMessage
from portal.todo import ADMINISTRATOR
from practices.models import ReferenceImport
from practices.todo import jobs_waiting, reference_import_problems

from ..dashboards.helpers import set_today

TODAY = dt.date(2026, 12, 4)


def reference_run(*, days_ago=1, **fields):
    return ReferenceImport.objects.create(
        dataset=ReferenceImport.Dataset.EPRACCUR, file_path="/data/epraccur.csv",
        queued_at=timezone.now() - dt.timedelta(days=days_ago), **fields,
    )  # fmt: skip


def test_reference_imports_that_failed_or_rejected_rows_recently(client, root, alice, time_machine):
    set_today(time_machine, TODAY)
    failed = reference_run(status=ReferenceImport.Status.FAILED, error="Unreadable")
    rejected = reference_run(status=ReferenceImport.Status.DONE, rejected=3)
    reference_run(status=ReferenceImport.Status.DONE, rejected=3, dry_run=True)
    reference_run(status=ReferenceImport.Status.DONE)
    reference_run(status=ReferenceImport.Status.FAILED, days_ago=15)

    [item] = reference_import_problems(root, TODAY)
    assert (item.role, item.text) == (ADMINISTRATOR, "2 reference imports reported problems")
    assert item.url == f"{reverse('practices:reference_import')}?problems=yes"
    client.force_login(root)
    runs = client.get(item.url).text.split('id="reference-runs"')[1].split("</ul>")[0]
    assert runs.count("<li>") == 2
    assert failed.get_absolute_url() in runs and rejected.get_absolute_url() in runs
    assert reference_import_problems(alice, TODAY) == []


def test_jobs_waiting_in_the_outbox_for_a_staff_administrator(root, alice, time_machine):
    set_today(time_machine, TODAY)
    assert jobs_waiting(root, TODAY) == []
    OutboxMessage.objects.create(task="metrics.tasks.recompute_metrics")
    OutboxMessage.objects.create(task="dashboards.tasks.generate_board_report")
    root.is_staff = True
    [item] = jobs_waiting(root, TODAY)
    assert (item.text, item.note) == ("2 jobs waiting for the job queue", "the oldest queued 4 December 2026")
    assert item.url == reverse("admin:portal_outboxmessage_changelist")
    assert jobs_waiting(alice, TODAY) == []
