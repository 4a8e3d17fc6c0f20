"""Password reset: emails sent by the worker to known addresses only, the same answer and the
same work in the request for known and unknown addresses, and limits per email address and per
client address."""

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_email(alice):
    alice.email = "alice@luton.nhs.uk"
    alice.save()
    return alice.email


def ask_for_reset(client: Client, email: str, capture):
    with capture(execute=True) as callbacks, CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("password_reset"), {"email": email})
        sent_in_request = len(mail.outbox)
    return response, len(queries), sent_in_request, len(callbacks)


def test_a_known_and_an_unknown_email_get_the_same_answer_and_the_same_work(
    alice_email, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    known = ask_for_reset(Client(REMOTE_ADDR="203.0.113.5"), alice_email, capture)
    mail.outbox.clear()
    unknown = ask_for_reset(Client(REMOTE_ADDR="203.0.113.6"), "nobody@luton.nhs.uk", capture)

    (known_response, known_queries, known_sent, known_jobs) = known
    (unknown_response, unknown_queries, unknown_sent, unknown_jobs) = unknown
    assert known_response.status_code == unknown_response.status_code == 302
    assert known_response.url == unknown_response.url == reverse("password_reset_done")
    assert known_sent == unknown_sent == 0  # the worker sends it, after the answer
    assert known_jobs == unknown_jobs == 1
    assert known_queries == unknown_queries
    assert mail.outbox == []


def test_the_worker_emails_a_reset_link_to_a_known_address_only(alice_email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("password_reset"), {"email": alice_email})
        Client().post(reverse("password_reset"), {"email": "nobody@luton.nhs.uk"})

    assert [m.to for m in mail.outbox] == [[alice_email]]
    assert f"{settings.PORTAL_URL}/accounts/reset/" in mail.outbox[0].body


def test_resets_to_one_email_address_are_limited_an_hour(alice_email, django_capture_on_commit_callbacks):
    limit = settings.PASSWORD_RESET_LIMIT_PER_EMAIL
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            Client(REMOTE_ADDR=f"198.51.100.{n}").post(reverse("password_reset"), {"email": alice_email}).status_code
            for n in range(limit + 1)
        ]

    assert answers == [302] * limit + [429]
    assert len(mail.outbox) == limit


def test_resets_from_one_client_address_are_limited_an_hour(db, django_capture_on_commit_callbacks):
    limit = settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
    client = Client(REMOTE_ADDR="203.0.113.5")
    answers = [
        client.post(reverse("password_reset"), {"email": f"person{n}@luton.nhs.uk"}).status_code
        for n in range(limit + 1)
    ]

    assert answers == [302] * limit + [429]
    assert (
        "Too many password reset requests"
        in client.post(reverse("password_reset"), {"email": "another@luton.nhs.uk"}).content.decode()
    )


def test_the_reset_limit_answers_the_same_for_a_known_and_an_unknown_email(alice_email):
    pages = []
    for email in (alice_email, "nobody@luton.nhs.uk"):
        for n in range(settings.PASSWORD_RESET_LIMIT_PER_EMAIL):
            Client(REMOTE_ADDR=f"198.51.100.{n}").post(reverse("password_reset"), {"email": email})
        response = Client(REMOTE_ADDR="203.0.113.5").post(reverse("password_reset"), {"email": email})
        assert response.status_code == 429
        pages.append(response.content)

    assert pages[0] == pages[1]


def test_a_request_older_than_an_hour_no_longer_counts(alice_email, time_machine):
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    for n in range(settings.PASSWORD_RESET_LIMIT_PER_EMAIL):
        Client(REMOTE_ADDR=f"198.51.100.{n}").post(reverse("password_reset"), {"email": alice_email})

    time_machine.move_to(start + dt.timedelta(hours=1, minutes=1), tick=False)
    response = Client().post(reverse("password_reset"), {"email": alice_email})

    assert response.status_code == 302
