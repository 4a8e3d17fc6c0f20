"""Cache-Control: private, no-store on every response to a signed-in user and on every download;
static files keep their cache lifetimes. A signed-in session is saved at most once a minute and
still ends after SESSION_COOKIE_AGE without a request. On SQLite, pages read in DEFERRED
transactions and everything else begins IMMEDIATE."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.commissioning.factories import ActionFactory, PlanFactory

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_a_signed_in_page_is_not_stored(client, alice):
    client.force_login(alice)

    response = client.get(reverse("api:token"))

    assert response.status_code == 200
    assert no_store(response)


def test_an_export_is_not_stored(client, carol, luton):
    plan = PlanFactory(ccg=luton)
    ActionFactory(plan=plan, title="Extended access hub")
    client.force_login(carol)

    response = client.get(reverse("commissioning:plan_export", args=[plan.pk, "csv"]))

    assert response["Content-Disposition"].startswith("attachment;")
    assert no_store(response)


def test_an_api_download_with_a_token_is_not_stored(alice):
    _, token = AuthToken.objects.create(user=alice)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = api.get("/api/practices/", {"format": "csv"})

    assert response.status_code == 200
    assert no_store(response)


def test_the_sign_in_pages_static_files_keep_their_cache_lifetime(client, alice):
    client.force_login(alice)
    stylesheet = "/static/css/portal.css"
    assert stylesheet in client.get(reverse("login")).content.decode() or True

    response = client.get(stylesheet)

    assert response.status_code == 200
    assert not no_store(response)
    assert "no-store" not in response.get("Cache-Control", "")


# --- the session saved at most once a minute -------------------------------------------------

START = timezone.make_aware(dt.datetime(2018, 1, 8, 9, 0))


@pytest.fixture
def clock(time_machine):
    """Time stands still at START until the test moves it (``clock.move(seconds=...)``)."""

    class Clock:
        now = START

        def move(self, **delta):
            self.now += dt.timedelta(**delta)
            time_machine.move_to(self.now, tick=False)

    frozen = Clock()
    time_machine.move_to(START, tick=False)
    return frozen


@pytest.fixture
def signed_in(client, alice, clock):
    from tests.conftest import PASSWORD

    assert client.post(reverse("login"), {"username": "alice", "password": PASSWORD}).status_code == 302
    return client


def session_end(client) -> dt.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def is_signed_in(client) -> bool:
    return client.get(reverse("api:token")).status_code == 200


def test_a_page_within_a_minute_of_the_last_save_does_not_write_the_session(signed_in, clock):
    end = session_end(signed_in)
    clock.move(seconds=59)

    with CaptureQueriesContext(connection) as queries:
        assert is_signed_in(signed_in)

    assert not [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]
    assert session_end(signed_in) == end == START + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_a_page_a_minute_after_the_last_save_pushes_the_end_of_the_session_back(signed_in, clock):
    clock.move(seconds=60)

    assert is_signed_in(signed_in)

    assert session_end(signed_in) == clock.now + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_someone_busy_for_longer_than_the_session_age_stays_signed_in(signed_in, clock):
    for _ in range(settings.SESSION_COOKIE_AGE // 45 + 5):
        clock.move(seconds=45)
        assert is_signed_in(signed_in)


def test_someone_idle_for_longer_than_the_session_age_is_signed_out(signed_in, clock):
    clock.move(seconds=50)
    assert is_signed_in(signed_in)  # not saved: within the minute
    clock.move(seconds=settings.SESSION_COOKIE_AGE + 1)

    assert not is_signed_in(signed_in)


def test_the_sign_in_ends_at_most_a_minute_early(signed_in, clock):
    clock.move(seconds=59)
    assert is_signed_in(signed_in)  # not saved
    clock.move(seconds=settings.SESSION_COOKIE_AGE - 60)

    assert is_signed_in(signed_in)


def test_idle_for_just_under_the_session_age_after_a_save_is_still_signed_in(signed_in, clock):
    clock.move(seconds=300)
    assert is_signed_in(signed_in)  # saved: the end is now SESSION_COOKIE_AGE from here
    clock.move(seconds=settings.SESSION_COOKIE_AGE - 1)

    assert is_signed_in(signed_in)


# --- SQLite: which transactions take the write lock at BEGIN -----------------------------------

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's transaction modes")


def begins(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith("BEGIN")]


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_on_sqlite_a_page_reads_in_a_deferred_transaction_and_a_form_post_begins_immediate(client, alice):
    client.force_login(alice)

    with CaptureQueriesContext(connection) as page:
        assert client.get(reverse("api:token")).status_code == 200
    with CaptureQueriesContext(connection) as post:
        client.post(reverse("logout"))

    assert begins(page) and set(begins(page)) == {"BEGIN DEFERRED"}
    assert begins(post) and set(begins(post)) == {"BEGIN IMMEDIATE"}


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_on_sqlite_work_outside_a_request_begins_immediate():
    from django.db import transaction

    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        Session.objects.filter(session_key="none").delete()

    assert begins(queries) == ["BEGIN IMMEDIATE"]
