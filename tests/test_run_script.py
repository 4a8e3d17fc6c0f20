"""``scripts/run.sh`` (``make run``): a Celery worker or beat that exits is started again, after
a pause that grows, with the restart logged; stopping the script stops what it runs.

The script's ``supervise`` function is run with a fake worker: a real one would take seconds
to start.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

BASH = shutil.which("bash") or "/bin/bash"
SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "run.sh"


def supervise(tmp_path: Path, command: str) -> subprocess.Popen:
    return subprocess.Popen(
        [BASH, "-c", f'source "{SCRIPT}"; supervise worker "{tmp_path}/worker.log" bash -c {command!r}'],
        env={**os.environ, "RESTART_DELAY": "1", "RESTART_MAX_DELAY": "2"},
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_for(condition, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_worker_that_exits_is_started_again_and_each_restart_is_logged(tmp_path):
    starts = tmp_path / "starts"
    supervisor = supervise(tmp_path, f"echo started >> {starts}; exit 3")
    try:
        assert wait_for(lambda: starts.exists() and len(starts.read_text().split()) >= 3)
    finally:
        os.killpg(supervisor.pid, signal.SIGTERM)
        _, stderr = supervisor.communicate(timeout=10)
    log = (tmp_path / "worker.log").read_text()
    assert "The Celery worker exited (status 3); starting it again in 1 s." in log
    assert "starting it again in 2 s." in log  # the pause grew
    assert "exited (status 3)" in stderr


def test_stopping_the_supervisor_stops_the_worker_and_no_new_one_starts(tmp_path):
    pid_file = tmp_path / "pid"
    supervisor = supervise(tmp_path, f"echo $$ >> {pid_file}; exec sleep 60")
    assert wait_for(lambda: pid_file.exists() and pid_file.read_text().strip())
    worker_pid = int(pid_file.read_text().split()[0])

    supervisor.send_signal(signal.SIGTERM)  # what run.sh sends when Ctrl-C stops the web server
    supervisor.wait(timeout=10)

    assert wait_for(lambda: not Path(f"/proc/{worker_pid}").exists(), timeout=5), "the worker was left running"
    time.sleep(1.5)
    assert len(pid_file.read_text().split()) == 1
