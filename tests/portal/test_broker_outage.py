"""Redis stopped and started again under a real worker: nothing a user saved is lost, nobody is
told it failed, and the worker waits for the broker rather than exiting.

A private ``redis-server`` on a free port (no persistence, in a temporary folder) is the broker
of this module's worker subprocess and of the test's own publishing; the suite's usual broker is
left alone.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from celery import current_app
from django.urls import reverse
from django_celery_results.models import TaskResult
from kombu import Connection

from metrics import services as metrics_services
from metrics.models import MetricValue, RecomputeRun
from portal.models import OutboxMessage
from portal.outbox import WAITING_MESSAGE
from portal.tasks import republish_outbox
from returns.models import Return
from returns.services import collection_open, return_save, return_submit
from returns.views.returns import ACCEPTED_JOBS_WAITING
from tests.returns.helpers import Q3_2017, Q3_DUE, workforce_values
from tests.test_celery_worker import _database_url_of_test_database

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed"),
]

BASE_DIR = Path(__file__).resolve().parents[2]
TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """``redis-server`` on its own port; ``stop`` shuts it down, ``start`` brings it back on the
    same port (saving and loading its data, as a restarted production Redis would)."""

    def __init__(self, folder: Path):
        self.executable = shutil.which("redis-server")
        self.folder, self.port, self.process = folder, free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not self.answers():
            if time.monotonic() > deadline:
                pytest.fail("redis-server did not start")
            time.sleep(0.05)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is None:
            return
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
            sock.sendall(b"SHUTDOWN SAVE\r\n")
        self.process.wait(timeout=10)
        self.process = None

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


class Worker:
    def __init__(self, folder: Path, broker_url: str):
        self.log_path = folder / "worker.log"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "CELERY_"))}
        self.env.update(
            DJANGO_SETTINGS_MODULE="config.settings.test", CELERY_EAGER="0", REDIS_URL=broker_url,
            DATABASE_URL=_database_url_of_test_database(), PYTHONUNBUFFERED="1",
        )  # fmt: skip

    def start(self) -> None:
        self.log_file = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
             "--without-mingle", "--without-gossip", "--without-heartbeat", "-n", "outage@%h"],
            cwd=BASE_DIR, env=self.env, stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self.wait_for(lambda: "ready." in self.log(), "the worker to be ready")

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_for(self, condition, what: str, timeout: float = TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if not self.alive():
                pytest.fail(f"The worker exited with {self.process.returncode} waiting for {what}:\n{self.log()}")
            if time.monotonic() > deadline:
                pytest.fail(f"No {what} after {timeout} s. Worker log:\n{self.log()}")
            time.sleep(0.25)

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log_file.close()


def _publish_to(app, broker_url: str | None, options: dict) -> None:
    app.conf.broker_url = broker_url
    app.conf.broker_transport_options = options
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.kill()


@pytest.fixture(scope="module")
def worker(django_db_setup, redis_server, tmp_path_factory):
    worker = Worker(tmp_path_factory.mktemp("worker"), redis_server.url)
    try:
        worker.start()
        yield worker
    finally:
        worker.stop()


@pytest.fixture
def publishing_to_private_redis(redis_server):
    """This process publishes for real (not eagerly) to the private Redis, as the web does."""
    app = current_app
    before = (app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_always_eager)
    _publish_to(app, redis_server.url, {})
    app.conf.task_always_eager = False
    yield
    _publish_to(app, before[0], before[1])
    app.conf.task_always_eager = before[2]


@pytest.fixture
def redis_back_at_the_end(redis_server):
    yield
    if not redis_server.answers():
        redis_server.start()


@pytest.fixture
def submitted_workforce_return(luton, luton_practice, alice, bob):
    collection = collection_open(
        ccg=luton, return_type="workforce", period_start=Q3_2017, due_date=Q3_DUE, user=alice,
        practices=[luton_practice],
    )  # fmt: skip
    ret = collection.returns.get()
    return_save(ret=ret, values=workforce_values(), user=bob)
    return_submit(ret=ret, user=bob)
    return ret


def test_with_redis_down_an_acceptance_and_a_recompute_are_saved_and_run_when_it_is_back(
    client, alice, luton_practice, submitted_workforce_return, worker, redis_server, publishing_to_private_redis,
    redis_back_at_the_end, monkeypatch,
):  # fmt: skip
    monkeypatch.setattr(metrics_services, "DEBOUNCE_SECONDS", 2)  # the acceptance's recompute, sooner
    client.force_login(alice)
    redis_server.stop()

    review = reverse("returns:return_review", args=[submitted_workforce_return.pk])
    response = client.post(review, {"decision": "accept", "comment": ""}, follow=True)
    assert response.status_code == 200
    assert Return.objects.get(pk=submitted_workforce_return.pk).status == Return.Status.ACCEPTED
    assert ACCEPTED_JOBS_WAITING in response.content.decode()

    response = client.post(reverse("metrics:recompute"))
    assert response.status_code == 302
    run = RecomputeRun.objects.get(trigger=RecomputeRun.Trigger.BROWSER)
    assert run.status == RecomputeRun.Status.QUEUED
    assert WAITING_MESSAGE in client.get(response.url).content.decode()
    assert set(OutboxMessage.objects.values_list("task", flat=True)) == {
        "metrics.tasks.recompute_pending", "metrics.tasks.recompute_metrics",
    }  # fmt: skip
    assert all("Connection refused" in m.last_error for m in OutboxMessage.objects.all())
    assert not MetricValue.objects.exists()

    redis_server.start()
    assert republish_outbox() == 2
    assert not OutboxMessage.objects.exists()

    def finished() -> bool:
        runs = RecomputeRun.objects.filter(status__in=[RecomputeRun.Status.DONE, RecomputeRun.Status.FAILED])
        return runs.count() == 2

    worker.wait_for(finished, "two finished recomputes")
    runs = {r.trigger: r for r in RecomputeRun.objects.all()}
    assert runs[RecomputeRun.Trigger.BROWSER].status == RecomputeRun.Status.DONE, runs["browser"].error
    assert runs[RecomputeRun.Trigger.ACCEPTANCE].status == RecomputeRun.Status.DONE
    assert runs[RecomputeRun.Trigger.ACCEPTANCE].scope == {"workforce": None}
    assert MetricValue.objects.for_practice(luton_practice).metric("gp_fte_per_1000").exists()
    assert WAITING_MESSAGE not in client.get(run.get_absolute_url()).content.decode()


def test_the_worker_waits_out_a_broker_outage_while_it_holds_a_countdown_job(
    worker, redis_server, publishing_to_private_redis, redis_back_at_the_end
):
    result = current_app.tasks["config.celery.ping"].apply_async(["after the outage"], countdown=6)
    worker.wait_for(lambda: result.id in worker.log(), "the countdown job received")
    connected = worker.log().count("Connected to redis")

    redis_server.stop()
    time.sleep(3)
    assert worker.alive(), worker.log()  # before config/kombu_fixes.py: "Unrecoverable error", exit
    redis_server.start()
    worker.wait_for(lambda: worker.log().count("Connected to redis") > connected, "reconnection")

    # The job the worker held is still Redis's, unacknowledged: a worker's kombu puts it back on the
    # queue once its visibility timeout has passed. Do here what kombu then does, rather than wait.
    tags = redis.Redis.from_url(redis_server.url).zrange("unacked_index", 0, -1)
    assert len(tags) == 1
    with Connection(redis_server.url) as connection:
        connection.default_channel.qos.restore_by_tag(tags[0].decode())

    def done() -> bool:
        return TaskResult.objects.filter(task_id=result.id, status="SUCCESS").exists()

    worker.wait_for(done, "the countdown job's result")
    assert worker.alive()
