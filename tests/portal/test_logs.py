"""Structured logs: a JSON line per record with time, level, logger, the request id (also in the
X-Request-ID header), the numeric user id and the Celery task id, and no username, address or
query string."""

import io
import json
import logging

import pytest
from celery import shared_task
from django.urls import reverse

from portal.logs import ContextFilter, logging_config

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """Everything logged during the test, as the production configuration writes it."""
    stream = io.StringIO()
    config = logging_config(log_format="json", level="INFO")
    handler = logging.StreamHandler(stream)
    handler.setFormatter(_formatter(config))
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(old_level)


def _formatter(config):
    from pythonjsonlogger.json import JsonFormatter

    options = {k: v for k, v in config["formatters"]["json"].items() if k != "()"}
    return JsonFormatter(**options)


def request_lines(lines):
    return [line for line in lines if line["logger"] == "portal.request"]


def test_a_signed_in_request_logs_a_json_line_with_its_request_id_and_user_id_and_no_username(
    client, alice, json_lines
):
    alice.email = "alice.smith@nhs.net"
    alice.save()
    client.force_login(alice)

    response = client.get(reverse("api:token") + "?q=Alice+Smith", REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 200
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    [line] = request_lines(json_lines())
    assert line["request_id"] == request_id
    assert line["user_id"] == alice.pk
    assert line["level"] == "INFO"
    assert line["time"].endswith("+00:00")
    assert (line["method"], line["path"], line["status"]) == ("GET", reverse("api:token"), 200)
    text = json.dumps(line).lower()
    for personal in ("alice", "smith", "nhs.net", "203.0.113.9"):
        assert personal not in text


def test_every_line_of_a_request_carries_its_request_id(client, json_lines):
    response = client.post(reverse("login"), {"username": "nobody", "password": "wrong password"})

    lines = json_lines()
    assert len(lines) >= 2  # axes' lines about the failed sign-in, and the request's own
    assert {line["request_id"] for line in lines} == {response["X-Request-ID"]}
    assert all(line["user_id"] is None for line in lines)
    assert "nobody" not in json.dumps(lines)


def test_a_plausible_request_id_from_the_proxy_is_kept_and_anything_else_replaced(client):
    kept = client.get(reverse("login"), HTTP_X_REQUEST_ID="0f1e2d3c4b5a69788796a5b4c3d2e1f0")
    replaced = client.get(reverse("login"), HTTP_X_REQUEST_ID="<script>alert(1)</script>")

    assert kept["X-Request-ID"] == "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    assert replaced["X-Request-ID"] != "<script>alert(1)</script>" and len(replaced["X-Request-ID"]) == 32


@shared_task(name="tests.portal.test_logs.log_a_line")
def log_a_line():
    logging.getLogger("portal.test").info("inside the job")


def test_a_line_logged_by_a_job_carries_its_task_id(json_lines):
    result = log_a_line.apply()

    [line] = [line for line in json_lines() if line["logger"] == "portal.test"]
    assert line["task_id"] == result.id
    assert line["request_id"] is None


def test_text_is_the_default_and_json_is_chosen_by_name():
    assert "json" in logging_config(log_format="json", level="INFO")["formatters"]
    assert "text" in logging_config(log_format="text", level="INFO")["formatters"]
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        logging_config(log_format="xml", level="INFO")


def test_production_logs_json_lines_unless_told_otherwise():
    from tests.test_settings_production import run_with_production_settings

    show = ["-c", "from django.conf import settings; print(*settings.LOGGING['formatters'])"]

    assert run_with_production_settings(show).stdout.strip() == "json"
    assert run_with_production_settings(show, LOG_FORMAT="text").stdout.strip() == "text"
