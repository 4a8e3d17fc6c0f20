"""What every page inside a plan shares: finding the plan, writing to its open draft, breadcrumbs."""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from portal import display
from portal.asat import AsAt, as_at_from

from ..models import Plan
from ..services import PlanLocked, plan_as_at_default, plan_open_for_edit
from ..visibility import plans_for


def plan_as_at(request, plan: Plan, *, label: str = "", help_text: str = "") -> AsAt:
    """``?on=`` for a plan's pages, defaulting by ``plan_as_at_default``; ``label`` and ``help_text``
    say what the date chooses on the page (the default speaks of statuses)."""
    default = plan_as_at_default(plan=plan)
    note = "" if default == timezone.localdate() else (
        f"This plan's years have ended, so it opens at its last reporting date, {display.long_date(default)}."
    )  # fmt: skip
    return as_at_from(request, default, label=label, help_text=help_text, default_note=note)


def plan_breadcrumbs(plan: Plan | None = None) -> list[tuple[str, str | None]]:
    crumbs = [("Plans", reverse("commissioning:plan_list"))]
    if plan is not None:
        crumbs.append((f"{plan.ccg.name}: {plan.period_label}", plan.get_absolute_url()))
    return crumbs


class PlanScopedMixin:
    """Views under /plans/<plan_pk>/: the plan, looked up through what the user may see."""

    @cached_property
    def plan(self) -> Plan:
        return get_object_or_404(plans_for(self.request.user).select_related("ccg"), pk=self.kwargs["plan_pk"])

    def get_permission_object(self):
        return self.plan


class PlanWriteMixin:
    """A save inside a plan goes to its open draft; a submitted plan refuses it, keeping the form.

    The form is shown again only after the savepoint has rolled back, so that drawing it may
    still query the database.
    """

    def form_valid(self, form):
        try:
            with transaction.atomic():
                plan_open_for_edit(plan=form.instance.plan)
                return super().form_valid(form)
        except PlanLocked as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
