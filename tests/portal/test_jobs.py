"""Job rows whose worker died: a task claims its row (and a second task for the same row does
not run it at once); the sweeper queues a stale run once more, then fails it with the reason;
the pages say so; the broker's settings fit the longest job."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from config.celery import app
from dashboards.models import BoardReport
from metrics.models import RecomputeRun
from portal import jobs, outbox
from practices.models import ReferenceImport

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def a_run(**fields) -> RecomputeRun:
    return RecomputeRun.objects.create(trigger=RecomputeRun.Trigger.BROWSER, **fields)


def test_a_queued_run_is_claimed_and_a_second_task_does_not_run_it_at_the_same_time():
    run = a_run()

    assert jobs.job_claim(model=RecomputeRun, pk=run.pk, task_id="first") == jobs.Claim.CLAIMED
    assert jobs.job_claim(model=RecomputeRun, pk=run.pk, task_id="second") == jobs.Claim.BUSY

    run.refresh_from_db()
    assert (run.status, run.task_id, run.worker_stops) == ("running", "first", 0)
    assert run.heartbeat_at is not None


def test_a_message_that_comes_back_takes_the_run_over_once_then_fails_it_with_the_reason():
    run = a_run()
    jobs.job_claim(model=RecomputeRun, pk=run.pk, task_id="t1")

    # Its pool process died: the same message again.
    assert jobs.job_claim(model=RecomputeRun, pk=run.pk, task_id="t1") == jobs.Claim.CLAIMED
    run.refresh_from_db()
    assert run.worker_stops == 1 and run.retried_at is not None
    assert run.status == "running"

    assert jobs.job_claim(model=RecomputeRun, pk=run.pk, task_id="t1") == jobs.Claim.GAVE_UP
    run.refresh_from_db()
    assert run.status == "failed" and run.error == jobs.WORKER_STOPPED_FAILED
    assert run.finished_at is not None
    assert jobs.job_claim(model=RecomputeRun, pk=run.pk, task_id="t1") == jobs.Claim.FINISHED


def test_a_task_of_a_run_that_another_task_is_running_leaves_it_alone():
    run = a_run(status="running", task_id="other", heartbeat_at=timezone.now())

    with mock.patch("metrics.tasks.metrics_recompute") as recompute:
        assert app.tasks["metrics.tasks.recompute_metrics"].apply(args=[run.pk]).get() == 0

    recompute.assert_not_called()


@pytest.fixture
def stale_jobs(luton):
    long_ago = timezone.now() - dt.timedelta(hours=2)
    return [
        a_run(status="running", heartbeat_at=long_ago, task_id="gone"),
        BoardReport.objects.create(
            ccg=luton, period=dt.date(2018, 4, 1), meeting="PCCC", status="running", heartbeat_at=long_ago
        ),  # fmt: skip
        ReferenceImport.objects.create(
            dataset="list-sizes", file_path="/nowhere.csv", status="running", heartbeat_at=long_ago
        ),  # fmt: skip
    ]


def test_the_sweeper_queues_each_stale_job_again_once_then_fails_it(stale_jobs, django_capture_on_commit_callbacks):
    fresh = a_run(status="running", heartbeat_at=timezone.now())
    published = []

    def publish(task, args, *rest, **options):
        published.append((task.name, tuple(args)))

    with (
        mock.patch("celery.app.task.Task.apply_async", publish),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert jobs.jobs_sweep() == {"metrics.RecomputeRun": 1, "dashboards.BoardReport": 1,
                                     "practices.ReferenceImport": 1, "commissioning.TrackerImportRun": 0,
                                     "quality.CQCImportRun": 0}  # fmt: skip

    expected = [(kind.task_name, (job.pk,)) for kind, job in zip(jobs.KINDS[:3], stale_jobs, strict=True)]
    assert sorted(published) == sorted(expected)
    for job in stale_jobs:
        job.refresh_from_db()
        assert (job.status, job.worker_stops, job.task_id) == ("queued", 1, "")
        assert job.worker_stopped_note.startswith("The worker stopped while this ran; it was retried at")
    fresh.refresh_from_db()
    assert fresh.status == "running" and fresh.worker_stops == 0

    # The retry's worker dies too: failed, with the reason, and not queued again.
    long_ago = timezone.now() - dt.timedelta(hours=2)
    for job in stale_jobs:
        type(job).objects.filter(pk=job.pk).update(status="running", heartbeat_at=long_ago)
    with mock.patch("celery.app.task.Task.apply_async") as publish, django_capture_on_commit_callbacks(execute=True):
        jobs.jobs_sweep()
    publish.assert_not_called()
    for job in stale_jobs:
        job.refresh_from_db()
        assert (job.status, job.error) == ("failed", jobs.WORKER_STOPPED_FAILED)


@pytest.fixture
def not_eager():
    """Jobs go to the broker, as in production, not run in-process."""
    before = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = before


def test_a_job_the_sweeper_cannot_queue_waits_in_the_outbox(stale_jobs, not_eager, django_capture_on_commit_callbacks):
    with (
        mock.patch("celery.app.task.Task.apply_async", side_effect=BrokerError("Redis is down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        jobs.jobs_sweep()

    for job in stale_jobs:
        job.refresh_from_db()
        assert (job.status, job.worker_stops) == ("queued", 1)
        # Not lost: the outbox holds it until the broker takes it (portal.tasks.republish_outbox).
        assert outbox.waiting(job)


def test_a_run_is_stale_only_after_its_jobs_time_limit():
    limit = dt.timedelta(seconds=app.tasks["metrics.tasks.recompute_metrics"].time_limit)
    run = a_run(status="running", heartbeat_at=NOW)

    assert jobs.jobs_sweep(now=NOW + limit)["metrics.RecomputeRun"] == 0
    with mock.patch("celery.app.task.Task.apply_async"):
        assert (
            jobs.jobs_sweep(now=NOW + limit + jobs.STALE_MARGIN + dt.timedelta(seconds=1))["metrics.RecomputeRun"] == 1
        )
    run.refresh_from_db()
    assert run.status == "queued"


def test_the_run_page_says_the_worker_stopped_and_why_it_failed(client, root):
    retried = a_run(status="running", retried_at=NOW, worker_stops=1, steps_total=7, steps_done=2)
    failed = a_run(status="failed", error=jobs.WORKER_STOPPED_FAILED, worker_stops=1, retried_at=NOW)
    client.force_login(root)

    assert "The worker stopped while this ran; it was retried at" in client.get(retried.get_absolute_url()).text
    page = client.get(failed.get_absolute_url()).text
    assert f"The recompute failed: {jobs.WORKER_STOPPED_FAILED}" in page
    assert "Running" not in page


def test_the_board_report_page_says_the_worker_stopped(client, alice, luton):
    report = BoardReport.objects.create(ccg=luton, period=dt.date(2018, 4, 1), meeting="PCCC", status="failed",
                                        error=jobs.WORKER_STOPPED_FAILED, retried_at=NOW)  # fmt: skip
    client.force_login(alice)

    page = client.get(reverse("dashboards:report_detail", args=[report.pk])).text

    assert f"The report could not be made: {jobs.WORKER_STOPPED_FAILED}" in page
    assert "The worker stopped while this ran; it was retried at" in page


def test_a_worker_lost_puts_the_message_back_and_redis_hides_it_for_longer_than_any_job():
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    app.loader.import_default_modules()
    longest = max(task.time_limit or settings.CELERY_TASK_TIME_LIMIT for task in app.tasks.values())
    assert settings.CELERY_VISIBILITY_TIMEOUT_SECONDS > longest + 5 * 60
    if settings.REDIS_URL:
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        assert options["visibility_timeout"] == settings.CELERY_VISIBILITY_TIMEOUT_SECONDS
    else:
        assert "visibility_timeout" not in settings.CELERY_BROKER_TRANSPORT_OPTIONS


def test_the_sweeper_is_on_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["portal-sweep-stale-jobs"]
    assert entry["task"] == "portal.tasks.sweep_stale_jobs"
    assert app.tasks[entry["task"]] is not None
