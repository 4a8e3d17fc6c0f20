"""Jobs about signing in.

``send_password_reset_email`` sends a password reset email to the active accounts that have an
email address, if any. Run by the worker, not the request, so that the request takes as long for an address no
account has. Safe to run twice: a second email carries another link; both work until used or
until ``PASSWORD_RESET_TIMEOUT``.

``purge_expired_sessions`` (nightly, beat ``accounts-purge-expired-sessions``) deletes expired
sessions and what was kept about them; a second run deletes nothing more."""

import logging
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm

from . import services

logger = logging.getLogger(__name__)


@shared_task
def send_password_reset_email(email: str) -> int:
    """Returns the number of accounts emailed."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return 0
    portal = urlsplit(settings.PORTAL_URL)
    users = list(form.get_users(form.cleaned_data["email"]))
    form.save(domain_override=portal.netloc, use_https=portal.scheme == "https")
    return len(users)


@shared_task
def purge_expired_sessions() -> dict[str, int]:
    deleted = services.expired_sessions_purge()
    logger.info("Expired sessions purged: %s", deleted)
    return deleted
