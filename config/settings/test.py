"""Settings for the test suite. DATABASE_URL and REDIS_URL, when set, point the suite at
the real PostgreSQL and Redis (as .ci/run does); otherwise it runs on SQLite."""

from .base import *  # noqa: F401,F403
from .base import DATABASES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Jobs run in-process unless a test starts a real worker (tests/test_celery_worker.py).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
AXES_ENABLED = True
DATABASES["default"].pop("OPTIONS", None) if DATABASES["default"]["ENGINE"].endswith("sqlite3") else None
