"""/health/ answers 200 when the database and the broker answer, 503 naming what failed,
without signing in, a session, a redirect or a word about hosts."""

import json
import logging
import socket

import pytest
from django.db import OperationalError, connection

from portal import health

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget_last_state():
    health._last_failed.clear()
    yield
    health._last_failed.clear()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_health_answers_ok_when_the_database_and_the_broker_answer(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert json.loads(response.content) == {"database": "ok", "broker": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response
    assert response.cookies == {}


def test_health_answers_503_naming_the_broker_when_redis_is_unreachable(client, settings):
    port = closed_port()
    settings.CELERY_BROKER_URL = f"redis://:s3cret@127.0.0.1:{port}/0"

    response = client.get("/health/")

    assert response.status_code == 503
    assert json.loads(response.content) == {"database": "ok", "broker": "unavailable"}
    body = response.content.decode()
    assert "127.0.0.1" not in body and str(port) not in body and "s3cret" not in body


def test_health_answers_503_when_a_filesystem_broker_folder_is_missing(client, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        key: str(tmp_path / key) for key in ("data_folder_in", "data_folder_out", "processed_folder")
    } | {"control_folder": str(tmp_path / "gone")}
    for key in ("data_folder_in", "data_folder_out", "processed_folder"):
        (tmp_path / key).mkdir()

    response = client.get("/health/")

    assert response.status_code == 503
    assert json.loads(response.content)["broker"] == "unavailable"


def test_health_answers_503_naming_the_database_when_it_fails(client, monkeypatch):
    def no_database(*args, **kwargs):
        raise OperationalError("could not connect to server at db.internal:5432")

    monkeypatch.setattr(connection, "cursor", no_database)

    response = client.get("/health/")

    assert response.status_code == 503
    assert json.loads(response.content) == {"database": "unavailable", "broker": "ok"}
    assert b"db.internal" not in response.content


def test_health_needs_no_allowed_host_and_no_https_behind_production_settings(client, settings):
    settings.ALLOWED_HOSTS = ["portal.example.nhs.uk"]
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/health/", HTTP_HOST="10.1.2.3:8000")

    assert response.status_code == 200
    # The sign-in page, asked for the same way, is refused: only /health/ is exempt.
    assert client.get("/accounts/login/", HTTP_HOST="10.1.2.3:8000").status_code == 400


def test_health_refuses_a_post(client):
    assert client.post("/health/").status_code == 405


def test_an_outage_is_logged_once_not_on_every_probe(client, settings, caplog):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"

    with caplog.at_level(logging.INFO):
        for _ in range(3):
            assert client.get("/health/").status_code == 503

    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [(r.name, r.getMessage().split(" (")[0]) for r in warnings] == [
        ("portal.health", "Health check: broker unavailable")
    ]
    assert not [r for r in caplog.records if r.name == "portal.request"]
