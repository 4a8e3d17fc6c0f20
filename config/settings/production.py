"""Production settings: refuse to start without the secrets, and pass check --deploy."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from portal.logs import logging_config

from .base import *  # noqa: F401,F403
from .base import DATABASES, LOG_LEVEL, env


def _required(name: str) -> str:
    value = env(name, default="")
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable for production.")
    return value


DEBUG = False
SECRET_KEY = _required("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("insecure"):
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters in production.")
ALLOWED_HOSTS = [h.strip() for h in _required("ALLOWED_HOSTS").split(",") if h.strip()]
_required("DATABASE_URL")
DATABASES["default"] = env.db("DATABASE_URL")
# Web, worker and beat run in separate containers: only a real broker joins them.
CELERY_BROKER_URL = REDIS_URL = _required("REDIS_URL")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Behind the TLS proxy every connection comes from the proxy: without its address the lock-outs
# would count all clients as one (one person's typos would lock everyone out), so it must be said:
# "none" when clients reach gunicorn directly. base.py reads and checks the value.
_required("TRUSTED_PROXIES")

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_NAME = "__Host-csrftoken"
# Links in emails and in board report PDFs are built on it; a guess from ALLOWED_HOSTS would
# send people to a name the proxy may not answer, so it must be said.
PORTAL_URL = _required("PORTAL_URL").rstrip("/")
if urlsplit(PORTAL_URL).scheme not in ("http", "https") or not urlsplit(PORTAL_URL).netloc:
    raise ImproperlyConfigured("PORTAL_URL must be the portal's address, such as https://portal.example.nhs.uk.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[f"https://{h}" for h in ALLOWED_HOSTS])
# EMAIL_URL (smtp://user:password@host:587, or smtp+tls://...) sets EMAIL_HOST, EMAIL_PORT and
# the rest; EMAIL_BACKEND, if given, wins over the backend the URL implies.
EMAIL_URL = env.email_url("EMAIL_URL", default="smtp://localhost:25")
vars().update(EMAIL_URL)
EMAIL_BACKEND = env(
    "EMAIL_BACKEND", default=EMAIL_URL.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
)

# JSON lines for the log collector unless LOG_FORMAT says otherwise.
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)
