"""Which recompute runs a user may see: commissioners' and administrators' (they may start them)."""

from __future__ import annotations

from django.db.models import QuerySet

from practices.access import roles_of

from .models import RecomputeRun


def runs_for(user) -> QuerySet[RecomputeRun]:
    roles = roles_of(user)
    if roles.is_admin or roles.is_commissioner:
        return RecomputeRun.objects.all()
    return RecomputeRun.objects.none()
