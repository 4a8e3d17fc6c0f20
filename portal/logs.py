"""Structured logs: every line says when, how bad, which logger, and which request or job it
belongs to, and never who the person is beyond their numeric user id.

``RequestIdMiddleware`` gives each request an id (the proxy's ``X-Request-ID`` when it sends a
plausible one, else a new one), returns it in the ``X-Request-ID`` response header and logs one
line per request (method, path without its query string, status, duration). ``ContextFilter``
puts ``request_id``, ``user_id`` and, in the Celery worker, ``task_id`` on every record, whatever
logger wrote it. ``logging_config`` builds ``LOGGING``: JSON lines (python-json-logger) in
production or with ``LOG_FORMAT=json``, one readable line otherwise; both go to stdout.

No personal data: no username, name, email or client address is logged by the portal; the
query string is left out (searches can hold names); Django's request object and Celery's task
arguments are kept off the line; axes masks the username and address it logs
(``AXES_SENSITIVE_PARAMETERS``, its default).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.utils.functional import SimpleLazyObject, empty

REQUEST_ID_HEADER = "X-Request-ID"
# What an incoming X-Request-ID may be (nginx's $request_id is 32 hex digits; a UUID has dashes).
_ACCEPTED_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

_request = ContextVar("portal_request", default=None)
_request_id = ContextVar("portal_request_id", default=None)

request_logger = logging.getLogger("portal.request")

# Attributes of a record never written as fields: the LogRecord's own, and the objects Django
# passes as extra (the request would print its query string, the server time is in "time").
JSON_RESERVED_ATTRS = [
    *logging.LogRecord("", 0, "", 0, "", (), None).__dict__.keys(),
    "message",
    "asctime",
    "request",
    "server_time",
    "taskName",
    # Celery's task lines: the arguments could name a person (a password reset's email address).
    "data",
]


def current_request_id() -> str | None:
    return _request_id.get()


def _user_id(request) -> int | None:
    """The signed-in user's id if this request has already looked the user up; never looks it up
    itself, so that logging costs no query and cannot fail."""
    if request is None:
        return None
    user = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject):
        user = user._wrapped
        if user is empty:
            return None
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.pk


def _task_id() -> str | None:
    from celery import current_task

    if current_task and not current_task.request.called_directly:
        return current_task.request.id
    return None


class ContextFilter(logging.Filter):
    """Adds ``request_id``, ``user_id`` and ``task_id`` (each None when there is none) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = _request.get()
        record.request_id = _request_id.get()
        record.user_id = _user_id(request)
        record.task_id = _task_id()
        return True


class RequestIdMiddleware:
    """First in the list: every later middleware's and the view's log lines carry the request id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _ACCEPTED_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        tokens = (_request.set(request), _request_id.set(request_id))
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            # A load balancer's probe every few seconds would drown the requests people make.
            if not getattr(response, "quiet_request_log", False):
                request_logger.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round((time.monotonic() - started) * 1000),
                    },
                )
            return response
        finally:
            _request.reset(tokens[0])
            _request_id.reset(tokens[1])


TEXT_FORMAT = (
    "%(asctime)s %(levelname)s %(name)s [request=%(request_id)s user=%(user_id)s task=%(task_id)s] %(message)s"
)
JSON_FORMAT = "%(levelname)s %(name)s %(message)s %(request_id)s %(user_id)s %(task_id)s"


def logging_config(*, log_format: str, level: str) -> dict:
    """``LOGGING`` for settings: ``log_format`` "json" or "text"; everything to stdout."""
    if log_format not in ("json", "text"):
        raise ValueError(f"LOG_FORMAT must be json or text, not {log_format!r}")
    formatters = {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FORMAT,
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
            "reserved_attrs": JSON_RESERVED_ATTRS,
        },
        "text": {"format": TEXT_FORMAT},
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "portal.logs.ContextFilter"}},
        "formatters": {log_format: formatters[log_format]},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "filters": ["context"],
                "formatter": log_format,
            }
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            # Django's own console handler would print each of its messages a second time.
            "django": {"handlers": ["stdout"], "level": level, "propagate": False},
            # The one request line is ours (portal.request): no second one from runserver.
            "django.server": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
        },
    }
