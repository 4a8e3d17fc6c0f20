"""The production settings refuse to start without their secrets, and pass Django's
deployment checks when they have them. Each case imports the settings in a subprocess
with an environment the test controls (no .env file is read)."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

VALID_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "portal.example.nhs.uk",
    "DATABASE_URL": "postgres://portal:secret@db:5432/portal",
    "REDIS_URL": "redis://redis:6379/0",
    "EMAIL_URL": "smtp://mail.example.nhs.uk:587",
    "TRUSTED_PROXIES": "172.16.0.0/12",
    "PORTAL_URL": "https://portal.example.nhs.uk",
}


def run_with_production_settings(args: list[str], **overrides: str | None) -> subprocess.CompletedProcess:
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_ENV_FILE=os.devnull)
    env.update(VALID_ENV)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False
    )


LOAD_SETTINGS = ["-c", "from django.conf import settings; print(settings.DEBUG, settings.ALLOWED_HOSTS)"]


REQUIRED = ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "TRUSTED_PROXIES", "PORTAL_URL"]


@pytest.mark.parametrize("missing", REQUIRED)
def test_production_refuses_to_start_without_each_secret(missing):
    result = run_with_production_settings(LOAD_SETTINGS, **{missing: None})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"Set the {missing} environment variable" in result.stderr


@pytest.mark.parametrize("missing", REQUIRED)
def test_production_refuses_an_empty_secret(missing):
    result = run_with_production_settings(LOAD_SETTINGS, **{missing: ""})

    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


@pytest.mark.parametrize("key", ["short-key", "insecure-" + "x" * 60])
def test_production_refuses_a_weak_secret_key(key):
    result = run_with_production_settings(LOAD_SETTINGS, SECRET_KEY=key)

    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 random characters" in result.stderr


def test_production_starts_with_its_secrets_and_debug_off():
    result = run_with_production_settings(LOAD_SETTINGS, DEBUG="true")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ['portal.example.nhs.uk']"


def test_production_passes_the_deployment_checks_without_a_warning():
    result = run_with_production_settings(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


SIGN_IN_SETTINGS = [
    "-c",
    "from django.conf import settings as s; "
    "print(s.TRUSTED_PROXIES, s.AXES_CLIENT_IP_CALLABLE, s.AXES_HANDLER, s.AXES_LOCKOUT_PARAMETERS, "
    "'portal.middleware.NoStoreMiddleware' in s.MIDDLEWARE, 'knox' in s.INSTALLED_APPS, "
    "'rest_framework.authtoken' in s.INSTALLED_APPS, sep='|')",
]


def test_production_takes_the_client_address_from_its_trusted_proxies_and_locks_out_per_username_and_address():
    result = run_with_production_settings(SIGN_IN_SETTINGS, TRUSTED_PROXIES="172.16.0.0/12, 10.1.2.3")

    assert result.returncode == 0, result.stderr
    proxies, client_ip, handler, parameters, no_store, knox, authtoken = result.stdout.strip().split("|")
    assert proxies == "['172.16.0.0/12', '10.1.2.3']"
    assert client_ip == "accounts.client_address.address_for_limits"
    assert handler == "accounts.lockout.SignInLockoutHandler"
    assert parameters == "[['username', 'ip_address'], 'username', 'ip_address']"
    assert (no_store, knox, authtoken) == ("True", "True", "False")


def test_production_without_a_proxy_says_none_and_believes_no_forwarded_for():
    result = run_with_production_settings(SIGN_IN_SETTINGS, TRUSTED_PROXIES="none")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split("|")[0] == "[]"


def test_production_refuses_a_trusted_proxy_that_is_not_an_address():
    result = run_with_production_settings(LOAD_SETTINGS, TRUSTED_PROXIES="172.16.0.0/12,proxy.example")

    assert result.returncode != 0
    assert "TRUSTED_PROXIES: 'proxy.example' is not an IP address or network" in result.stderr


def test_collectstatic_hashes_and_compresses_every_static_file(tmp_path):
    static_root = tmp_path / "static"

    result = run_with_production_settings(
        ["manage.py", "collectstatic", "--noinput", "--verbosity", "0"], STATIC_ROOT=str(static_root)
    )

    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (static_root / "staticfiles.json").read_text()
    assert "vendor/nhsuk-frontend/nhsuk-frontend.min.css" in manifest
    assert list(static_root.glob("vendor/plotly/plotly.min.*.js.gz"))
    # The NHS.UK stylesheet's images are found and named by their hash; portal.js imports the
    # vendored module by its plain name, which collectstatic keeps too.
    css = next(static_root.glob("vendor/nhsuk-frontend/nhsuk-frontend.min.*.css")).read_text()
    assert re.search(r"url\(\"?assets/images/nhsuk-icon-cross\.[0-9a-f]{12}\.svg", css)
    assert (static_root / "vendor/nhsuk-frontend/nhsuk-frontend.min.js").is_file()


def test_production_refuses_a_portal_url_that_is_not_an_address():
    result = run_with_production_settings(LOAD_SETTINGS, PORTAL_URL="portal.example.nhs.uk")

    assert result.returncode != 0
    assert "PORTAL_URL must be the portal's address" in result.stderr


def test_production_links_lead_to_its_portal_url():
    result = run_with_production_settings(
        ["-c", "from django.conf import settings; print(settings.PORTAL_URL)"], PORTAL_URL="https://gp.example.nhs.uk/"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://gp.example.nhs.uk"
