from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import render

from . import services
from .client_address import address_for_limits


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset page, with a limit on the emails sent, and the same answer
    whether or not an account has the email address (the email is sent by the worker)."""

    def form_valid(self, form):
        queued = services.password_reset_request(
            email=form.cleaned_data["email"], client_address=address_for_limits(self.request)
        )
        if not queued:
            return render(self.request, "registration/password_reset_limited.html", status=429)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    """The "Check your email" page: the same whether or not an account has the address."""

    def get_context_data(self, **kwargs):
        days = max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60))
        return super().get_context_data(timeout_days=days, **kwargs)


def locked_out(request, original_response=None, credentials=None):
    """The page axes answers a locked-out sign-in with: the same whatever the reason (username
    or address) and whether or not the username has an account."""
    minutes = int(get_cool_off(request).total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
