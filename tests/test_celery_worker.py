"""A real Celery worker, started as a subprocess, takes a job from the real broker and
writes its outcome to the test database.

The broker is the one the settings choose: Redis when REDIS_URL is set (CI), otherwise
kombu's filesystem transport, here in a temporary folder. Each test uses a queue of its
own, so a worker left running elsewhere against the same Redis cannot take its job.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection
from django_celery_results.models import TaskResult
from kombu import Exchange, Queue

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(settings.BASE_DIR)
WORKER_START_TIMEOUT = 60
TASK_TIMEOUT = 60


def _database_url_of_test_database() -> str:
    """The URL of the database this test is using (test_<name>), for the worker's DATABASE_URL."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    if db["ENGINE"].endswith("postgresql"):
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgres://{auth}@{db['HOST'] or 'localhost'}{port}/{db['NAME']}"
    raise NotImplementedError(db["ENGINE"])


class Worker:
    """A ``celery -A config worker`` subprocess listening on one queue."""

    def __init__(self, tmp_path: Path):
        self.queue = f"test-{uuid.uuid4().hex[:12]}"
        self.broker_dir = tmp_path / "broker"
        self.log_path = tmp_path / "worker.log"
        self.process: subprocess.Popen | None = None
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "CELERY_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.test",
            CELERY_EAGER="0",
            DATABASE_URL=_database_url_of_test_database(),
            CELERY_BROKER_DIR=str(self.broker_dir),
            PYTHONUNBUFFERED="1",
        )
        self.env = env

    def producer(self) -> Celery:
        """A Celery app that publishes to the same broker as the worker, never eagerly."""
        app = Celery("portal-test-producer", set_as_current=False)
        app.conf.broker_url = settings.CELERY_BROKER_URL
        options = dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS)
        if settings.CELERY_BROKER_URL.startswith("filesystem:"):
            for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
                folder = self.broker_dir / Path(options[key]).name
                folder.mkdir(parents=True, exist_ok=True)
                options[key] = str(folder)
        app.conf.broker_transport_options = options
        return app

    def start(self) -> None:
        self.log_file = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "config", "worker",
                "--pool=solo", "--concurrency=1", "--loglevel=INFO",
                "--without-mingle", "--without-gossip", "--without-heartbeat",
                "-Q", self.queue, "-n", f"{self.queue}@%h",
            ],
            cwd=BASE_DIR, env=self.env, stdout=self.log_file, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + WORKER_START_TIMEOUT
        while "ready." not in self.log():
            if self.process.poll() is not None:
                pytest.fail(f"The worker exited with {self.process.returncode}:\n{self.log()}")
            if time.monotonic() > deadline:
                pytest.fail(f"The worker was not ready after {WORKER_START_TIMEOUT} s:\n{self.log()}")
            time.sleep(0.2)

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.log_file.close()

    def forget_queue(self) -> None:
        """Remove the test's queue and its binding from the broker (Redis keeps them otherwise)."""
        with self.producer().connection_for_write() as conn:
            # Declared first so that this connection knows the binding it has to remove.
            queue = Queue(self.queue, Exchange(self.queue), routing_key=self.queue)(conn.default_channel)
            queue.declare()
            queue.delete()
            queue.exchange.delete()


@pytest.fixture
def worker(tmp_path):
    worker = Worker(tmp_path)
    try:
        worker.start()
        yield worker
    finally:
        worker.stop()
        worker.forget_queue()
        # pytest shows this only when the test fails.
        print(f"--- worker log ---\n{worker.log()}")


def wait_for_result(task_id: str, worker: Worker, timeout: float = TASK_TIMEOUT) -> TaskResult:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = TaskResult.objects.filter(task_id=task_id, status__in=["SUCCESS", "FAILURE"]).first()
        if result is not None:
            return result
        if worker.process.poll() is not None:
            break
        time.sleep(0.25)
    pytest.fail(f"No result for task {task_id} after {timeout} s. Worker log:\n{worker.log()}")


def test_worker_runs_a_job_from_the_broker_and_stores_its_result(worker):
    task_id = worker.producer().send_task("config.celery.ping", args=["hello from the test"], queue=worker.queue).id

    result = wait_for_result(task_id, worker)

    assert result.status == "SUCCESS", worker.log()
    assert result.result == '"hello from the test"'
    assert result.task_name == "config.celery.ping"
