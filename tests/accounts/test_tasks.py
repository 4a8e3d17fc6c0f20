"""The nightly purge deletes expired sessions, their sign-in records and old password reset
requests, and keeps what is live."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.models import PasswordResetRequest, SignedInSession
from accounts.tasks import purge_expired_sessions

pytestmark = pytest.mark.django_db


def session_of(user, *, expires_in: dt.timedelta) -> str:
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session.create()
    Session.objects.filter(session_key=session.session_key).update(expire_date=timezone.now() + expires_in)
    SignedInSession.objects.create(user=user, session_key=session.session_key)
    return session.session_key


def test_the_purge_removes_expired_sessions_and_their_records_and_keeps_live_ones(alice, bob):
    expired = session_of(alice, expires_in=-dt.timedelta(minutes=1))
    live = session_of(bob, expires_in=dt.timedelta(minutes=29))
    old_reset = PasswordResetRequest.objects.create(
        email_digest="a" * 64, client_address="192.0.2.1", requested_at=timezone.now() - dt.timedelta(hours=2)
    )
    recent_reset = PasswordResetRequest.objects.create(
        email_digest="b" * 64, client_address="192.0.2.2", requested_at=timezone.now() - dt.timedelta(minutes=5)
    )

    deleted = purge_expired_sessions.apply().get()

    assert deleted == {"sessions": 1, "signed_in_sessions": 1, "password_reset_requests": 1}
    assert list(Session.objects.values_list("session_key", flat=True)) == [live]
    assert list(SignedInSession.objects.values_list("session_key", flat=True)) == [live]
    assert list(PasswordResetRequest.objects.all()) == [recent_reset]
    assert not PasswordResetRequest.objects.filter(pk=old_reset.pk).exists()
    assert SignedInSession.objects.filter(session_key=expired).count() == 0


def test_a_second_purge_deletes_nothing_more(alice):
    session_of(alice, expires_in=-dt.timedelta(minutes=1))
    purge_expired_sessions.apply().get()

    second = purge_expired_sessions.apply().get()

    assert second == {"sessions": 0, "signed_in_sessions": 0, "password_reset_requests": 0}


def test_the_purge_is_in_the_nightly_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["accounts-purge-expired-sessions"]

    assert entry["task"] == "accounts.tasks.purge_expired_sessions"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({3}, {45})
