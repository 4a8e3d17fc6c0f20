"""Middleware every page shares."""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils import timezone
from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in user (or to an API
    request that sends credentials) and on every download, so that neither a shared cache nor
    the browser's disk keeps a copy of what only that person may read. Static files are served
    by WhiteNoise before this runs and keep their long cache lifetimes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        download = response.get("Content-Disposition", "").lower().startswith("attachment")
        if signed_in or download or "HTTP_AUTHORIZATION" in request.META:
            patch_cache_control(response, private=True, no_store=True)
        return response


class DeferredReadsMiddleware:
    """On SQLite (added by the settings there): the transaction of a request that cannot change
    anything (GET, HEAD, OPTIONS) begins DEFERRED, so pages read in parallel and beside a writer;
    every other transaction begins IMMEDIATE (see ``portal.sqlite3``)."""

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.SAFE_METHODS:
            return self.get_response(request)
        from portal.sqlite3.base import deferred_transactions

        with deferred_transactions():
            return self.get_response(request)


#: Where a signed-in session keeps when it was last saved (seconds since the epoch).
SESSION_REFRESHED_KEY = "_refreshed_at"


class SessionRefreshMiddleware:
    """Pushes the end of a signed-in session back at most once a ``SESSION_REFRESH_SECONDS``.

    The session's row holds its end (``SESSION_COOKIE_AGE`` after its last save). Saving it on
    every request (``SESSION_SAVE_EVERY_REQUEST``) made every page a database write; here a
    request saves it only when the last save is that old, or when the request changed the
    session anyway. So a sign-in still ends ``SESSION_COOKIE_AGE`` after the last save, which is
    never after the last request, and at most a minute before ``SESSION_COOKIE_AGE`` after it.
    Must come after SessionMiddleware, whose response handling then does the save.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or SESSION_KEY not in session:
            return response
        refreshed = session.get(SESSION_REFRESHED_KEY) or 0
        if session.modified or timezone.now().timestamp() - refreshed >= settings.SESSION_REFRESH_SECONDS:
            session_saved_now(session)
        return response


def session_saved_now(session) -> None:
    """Note in the session that it is being saved now (which the note itself makes sure of)."""
    session[SESSION_REFRESHED_KEY] = int(timezone.now().timestamp())
