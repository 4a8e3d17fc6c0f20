"""The Celery application for the portal.

The broker comes from ``CELERY_BROKER_URL`` in settings: Redis in production and CI,
kombu's filesystem transport by default so that a new user needs no server.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
