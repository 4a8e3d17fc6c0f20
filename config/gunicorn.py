"""gunicorn's settings (``gunicorn -c config/gunicorn.py config.wsgi``): its own lines (workers
starting, stopping, timing out) in the portal's log format on stdout, and no access log: the
portal logs one line per request itself (``portal.request``), without the client's address,
browser or query string, which gunicorn's access log would keep."""

import os

from portal.logs import logging_config

bind = "0.0.0.0:8000"
timeout = 60
# WEB_CONCURRENCY (gunicorn reads it itself) sets the number of worker processes.

logconfig_dict = logging_config(
    log_format=os.environ.get("LOG_FORMAT", "json"), level=os.environ.get("LOG_LEVEL", "INFO")
)
logconfig_dict["loggers"].update(
    {
        "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
    }
)
