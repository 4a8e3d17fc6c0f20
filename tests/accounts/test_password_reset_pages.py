"""The password reset pages look like the rest of the portal, the sign-in page leads to them,
and they answer the same whether or not an account has the email address."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a fresh password for the portal"


def portal_page(response) -> str:
    text = response.content.decode()
    assert response.status_code == 200
    assert "– Primary Care Commissioning Portal</title>" in text
    assert "Django administration" not in text and "Django site admin" not in text
    return text


def confirm_url(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)])


def test_the_sign_in_page_links_to_the_password_reset(client):
    page = portal_page(client.get(reverse("login")))
    assert f'<a href="{reverse("password_reset")}">Forgotten your password?</a>' in page


def test_the_reset_request_page_is_the_portals(client):
    page = portal_page(client.get(reverse("password_reset")))
    assert "<h1" in page and "Reset your password</h1>" in page
    assert 'name="email"' in page
    assert f'href="{reverse("login")}"' in page


def test_a_known_and_an_unknown_email_are_told_the_same_on_the_portals_page(alice, django_capture_on_commit_callbacks):
    alice.email = "alice@luton.nhs.uk"
    alice.save()
    pages = []
    for n, email in enumerate(("alice@luton.nhs.uk", "nobody@luton.nhs.uk")):
        with django_capture_on_commit_callbacks(execute=True):
            response = Client(REMOTE_ADDR=f"203.0.113.{n}").post(
                reverse("password_reset"), {"email": email}, follow=True
            )
        page = portal_page(response)
        pages.append(re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page))
    assert "Check your email</h1>" in pages[0]
    assert "The link works once, for 3 days." in pages[0]
    assert pages[0] == pages[1]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Reset your Primary Care Commissioning Portal password"
    assert "Your username is alice." in mail.outbox[0].body


def test_a_reset_link_lets_the_person_choose_a_new_password_and_sign_in_with_it(client, alice, luton_practice):
    response = client.get(confirm_url(alice), follow=True)  # Django moves the token into the session
    page = portal_page(response)
    assert "Choose a new password</h1>" in page
    assert 'name="new_password1"' in page and 'name="new_password2"' in page

    done = client.post(response.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.url == reverse("password_reset_complete")
    assert "Your password has been changed</h1>" in portal_page(client.get(done.url))
    signed_in = Client().post(reverse("login"), {"username": "alice", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    alice.refresh_from_db()
    assert not alice.check_password(PASSWORD)


def test_a_weak_new_password_is_refused_on_the_portals_form(client, alice):
    response = client.get(confirm_url(alice), follow=True)
    refused = client.post(response.redirect_chain[-1][0], {"new_password1": "short", "new_password2": "short"})
    page = portal_page(refused)
    assert "There is a problem" in page
    assert "This password is too short" in page


def test_a_used_or_wrong_link_says_so_and_offers_a_new_one(client, alice):
    uid = urlsafe_base64_encode(force_bytes(alice.pk))
    page = portal_page(client.get(reverse("password_reset_confirm", args=[uid, "not-a-token"])))
    assert "This link no longer works</h1>" in page
    assert f'href="{reverse("password_reset")}"' in page
