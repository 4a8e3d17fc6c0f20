"""Writes about signing in: the sessions each user signed in with, ending them, and password
reset emails within their limits."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone
from django.utils.crypto import salted_hmac
from knox.models import AuthToken

from portal import outbox

from .models import PasswordResetRequest, SignedInSession

PASSWORD_RESET_WINDOW = dt.timedelta(hours=1)


def _session_store() -> type[SessionBase]:
    return import_module(settings.SESSION_ENGINE).SessionStore


def signed_in_session_record(*, user, session: SessionBase) -> None:
    """Remember that ``user`` signed in with ``session``; forget their sessions that have ended."""
    if session.session_key is None:
        return
    store = _session_store()
    for row in SignedInSession.objects.filter(user=user).exclude(session_key=session.session_key):
        if not store().exists(row.session_key):
            row.delete()
    SignedInSession.objects.update_or_create(session_key=session.session_key, defaults={"user": user})


def signed_in_session_forget(*, session_key: str | None) -> None:
    if session_key:
        SignedInSession.objects.filter(session_key=session_key).delete()


def user_sessions_end(*, user) -> int:
    """End every session ``user`` signed in with and delete their API tokens (a deactivated
    user's; reactivated, they sign in afresh and make a new token). Returns the sessions ended."""
    store = _session_store()
    rows = list(SignedInSession.objects.filter(user=user))
    for row in rows:
        store(session_key=row.session_key).delete()
    SignedInSession.objects.filter(pk__in=[row.pk for row in rows]).delete()
    AuthToken.objects.filter(user=user).delete()
    return len(rows)


def expired_sessions_purge() -> dict[str, int]:
    """Delete the sessions that have expired (what ``manage.py clearsessions`` does), the record
    of each sign-in whose session is gone, and password reset requests past their hour (each
    keeps a client address). Returns how many of each were deleted."""
    from django.contrib.sessions.models import Session

    store = _session_store()
    database_sessions = settings.SESSION_ENGINE in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    )
    before = Session.objects.count() if database_sessions else 0
    store.clear_expired()
    sessions = before - Session.objects.count() if database_sessions else 0
    if database_sessions:
        ended = SignedInSession.objects.exclude(session_key__in=Session.objects.values("session_key"))
    else:
        ended = SignedInSession.objects.filter(
            pk__in=[row.pk for row in SignedInSession.objects.all() if not store().exists(row.session_key)]
        )
    signed_in, _ = ended.delete()
    resets, _ = PasswordResetRequest.objects.filter(requested_at__lt=timezone.now() - PASSWORD_RESET_WINDOW).delete()
    return {"sessions": sessions, "signed_in_sessions": signed_in, "password_reset_requests": resets}


def email_digest(email: str) -> str:
    return salted_hmac("accounts.password-reset", email.strip().lower(), algorithm="sha256").hexdigest()


def password_reset_request(*, email: str, client_address: str | None) -> bool:
    """Queue a password reset email to ``email`` unless too many were asked for in the last
    hour to that email address or from that client address. Known and unknown addresses take
    the same path: the worker looks the account up (``accounts.tasks``), so the answer and its
    timing say nothing about whether an account has that email address."""
    from .tasks import send_password_reset_email

    now = timezone.now()
    PasswordResetRequest.objects.filter(requested_at__lt=now - PASSWORD_RESET_WINDOW).delete()
    digest = email_digest(email)
    recent = PasswordResetRequest.objects.filter(requested_at__gte=now - PASSWORD_RESET_WINDOW)
    by_email = recent.filter(email_digest=digest).count()
    by_address = recent.filter(client_address=client_address).count() if client_address else 0
    if by_email >= settings.PASSWORD_RESET_LIMIT_PER_EMAIL or by_address >= settings.PASSWORD_RESET_LIMIT_PER_ADDRESS:
        return False
    PasswordResetRequest.objects.create(email_digest=digest, client_address=client_address, requested_at=now)
    outbox.enqueue(send_password_reset_email, args=(email,))
    return True
