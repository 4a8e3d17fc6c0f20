"""Chromium's sandbox for board report PDFs: kept wherever the OS allows it, given up only as
root or without user namespaces, and the printed page placed at PORTAL_URL."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile

import pytest

from dashboards import pdf


@pytest.fixture(autouse=True)
def fresh_probe():
    probe = pdf.user_namespaces_available
    probe.cache_clear()
    yield
    probe.cache_clear()


def test_an_unprivileged_worker_with_user_namespaces_keeps_the_sandbox():
    assert pdf.chromium_sandbox(euid=10001, user_namespaces=True) == pdf.Sandbox(True, "")


def test_a_worker_running_as_root_prints_without_the_sandbox_and_says_why():
    sandbox = pdf.chromium_sandbox(euid=0, user_namespaces=True)
    assert not sandbox.used
    assert "root" in sandbox.reason


def test_a_worker_without_user_namespaces_prints_without_the_sandbox_and_says_why():
    sandbox = pdf.chromium_sandbox(euid=10001, user_namespaces=False)
    assert not sandbox.used
    assert "user namespaces" in sandbox.reason


@pytest.mark.parametrize(
    ("euid", "user_namespaces", "no_sandbox"), [(10001, True, False), (10001, False, True), (0, True, True)]
)
def test_no_sandbox_is_asked_for_only_when_the_sandbox_cannot_be_had(
    monkeypatch, caplog, euid, user_namespaces, no_sandbox
):
    monkeypatch.setattr(pdf.os, "geteuid", lambda: euid)
    monkeypatch.setattr(pdf, "user_namespaces_available", lambda: user_namespaces)
    pdf._warn_once.cache_clear()
    args = pdf.chromium_args()
    assert ("--no-sandbox" in args) is no_sandbox
    assert args[: len(pdf.CHROMIUM_ARGS)] == pdf.CHROMIUM_ARGS
    assert ("without Chromium's sandbox" in caplog.text) is no_sandbox


def test_the_probe_answers_no_where_it_cannot_run(monkeypatch):
    def refused(*args, **kwargs):
        raise OSError("no such interpreter")

    monkeypatch.setattr(pdf.subprocess, "run", refused)
    assert pdf.user_namespaces_available() is False


def test_the_probe_answers_no_off_linux(monkeypatch):
    monkeypatch.setattr(pdf.sys, "platform", "darwin")
    assert pdf.user_namespaces_available() is False


def as_nobody(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command],  # noqa: S607
        capture_output=True,
        timeout=90,
        **kwargs,
    )


@pytest.mark.chromium
@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root to become nobody")
def test_where_the_probe_finds_user_namespaces_chromium_starts_with_its_sandbox():
    """The probe and Chromium agree, for an unprivileged user on this machine."""
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    profile = tempfile.mkdtemp(prefix="sandbox-probe-")  # pytest's tmp_path is root's alone
    os.chmod(profile, 0o777)  # noqa: S103 (nobody writes its profile here)
    probe = as_nobody([sys.executable, "-c", pdf._PROBE])
    started = as_nobody(
        [chromium, *pdf.CHROMIUM_ARGS, f"--user-data-dir={profile}", "--dump-dom", "data:text/html,<p>Sandboxed</p>"],
        env={**os.environ, "HOME": profile},
    )
    shutil.rmtree(profile, ignore_errors=True)
    assert (probe.returncode == 0) == (b"<p>Sandboxed</p>" in started.stdout), started.stderr[-2000:]


def test_the_printed_page_says_it_is_at_the_portals_address(settings):
    settings.PORTAL_URL = "https://portal.example.nhs.uk/"
    assert pdf.report_origin() == "https://portal.example.nhs.uk"
