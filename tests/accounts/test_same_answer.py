"""Sign-in errors and lock-outs answer the same, with the same work done, whether or not the
username has an account, so that neither the page nor its timing tells which usernames exist."""

import re
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def page_without_the_username(response, username: str) -> str:
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    return text.replace(username, "USERNAME")


def wrong_password(username: str):
    client = Client(REMOTE_ADDR="203.0.113.5")
    with (
        CaptureQueriesContext(connection) as queries,
        # Checking a password hashes it once (verify calls encode); so does the dummy hash run for
        # an unknown username.
        mock.patch.object(MD5PasswordHasher, "encode", autospec=True, side_effect=MD5PasswordHasher.encode) as encode,
    ):
        response = client.post(reverse("login"), {"username": username, "password": "not the password"})
    return response, len(queries), encode.call_count


def test_a_wrong_password_answers_the_same_for_a_known_and_an_unknown_username(alice):
    known, known_queries, known_hashes = wrong_password("alice")
    unknown, unknown_queries, unknown_hashes = wrong_password("zachary")

    assert known.status_code == unknown.status_code == 200
    assert page_without_the_username(known, "alice") == page_without_the_username(unknown, "zachary")
    assert known_hashes == unknown_hashes == 1
    assert known_queries == unknown_queries


def test_an_inactive_account_answers_as_a_wrong_password_does(alice):
    alice.is_active = False
    alice.save()
    client = Client()

    response = client.post(reverse("login"), {"username": "alice", "password": "correct horse battery staple"})
    unknown, _, _ = wrong_password("zachary")

    assert response.status_code == 200
    assert page_without_the_username(response, "alice") == page_without_the_username(unknown, "zachary")


def test_the_lock_out_page_is_the_same_for_a_known_and_an_unknown_username(alice):
    pages = {}
    for username in ("alice", "zachary"):
        client = Client(REMOTE_ADDR="203.0.113.5" if username == "alice" else "198.51.100.7")
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(reverse("login"), {"username": username, "password": "not the password"})
        response = client.post(reverse("login"), {"username": username, "password": "not the password"})
        assert response.status_code == 429
        pages[username] = page_without_the_username(response, username)

    assert pages["alice"] == pages["zachary"]
    assert "Sign-in paused" in pages["alice"]
    assert "15 minutes" in pages["alice"]
