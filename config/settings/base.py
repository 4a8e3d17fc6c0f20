"""Settings shared by every environment. Each value can come from the environment;
the defaults here let a new user run the portal with no server but itself."""

import datetime as dt
import ipaddress
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from portal.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# DJANGO_ENV_FILE lets a test or a container choose another file (or none: a missing file is skipped).
environ.Env.read_env(env.str("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="insecure-local-only-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "django_filters",
    "django_tables2",
    "import_export",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "django_htmx",
    "django_celery_beat",
    "django_celery_results",
    "portal",
    "practices",
    "commissioning",
    "returns",
    "workforce",
    "estates",
    "access",
    "accounts",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "metrics",
    "api",
    "quality",
    "dashboards",
    "demo",
]

MIDDLEWARE = [
    # First: every later line of the request carries its id (X-Request-ID).
    "portal.logs.RequestIdMiddleware",
    # /health/ answers here, before sessions, CSRF, sign-in, axes and the HTTPS redirect.
    "portal.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.SessionRefreshMiddleware",
    "portal.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must be last: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "practices.context_processors.roles",
            ],
        },
    },
]

# An empty DATABASE_URL counts as unset (production.py then refuses to start).
DATABASES = {
    "default": env.db_url_config(env("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer at a time. WAL lets anyone read while it writes. A transaction that
    # will write begins IMMEDIATE: it takes the write lock at BEGIN, where the busy timeout waits
    # for it, rather than at its first write after reading, where SQLite refuses at once ("database
    # is locked": every sign-in did that under five people). IMMEDIATE for every request would make
    # the pages queue behind each other and behind the worker too, so portal.sqlite3 begins the
    # transactions of GET, HEAD and OPTIONS requests DEFERRED (they read in parallel; none writes
    # before its response, and the session's save after it writes first). A recompute writes its
    # values in one short swap (metrics.storage); the session is saved once a minute at most
    # (portal.middleware.SessionRefreshMiddleware). The timeout is the longest wait for the lock.
    DATABASES["default"]["ENGINE"] = "portal.sqlite3"
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    # Right after the request id, before anything that may open a transaction.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("portal.logs.RequestIdMiddleware") + 1, "portal.middleware.DeferredReadsMiddleware"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "practices.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "practices:home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 minutes without a request, and with the browser. A signed-in session is
# saved (its end pushed back) at most once a SESSION_REFRESH_SECONDS, not on every request, which
# would make every page a write (portal.middleware.SessionRefreshMiddleware): a sign-in ends
# between SESSION_COOKIE_AGE less a minute and SESSION_COOKIE_AGE after the last request.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"


# The reverse proxies in front of the portal, as addresses or networks (CIDR). Only from these is
# X-Forwarded-For believed; empty or "none": the connecting address is the client
# (accounts.client_address). A value that is no address or network stops the start.
def trusted_proxies(values: list[str]) -> list[str]:
    proxies = [value.strip() for value in values if value.strip() and value.strip().lower() != "none"]
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise ImproperlyConfigured(f"TRUSTED_PROXIES: {proxy!r} is not an IP address or network.") from None
    return proxies


TRUSTED_PROXIES = trusted_proxies(env.list("TRUSTED_PROXIES", default=[]))

# Failed sign-ins lock out for AXES_COOLOFF_TIME: a username from one address after
# AXES_FAILURE_LIMIT, a username from any addresses after SIGN_IN_FAILURE_LIMIT_PER_USERNAME (more,
# so one address cannot lock a person out), an address after SIGN_IN_FAILURE_LIMIT_PER_ADDRESS
# whatever the usernames (more again: many people share one NHS network). See accounts.lockout.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
SIGN_IN_FAILURE_LIMIT_PER_USERNAME = env.int("SIGN_IN_FAILURE_LIMIT_PER_USERNAME", default=10)
SIGN_IN_FAILURE_LIMIT_PER_ADDRESS = env.int("SIGN_IN_FAILURE_LIMIT_PER_ADDRESS", default=20)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("SIGN_IN_LOCKOUT_MINUTES", default=15))
SIGN_IN_FAILURE_LIMITS = {
    ("username", "ip_address"): AXES_FAILURE_LIMIT,
    ("username",): SIGN_IN_FAILURE_LIMIT_PER_USERNAME,
    ("ip_address",): SIGN_IN_FAILURE_LIMIT_PER_ADDRESS,
}
AXES_LOCKOUT_PARAMETERS = [list(rule) if len(rule) > 1 else rule[0] for rule in SIGN_IN_FAILURE_LIMITS]
AXES_HANDLER = "accounts.lockout.SignInLockoutHandler"
AXES_CLIENT_IP_CALLABLE = "accounts.client_address.address_for_limits"
# Failures during a lock-out do not extend it, so a lock-out ends on time.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"

# Password reset emails: at most so many an hour to one email address and from one client address.
PASSWORD_RESET_LIMIT_PER_EMAIL = env.int("PASSWORD_RESET_LIMIT_PER_EMAIL", default=3)
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_LIMIT_PER_ADDRESS", default=10)

# API tokens (django-rest-knox) are stored as hashes and expire; the API token page issues them.
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(days=env.int("API_TOKEN_DAYS", default=90)),
    "AUTO_REFRESH": False,
}
# The OpenAPI schema at /api/schema/ (drf-spectacular); the default lets @extend_schema document views.
REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # plotly.js sets inline styles on the SVG it draws.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "config.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
# Uploads are kept small; larger files are refused before they are read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Forms and tables in the NHS.UK frontend style: the crispy pack in templates/nhsuk/ and the
# django-tables2 template templates/portal/_table.html (docs/frontend.md).
CRISPY_ALLOWED_TEMPLATE_PACKS = ("nhsuk",)
CRISPY_TEMPLATE_PACK = "nhsuk"
DJANGO_TABLES2_TEMPLATE = "portal/_table.html"

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="portal@localhost")
# The portal's own address, for links in emails (reminders, digests).
PORTAL_URL = env("PORTAL_URL", default="http://127.0.0.1:8000")

# The worker prints each board report to PDF with this Chromium (Debian's package); when it is
# missing the report is kept as HTML only and says why. Empty: no PDFs.
BOARD_REPORT_CHROMIUM = env("BOARD_REPORT_CHROMIUM", default="/usr/bin/chromium")

# Celery. REDIS_URL selects Redis; with none, kombu's filesystem transport needs no server
# and a real worker still runs the jobs, as in production.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_DIR = Path(env("CELERY_BROKER_DIR", default=str(VAR_DIR / "celery")))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "out"),
        "data_folder_out": str(CELERY_BROKER_DIR / "out"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        # kombu's default is "control" in the current directory: keep it beside the others.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
# The cache every process shares (web, worker and beat): the outbox's debounce (portal.outbox)
# and anything else all of them must see. Redis when REDIS_URL is set, in its next database
# (redis://host:6379/0 gives /1), so that clearing the cache never touches the broker's queues;
# otherwise a table in the database (`manage.py createcachetable`, which `make migrate` runs and
# Django's test database creation runs too). A per-process memory cache would let each process
# decide the debounce alone.
if REDIS_URL:
    _redis = urlsplit(REDIS_URL)
    _cache_db = int((_redis.path or "/0").strip("/") or 0) + 1
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": urlunsplit(_redis._replace(path=f"/{_cache_db}")),
            "KEY_PREFIX": "portal",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_cache"}}
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_TASK_TRACK_STARTED = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Metric and import jobs read whole files or whole CCGs: a minute is too short.
CELERY_TASK_SOFT_TIME_LIMIT = 15 * 60
CELERY_TASK_TIME_LIMIT = 16 * 60
# The worker waits for a broker that is down, at start and later, for as long as it takes:
# jobs saved meanwhile wait in the outbox (portal.outbox), republished every 30 seconds.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# When a worker dies under a job. Its pool process killed (out of memory, SIGKILL): the job's
# message goes back to the queue rather than being failed, and the job's row is taken over when
# it comes again (portal.jobs.job_claim). The whole worker killed: Redis hands an unacknowledged
# message out again after the visibility timeout, which must be longer than the longest job
# (the metrics recompute's hard limit, 31 minutes, metrics.tasks.RECOMPUTE_TIME_LIMIT) or a job
# still running would be started a second time; 45 minutes fits it with a margin, and is
# shorter than kombu's default hour. The sweeper (portal.jobs.jobs_sweep) finds the rows of such
# jobs sooner, once their heartbeat is older than their own time limit. The filesystem broker
# keeps no unacknowledged messages, so has no such option: there the sweeper alone finds them.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_VISIBILITY_TIMEOUT_SECONDS = 45 * 60
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = CELERY_VISIBILITY_TIMEOUT_SECONDS

CELERY_BEAT_SCHEDULE: dict = {
    # Finds jobs whose worker died (a run still "running" long after its time limit): queued once more, or failed.
    "portal-sweep-stale-jobs": {
        "task": "portal.tasks.sweep_stale_jobs",
        "schedule": 5 * 60,
    },
    "portal-republish-outbox": {
        "task": "portal.tasks.republish_outbox",
        "schedule": 30.0,
    },
    "metrics-nightly-recompute": {
        "task": "metrics.tasks.recompute_all_metrics",
        "schedule": crontab(hour=2, minute=0),
    },
    # Scores every open practice for the vulnerable practice register; a rerun the same day replaces that day's rows.
    "quality-compute-vulnerability-scores": {
        "task": "quality.tasks.compute_vulnerability_scores",
        "schedule": crontab(hour=3, minute=15),
    },
    # Emails commissioners about contract decisions whose review falls due; each review is reminded once.
    "quality-send-contract-review-reminders": {
        "task": "quality.tasks.send_contract_review_reminders",
        "schedule": crontab(hour=7, minute=15),
    },
    # Emails practices whose returns are due soon or overdue; a second run sends nothing twice.
    "returns-send-reminders": {
        "task": "returns.tasks.send_return_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Recomputes the stored premises capacity of every CCG: list sizes arrive by imports that
    # queue no refresh. Safe to run twice: each run replaces the rows.
    "estates-refresh-capacity": {
        "task": "estates.tasks.refresh_all_capacity",
        "schedule": crontab(hour=2, minute=30),
    },
    # Deletes expired sessions (Django never does by itself), their sign-in records and password
    # reset requests past their hour. Safe to run twice.
    "accounts-purge-expired-sessions": {
        "task": "accounts.tasks.purge_expired_sessions",
        "schedule": crontab(hour=3, minute=45),
    },
    # Emails each commissioner what got worse in their CCG last month; sent once per person per month.
    "dashboards-monthly-digest": {
        "task": "dashboards.tasks.send_monthly_digests",
        "schedule": crontab(day_of_month=1, hour=7, minute=30),
    },
}

# Logs: one line per record on stdout with time, level, logger, request id, user id (the number
# only) and the Celery task id (portal.logs). LOG_FORMAT "json" writes JSON lines, as production
# does by default; "text" (the default here) one readable line.
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)
