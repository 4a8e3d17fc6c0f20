"""The sign-in form ties each error to its field, and a page sent back with errors says so in its title."""

import re

import pytest
from django.urls import reverse


def _input(html: str, name: str) -> str:
    return re.search(rf'<input[^>]* name="{name}"[^>]*>', html).group(0)


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


@pytest.mark.django_db
def test_an_empty_username_is_marked_invalid_and_described_by_its_error(client):
    html = client.post(reverse("login"), {"username": "", "password": "something long"}).content.decode()

    username = _input(html, "username")
    assert 'aria-invalid="true"' in username
    assert 'aria-describedby="username-error"' in username
    assert re.search(r'<span id="username-error" class="nhsuk-error-message">.*This field is required\.</span>', html)
    assert "aria-invalid" not in _input(html, "password")


@pytest.mark.django_db
def test_a_wrong_password_marks_both_fields_and_points_them_at_the_one_message(client, alice):
    html = client.post(reverse("login"), {"username": "alice", "password": "not the password"}).content.decode()

    for name in ("username", "password"):
        assert 'aria-invalid="true" aria-describedby="signin-error"' in _input(html, name)
    hidden = '<p id="signin-error" class="nhsuk-u-visually-hidden">'
    assert re.search(hidden + "Please enter a correct username and password", html)


@pytest.mark.django_db
def test_the_title_starts_with_error_only_when_the_form_came_back_with_errors(client, alice):
    assert _title(client.get(reverse("login")).content.decode()) == "Sign in – Primary Care Commissioning Portal"
    sent_back = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    assert _title(sent_back) == "Error: Sign in – Primary Care Commissioning Portal"
    assert "aria-invalid" not in client.get(reverse("login")).content.decode()
