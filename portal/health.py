"""``/health/`` for the load balancer and the containers' health checks: can this web process
reach the database and the broker?

It answers ``200 {"database": "ok", "broker": "ok"}``, or ``503`` with ``"unavailable"`` beside
what failed, and nothing else (no host, no error text). ``HealthCheckMiddleware`` answers it
before any other middleware (second only to the request id): no session, no CSRF, no sign-in,
no axes, no HTTPS redirect, no ``ALLOWED_HOSTS`` (a probe may ask for the container's own
address), no transaction around it. Each check has a short timeout. A failure is logged once,
when the state changes, not on every probe.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import HttpResponseNotAllowed, JsonResponse

HEALTH_PATH = "/health/"
BROKER_TIMEOUT_SECONDS = 2

logger = logging.getLogger(__name__)
_last_failed: set[str] = set()


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_broker() -> None:
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem:"):
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            folder = Path(options[key])
            if not (folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)):
                raise OSError(f"broker folder {key} is missing or not writable")
    elif url.startswith(("redis://", "rediss://", "unix://")):
        import redis

        client = redis.Redis.from_url(
            url, socket_connect_timeout=BROKER_TIMEOUT_SECONDS, socket_timeout=BROKER_TIMEOUT_SECONDS
        )
        try:
            client.ping()
        finally:
            client.close()
    else:
        from celery import current_app

        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)


CHECKS = {"database": check_database, "broker": check_broker}


def health_status() -> tuple[dict[str, str], set[str]]:
    status, failed = {}, set()
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # any failure of a dependency is a failed check, not a 500
            failed.add(name)
            status[name] = "unavailable"
            if name not in _last_failed:
                logger.warning("Health check: %s unavailable (%s: %s)", name, type(error).__name__, error)
        else:
            status[name] = "ok"
            if name in _last_failed:
                logger.info("Health check: %s available again", name)
    _last_failed.clear()
    _last_failed.update(failed)
    return status, failed


def health(request) -> JsonResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    status, failed = health_status()
    response = JsonResponse(status, status=503 if failed else 200)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"  # SecurityMiddleware, which would add it, comes later
    # Django would log every 503 probe as an error, and our request line every probe.
    response._has_been_logged = True
    response.quiet_request_log = True
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH_PATH:
            return health(request)
        return self.get_response(request)
