"""Settings for the test suite. DATABASE_URL and REDIS_URL, when set, point the suite at
the real PostgreSQL and Redis (as .ci/run does); otherwise it runs on SQLite."""

from .base import *  # noqa: F401,F403
from .base import DATABASES, VAR_DIR, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Jobs run in-process, except in the worker that tests/test_celery_worker.py starts with
# CELERY_EAGER=0 so that it takes them from the real broker.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
AXES_ENABLED = True
# Board reports are kept as HTML only unless a test asks for Chromium (tests/dashboards' `chromium` fixture).
BOARD_REPORT_CHROMIUM = ""

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory, so that a worker started by a test opens the same test database.
    # TEST_SQLITE_NAME lets two runs in one checkout (say, two developers' terminals) not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / env("TEST_SQLITE_NAME", default="test_db.sqlite3"))}
    VAR_DIR.mkdir(parents=True, exist_ok=True)

# Serve static files from the app folders, as in development: tests run no collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
