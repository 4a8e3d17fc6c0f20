"""A real Celery worker, started as a subprocess, takes jobs from the real broker and
writes their outcome to the test database: a ping, and the national list-size import
(``practices.tasks.import_reference_file``) run twice and on a missing file.

The broker is the one the settings choose: Redis when REDIS_URL is set (CI), otherwise
kombu's filesystem transport, here in a temporary folder. Each test uses a queue of its
own, so a worker left running elsewhere against the same Redis cannot take its job.
"""

from __future__ import annotations

import datetime as dt
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

from practices.models import ListSize, ReferenceImport
from practices.services import reference_import_create

# The worker only sees what the test has committed, hence transactional tests.
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
        # One process that runs the job itself; a test may ask for a pool (``--pool=prefork``).
        self.pool_args = ["--pool=solo", "--concurrency=1"]
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
                *self.pool_args, "--loglevel=INFO",
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


@pytest.fixture(scope="module")
def worker(django_db_setup, tmp_path_factory):
    """One worker for this module's tests, on the test database that django_db_setup made."""
    worker = Worker(tmp_path_factory.mktemp("worker"))
    try:
        worker.start()
        yield worker
    finally:
        worker.stop()
        worker.forget_queue()


@pytest.fixture
def worker_log_on_failure(worker):
    yield
    # pytest shows what a test printed only when it fails.
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


def test_worker_runs_a_job_from_the_broker_and_stores_its_result(worker, worker_log_on_failure):
    task_id = worker.producer().send_task("config.celery.ping", args=["hello from the test"], queue=worker.queue).id

    result = wait_for_result(task_id, worker)

    assert result.status == "SUCCESS", worker.log()
    assert result.result == '"hello from the test"'
    assert result.task_name == "config.celery.ping"


def run_on_worker(worker: Worker, task_name: str, *args) -> TaskResult:
    task_id = worker.producer().send_task(task_name, args=list(args), queue=worker.queue).id
    return wait_for_result(task_id, worker)


def list_size_file(path: Path, rows: list[tuple[str, str, int]]) -> Path:
    lines = ["PUBLICATION,EXTRACT_DATE,TYPE,CCG_CODE,ONS_CCG_CODE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS"]
    lines += [f"GP_PRAC_PAT_LIST,01JAN2021,GP,{ccg},E38000000,{code},LU1 3UA,ALL,ALL,{n}" for ccg, code, n in rows]
    path.write_text("\r\n".join(lines) + "\r\n")
    return path


def test_worker_imports_list_sizes_and_running_the_job_or_the_file_again_changes_nothing(
    worker, worker_log_on_failure, tmp_path, luton_practice, wolverhampton_practice
):
    csv = list_size_file(tmp_path / "gp-reg-pat-prac-all.csv", [("06P", "E81001", 9876), ("06A", "M92001", 7123)])
    run = reference_import_create(dataset=ReferenceImport.Dataset.LIST_SIZES, path=csv)

    result = run_on_worker(worker, "practices.tasks.import_reference_file", run.pk)

    assert result.status == "SUCCESS", result.traceback
    run.refresh_from_db()
    assert run.status == ReferenceImport.Status.DONE, run.error
    assert (run.created, run.rejected) == (2, 0)
    january = ListSize.objects.totals().filter(extract_date=dt.date(2021, 1, 1))
    assert dict(january.values_list("practice__ods_code", "patients")) == {"E81001": 9876, "M92001": 7123}

    # The same job again: the run is finished, so nothing is imported twice.
    again = run_on_worker(worker, "practices.tasks.import_reference_file", run.pk)
    assert again.status == "SUCCESS", again.traceback
    assert again.result == '"done"'
    run.refresh_from_db()
    assert (run.created, run.updated) == (2, 0)

    # The same file in a new run: every figure is already there.
    second = reference_import_create(dataset=ReferenceImport.Dataset.LIST_SIZES, path=csv)
    run_on_worker(worker, "practices.tasks.import_reference_file", second.pk)
    second.refresh_from_db()
    assert second.status == ReferenceImport.Status.DONE, second.error
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert january.count() == 2


def test_worker_fails_a_run_whose_file_is_missing_and_says_why(worker, worker_log_on_failure, tmp_path):
    run = reference_import_create(dataset=ReferenceImport.Dataset.LIST_SIZES, path=tmp_path / "gone.csv")

    result = run_on_worker(worker, "practices.tasks.import_reference_file", run.pk)

    assert result.status == "SUCCESS", result.traceback
    run.refresh_from_db()
    assert run.status == ReferenceImport.Status.FAILED
    assert "gone.csv" in run.error
    assert not ListSize.objects.exists()
