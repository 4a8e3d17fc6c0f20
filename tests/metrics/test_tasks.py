"""The jobs: a full run, the nightly job, the debounced recompute after acceptances (through the
real workflow), the retry after a database fault, and a failure reported on the run."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError

from metrics import tasks
from metrics.models import MetricValue, PendingRecompute, RecomputeRun
from metrics.services import recompute_request, recompute_run_start
from returns.services import collection_open, return_accept, return_save, return_submit
from tests.returns.helpers import Q3_2017, Q3_DUE, workforce_values

from .helpers import Q1_2018, accepted_workforce

pytestmark = pytest.mark.django_db


@pytest.fixture
def retries_run_eagerly():
    """Let an eager task's retries run in turn (the suite propagates eager errors at once)."""
    conf = tasks.recompute_metrics.app.conf
    before = conf.task_eager_propagates
    conf.task_eager_propagates = False
    yield
    conf.task_eager_propagates = before


@pytest.fixture(autouse=True)
def _forget_debounce():
    cache.clear()
    yield
    cache.clear()


def test_a_run_records_progress_and_the_values_it_wrote(luton_practice, django_capture_on_commit_callbacks):
    accepted_workforce(luton_practice, Q1_2018, 10_000, gp_partner=(4, 4.0, 0, 0))

    with django_capture_on_commit_callbacks(execute=True):
        run = recompute_run_start(trigger=RecomputeRun.Trigger.COMMAND)

    run.refresh_from_db()
    assert run.status == RecomputeRun.Status.DONE
    assert run.steps_done == run.steps_total == 7
    assert run.values_written == MetricValue.objects.count()
    assert run.started_at <= run.finished_at


def test_the_nightly_job_recomputes_everything_and_a_second_night_gives_the_same_rows(
    luton_practice, django_capture_on_commit_callbacks
):
    accepted_workforce(luton_practice, Q1_2018, 10_000, gp_partner=(4, 4.0, 0, 0))

    # The run is queued through the outbox: its job is published once the run is committed.
    with django_capture_on_commit_callbacks(execute=True):
        tasks.recompute_all_metrics.delay()
    first = sorted(MetricValue.objects.values_list("metric", "level", "org_id", "period", "value"))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.recompute_all_metrics.delay()

    assert sorted(MetricValue.objects.values_list("metric", "level", "org_id", "period", "value")) == first
    assert RecomputeRun.objects.filter(trigger="nightly", status="done").count() == 2


def test_a_database_fault_is_retried_and_the_run_then_finishes(luton_practice, retries_run_eagerly):
    accepted_workforce(luton_practice, Q1_2018, 10_000, gp_partner=(4, 4.0, 0, 0))
    run = RecomputeRun.objects.create(trigger="command")
    real = tasks.metrics_recompute
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    with mock.patch.object(tasks, "metrics_recompute", side_effect=flaky):
        tasks.recompute_metrics.apply(args=[run.pk])

    run.refresh_from_db()
    assert len(calls) == 2
    assert run.status == RecomputeRun.Status.DONE
    assert MetricValue.objects.for_practice(luton_practice).exists()


def test_a_fault_that_persists_fails_the_run_and_says_why(luton_practice, retries_run_eagerly):
    run = RecomputeRun.objects.create(trigger="command")

    with mock.patch.object(tasks, "metrics_recompute", side_effect=OperationalError("database is down")):
        result = tasks.recompute_metrics.apply(args=[run.pk])

    run.refresh_from_db()
    assert result.failed() and isinstance(result.result, OperationalError)
    assert run.status == RecomputeRun.Status.FAILED
    assert "database is down" in run.error


def test_a_finished_run_is_not_run_again(luton_practice):
    run = RecomputeRun.objects.create(trigger="command", status=RecomputeRun.Status.DONE)

    assert tasks.recompute_metrics.apply(args=[run.pk]).get() == 0


def test_acceptances_close_together_are_one_recompute_of_the_periods_they_touched(
    django_capture_on_commit_callbacks,
):
    with mock.patch.object(tasks.recompute_pending, "apply_async") as queued:
        with django_capture_on_commit_callbacks(execute=True):
            recompute_request(area="workforce", frequency="quarterly", period=Q1_2018)
            recompute_request(area="workforce", frequency="quarterly", period=Q1_2018)
            recompute_request(area="access", frequency="monthly", period=dt.date(2018, 10, 1))

    assert queued.call_count == 1
    assert queued.call_args.kwargs["countdown"] == 30
    assert PendingRecompute.objects.count() == 2


def test_accepting_a_workforce_return_recomputes_its_quarter(
    luton, luton_practice, alice, bob, django_capture_on_commit_callbacks
):
    collection = collection_open(
        ccg=luton, return_type="workforce", period_start=Q3_2017, due_date=Q3_DUE, user=alice,
        practices=[luton_practice],
    )  # fmt: skip
    ret = collection.returns.get()
    with django_capture_on_commit_callbacks(execute=True):
        return_save(ret=ret, values=workforce_values(), user=bob)
        revision = return_submit(ret=ret, user=bob)
        return_accept(ret=ret, user=alice)

    run = RecomputeRun.objects.get(trigger="acceptance")
    assert run.status == RecomputeRun.Status.DONE
    assert run.scope == {"workforce": None}  # the baseline quarter: every change since it moves
    row = MetricValue.objects.for_practice(luton_practice).metric("gp_fte_per_1000").get()
    assert row.period == Q3_2017 and row.revisions == [revision.pk]
    assert not PendingRecompute.objects.exists()


def test_a_finished_recompute_rescores_the_vulnerable_practice_register(
    luton_practice, django_capture_on_commit_callbacks
):
    accepted_workforce(luton_practice, Q1_2018, 9500, gp_partner=(2, 2.0, 1, 0))
    run = RecomputeRun.objects.create(trigger="command")

    with django_capture_on_commit_callbacks(execute=True):
        tasks.recompute_metrics.apply(args=[run.pk])

    from quality.models import VulnerabilityScore

    assert VulnerabilityScore.objects.filter(practice=luton_practice).exists()


def test_a_failed_recompute_does_not_rescore(luton_practice, django_capture_on_commit_callbacks, retries_run_eagerly):
    run = RecomputeRun.objects.create(trigger="command")

    with (
        django_capture_on_commit_callbacks() as callbacks,
        mock.patch.object(tasks, "metrics_recompute", side_effect=OperationalError("database is down")),
    ):
        tasks.recompute_metrics.apply(args=[run.pk])

    assert callbacks == []
