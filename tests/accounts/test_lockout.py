"""Lock-outs after failed sign-ins, counted per username from one address, per username from any
address and per address, with the client's address taken from trusted proxies only."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def behind_a_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]


def from_address(address: str) -> Client:
    """A browser whose requests reach the portal through the trusted proxy."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


def fail(client: Client, username: str, times: int = 1) -> None:
    for _ in range(times):
        response = client.post(reverse("login"), {"username": username, "password": "not the password"})
        assert response.status_code in (200, 429)


def signs_in(client: Client, username: str) -> bool:
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code in (302, 429), response.status_code
    return response.status_code == 302


def test_a_forwarded_for_written_by_the_client_does_not_change_the_address_recorded(alice):
    fail(Client(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.7"), "alice")
    fail(from_address("198.51.100.66, 203.0.113.9"), "alice")

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5", "203.0.113.9"}


def test_behind_the_proxy_two_clients_are_counted_apart(alice):
    fail(from_address("203.0.113.5"), "alice", settings.AXES_FAILURE_LIMIT)

    assert not signs_in(from_address("203.0.113.5"), "alice")
    assert signs_in(from_address("198.51.100.7"), "alice")


def test_spraying_many_usernames_from_one_address_locks_that_address(bob):
    sprayer = from_address("203.0.113.5")
    for n in range(settings.SIGN_IN_FAILURE_LIMIT_PER_ADDRESS):
        fail(sprayer, f"person{n}")

    assert not signs_in(sprayer, "bob")
    assert signs_in(from_address("198.51.100.7"), "bob")


def test_signing_in_as_oneself_does_not_forgive_the_address_its_failures(alice, bob):
    sprayer = from_address("203.0.113.5")
    for n in range(settings.SIGN_IN_FAILURE_LIMIT_PER_ADDRESS - 1):
        fail(sprayer, f"person{n}")
    assert signs_in(sprayer, "bob")
    sprayer.logout()

    fail(sprayer, "someone")

    assert not signs_in(sprayer, "alice")


def test_a_named_user_guessed_at_from_many_addresses_is_locked_by_username(alice):
    for n in range(settings.SIGN_IN_FAILURE_LIMIT_PER_USERNAME):
        fail(Client(REMOTE_ADDR=f"198.51.100.{n + 1}"), "alice")

    assert not signs_in(Client(REMOTE_ADDR="203.0.113.77"), "alice")


def test_one_address_alone_cannot_lock_a_named_user_out(alice):
    fail(from_address("203.0.113.5"), "alice", settings.SIGN_IN_FAILURE_LIMIT_PER_USERNAME * 2)

    assert signs_in(from_address("198.51.100.7"), "alice")


def test_the_limits_let_an_address_try_more_than_a_username_and_a_username_more_than_one_address():
    assert settings.AXES_FAILURE_LIMIT < settings.SIGN_IN_FAILURE_LIMIT_PER_USERNAME
    assert settings.SIGN_IN_FAILURE_LIMIT_PER_USERNAME < settings.SIGN_IN_FAILURE_LIMIT_PER_ADDRESS
    assert settings.AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is False
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
