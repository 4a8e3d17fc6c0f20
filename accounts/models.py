from django.conf import settings
from django.db import models


class SignedInSession(models.Model):
    """One session in which a user signed in, so that their sessions can be ended without
    reading every session in the database (a session's data is encoded)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    signed_in_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} signed in at {self.signed_in_at:%d %b %Y %H:%M}"


class PasswordResetRequest(models.Model):
    """One password reset email asked for, kept for an hour to limit how many are sent to one
    email address and asked for from one client address. The email address is kept only as a
    keyed hash, whether or not an account has it."""

    email_digest = models.CharField(max_length=64, db_index=True)
    client_address = models.GenericIPAddressField(null=True, db_index=True)
    requested_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Password reset asked for from {self.client_address or 'an unknown address'} at {self.requested_at}"
