"""Sends a password reset email to the active accounts that have an email address, if any.

Run by the worker, not the request, so that the request takes as long for an address no
account has. Safe to run twice: a second email carries another link; both work until used or
until ``PASSWORD_RESET_TIMEOUT``."""

from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm


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
