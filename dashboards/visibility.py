"""Which board reports a user may see. Pages and the home page look them up only here."""

from __future__ import annotations

from django.db.models import QuerySet

from practices.visibility import ccgs_for

from .models import BoardReport


def reports_for(user) -> QuerySet[BoardReport]:
    """Board reports of the CCGs the user reads (commissioners, governing body, administrators)."""
    return BoardReport.objects.filter(ccg__in=ccgs_for(user))
