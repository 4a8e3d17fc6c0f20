"""Lock-outs after failed sign-ins: three counts, each with its own limit (settings):

- one username from one address (``AXES_FAILURE_LIMIT``): someone guessing one account;
- one username from any address (``SIGN_IN_FAILURE_LIMIT_PER_USERNAME``): the same spread over
  several addresses. It is higher than the first, so that one address alone, stopped by the
  first, can never reach it: one attacker cannot lock a named person out;
- one address, any usernames (``SIGN_IN_FAILURE_LIMIT_PER_ADDRESS``): a few passwords sprayed
  over many usernames. It is higher still, because many honest people can share one NHS network
  address.

Failures count for ``AXES_COOLOFF_TIME``; failures while locked out are not counted (so a
lock-out ends on time), and a successful sign-in forgives that username's failures only, not
those of the address it came from (or an attacker would sign in as themselves to reset it).
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_parameters, get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def _failures(filters: dict, since) -> int:
    attempts = AccessAttempt.objects.filter(**filters, attempt_time__gte=since)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class SignInLockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit per rule: ``AXES_LOCKOUT_PARAMETERS`` are the rules,
    ``SIGN_IN_FAILURE_LIMITS`` their limits (see the module docstring)."""

    def failure_counts(self, request, credentials: dict | None = None) -> list[tuple[int, int]]:
        """(failures, limit) for each rule, counted since the cool-off threshold."""
        username = get_client_username(request, credentials)
        since = get_cool_off_threshold(request)
        rules = get_client_parameters(username, request.axes_ip_address, request.axes_user_agent, request, credentials)
        return [(_failures(filters, since), settings.SIGN_IN_FAILURE_LIMITS[tuple(filters)]) for filters in rules]

    def get_failures(self, request, credentials: dict | None = None) -> int:
        # Axes compares this one number with AXES_FAILURE_LIMIT. Each rule's count is given in
        # units of that limit, so the number reaches it exactly when some rule reaches its own:
        # count * base // limit >= base  if and only if  count >= limit.
        base = get_failure_limit(request, credentials)
        return max(count * base // limit for count, limit in self.failure_counts(request, credentials))

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count
