"""Security behaviour that the settings give every page: sign-ins end after inactivity,
repeated failed sign-ins lock the account out (django-axes; more in tests/accounts), signed-in
pages are not cached, and responses carry a Content-Security-Policy.
``manage.py check --deploy`` checks none of these."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def login_url() -> str:
    return resolve_url(settings.LOGIN_URL)


def is_sent_to_sign_in(response) -> bool:
    return response.status_code == 302 and response.url.startswith(login_url())


def test_the_sign_in_page_is_at_accounts_login():
    assert login_url() == "/accounts/login/"


def test_a_sign_in_ends_after_thirty_minutes_without_a_request():
    # The session is saved at most once a minute rather than on every request (tests/portal/test_middleware.py).
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_REFRESH_SECONDS == 60
    assert "portal.middleware.SessionRefreshMiddleware" in settings.MIDDLEWARE


def test_an_inactive_session_is_signed_out(client, alice):
    client.force_login(alice)
    assert not is_sent_to_sign_in(client.get(reverse("practices:home")))
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )

    response = client.get(reverse("practices:home"))

    assert is_sent_to_sign_in(response)


def test_the_right_password_signs_in(alice):
    client = Client()

    response = client.post(login_url(), {"username": "alice", "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_after_too_many_failed_sign_ins_even_the_right_password_is_refused(alice):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login_url(), {"username": "alice", "password": "not the password"})

    response = client.post(login_url(), {"username": "alice", "password": PASSWORD})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lock_out_does_not_stop_another_user(alice, bob):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login_url(), {"username": "alice", "password": "not the password"})

    response = client.post(login_url(), {"username": "bob", "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(bob.pk)


def test_no_store_runs_once_the_user_is_known():
    middleware = settings.MIDDLEWARE
    assert middleware.index("portal.middleware.NoStoreMiddleware") > middleware.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )


def test_sign_in_failures_count_per_username_and_address_separately_from_trusted_proxies_only():
    assert settings.AXES_CLIENT_IP_CALLABLE == "accounts.client_address.address_for_limits"
    assert settings.AXES_HANDLER == "accounts.lockout.SignInLockoutHandler"
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], "username", "ip_address"]
    assert settings.TRUSTED_PROXIES == []  # none unless the environment names them


def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    response = client.get(login_url())

    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
