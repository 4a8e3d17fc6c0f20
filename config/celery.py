"""The Celery application for the portal.

The broker comes from ``CELERY_BROKER_URL`` in settings: Redis in production and CI,
kombu's filesystem transport by default so that a new user needs no server.
"""

import os
from pathlib import Path

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

FILESYSTEM_FOLDER_OPTIONS = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")


def make_broker_folders(conf) -> None:
    """Create the filesystem broker's folders: kombu writes into them but never creates them."""
    if not str(conf.broker_url or "").startswith("filesystem:"):
        return
    options = conf.broker_transport_options or {}
    for key in FILESYSTEM_FOLDER_OPTIONS:
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@signals.setup_logging.connect
def _log_as_the_web_does(**kwargs):
    # With a receiver here, Celery leaves the root logger alone: the worker and beat write
    # settings.LOGGING's lines (JSON in production), each with the task id (portal.logs).
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


@app.on_after_configure.connect
def _on_after_configure(sender, **kwargs):
    # Both sides need them: the web process publishes into the folder, the worker reads it.
    make_broker_folders(sender.conf)


@app.task(name="config.celery.ping", ignore_result=False)
def ping(message: str = "pong") -> str:
    """Answer with ``message``. The worker stores the answer in django-celery-results'
    TaskResult table, so a caller can see that a real worker ran it."""
    return message
