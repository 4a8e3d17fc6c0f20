# The portal's image: web (gunicorn), Celery worker and beat all run from it; see docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    DJANGO_ENV_FILE=/dev/null

WORKDIR /app
RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --home-dir /app --shell /usr/sbin/nologin portal

# The worker prints board reports to PDF with Debian's Chromium, driven by Playwright
# (BOARD_REPORT_CHROMIUM, /usr/bin/chromium); `playwright install` is not used. It keeps its
# sandbox when the container allows user namespaces, else prints with --no-sandbox and logs why
# (dashboards/pdf.py chromium_sandbox).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=portal:portal . .

# Static files are collected into the image. The settings need their secrets to load, so
# the build passes throwaway ones that exist only for this command.
RUN SECRET_KEY=build-only-not-a-secret-collectstatic-needs-a-long-key-0123456789 \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    REDIS_URL=redis://build-only:6379/0 \
    TRUSTED_PROXIES=none \
    PORTAL_URL=https://build-only.invalid \
    python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p var/media var/celery \
    && chown -R portal:portal var

USER portal
EXPOSE 8000
# WEB_CONCURRENCY (gunicorn reads it) sets the number of worker processes; config/gunicorn.py the rest.
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
