"""A worker killed in the middle of a recompute, on a real worker and broker (Redis when
REDIS_URL is set, else the filesystem broker): the run is retried and finishes, or is failed
with the reason; it is never left "running".

- Its pool process killed (SIGKILL, as the kernel's out-of-memory killer does): the message goes
  back to the queue (``task_reject_on_worker_lost``) and the next pool process takes the run over.
- The whole worker killed: nothing comes back (the filesystem broker has lost the message, Redis
  hides it for the visibility timeout) until the sweeper finds the run's heartbeat stale.

The worker imports ``tests.metrics.slow_worker`` so that each area of the run takes a few seconds.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import time
from pathlib import Path

import pytest
from django.utils import timezone

from metrics.models import MetricValue, RecomputeRun
from portal import jobs
from tests.test_celery_worker import Worker

from .helpers import Q1_2018, accepted_workforce

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SLOW_SECONDS = 3


@pytest.fixture
def slow_worker(django_db_setup, tmp_path):
    worker = Worker(tmp_path)
    worker.pool_args = ["--pool=prefork", "--concurrency=1", "-I", "tests.metrics.slow_worker"]
    worker.env["SLOW_RECOMPUTE_SECONDS"] = str(SLOW_SECONDS)
    try:
        worker.start()
        yield worker
    finally:
        worker.stop()
        print(f"--- worker log ---\n{worker.log()}")
        worker.forget_queue()


def pool_process(worker: Worker) -> int:
    # Each thread's children: the pool forks a replacement from a thread of its own.
    children = [pid for path in Path(f"/proc/{worker.process.pid}/task").glob("*/children")
                for pid in path.read_text().split()]  # fmt: skip
    assert len(children) == 1, children
    return int(children[0])


def wait_for_run(run: RecomputeRun, statuses: set[str], timeout: float = 45) -> RecomputeRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in statuses:
            return run
        time.sleep(0.2)
    pytest.fail(f"Run {run.pk} still {run.status}, not {statuses}, after {timeout} s")


def start_run(worker: Worker, luton_practice) -> RecomputeRun:
    accepted_workforce(luton_practice, Q1_2018, 10_000, gp_partner=(4, 4.0, 0, 0))
    run = RecomputeRun.objects.create(trigger=RecomputeRun.Trigger.BROWSER)
    worker.producer().send_task("metrics.tasks.recompute_metrics", args=[run.pk], queue=worker.queue)
    wait_for_run(run, {RecomputeRun.Status.RUNNING})
    return run


def test_a_pool_process_killed_mid_run_gives_the_run_to_the_next_one_which_finishes_it(slow_worker, luton_practice):
    run = start_run(slow_worker, luton_practice)
    killed = pool_process(slow_worker)

    os.kill(killed, signal.SIGKILL)

    run = wait_for_run(run, {RecomputeRun.Status.DONE, RecomputeRun.Status.FAILED})
    assert run.status == RecomputeRun.Status.DONE, run.error
    assert pool_process(slow_worker) != killed
    assert run.worker_stops == 1 and run.retried_at is not None
    assert "The worker stopped while this ran; it was retried at" in run.worker_stopped_note
    assert MetricValue.objects.for_practice(luton_practice).exists()


def test_a_pool_process_killed_under_the_same_run_twice_fails_it_with_the_reason(slow_worker, luton_practice):
    run = start_run(slow_worker, luton_practice)
    os.kill(pool_process(slow_worker), signal.SIGKILL)
    run = wait_for_run(run, {RecomputeRun.Status.RUNNING})
    deadline = time.monotonic() + 30
    while not RecomputeRun.objects.filter(pk=run.pk, worker_stops=1).exists() and time.monotonic() < deadline:
        time.sleep(0.1)

    os.kill(pool_process(slow_worker), signal.SIGKILL)

    run = wait_for_run(run, {RecomputeRun.Status.DONE, RecomputeRun.Status.FAILED})
    assert run.status == RecomputeRun.Status.FAILED
    assert run.error == jobs.WORKER_STOPPED_FAILED


def test_a_worker_killed_whole_mid_run_is_found_by_the_sweeper_and_the_run_retried(slow_worker, luton_practice):
    run = start_run(slow_worker, luton_practice)

    os.killpg(slow_worker.process.pid, signal.SIGKILL)
    slow_worker.process.wait(timeout=10)
    time.sleep(SLOW_SECONDS)
    run.refresh_from_db()
    assert run.status == RecomputeRun.Status.RUNNING  # and nothing will come to finish it

    # Not yet stale: the sweeper leaves it.
    assert jobs.jobs_sweep()["metrics.RecomputeRun"] == 0
    # Later than the job's time limit: the sweeper queues it again (the suite runs jobs in-process).
    stale_after = jobs.kind_of(RecomputeRun).stale_after
    assert stale_after > dt.timedelta(minutes=31)
    assert jobs.jobs_sweep(now=timezone.now() + stale_after + dt.timedelta(seconds=1))["metrics.RecomputeRun"] == 1

    run.refresh_from_db()
    assert run.status == RecomputeRun.Status.DONE, run.error
    assert run.worker_stops == 1 and run.retried_at is not None
    assert MetricValue.objects.for_practice(luton_practice).exists()
