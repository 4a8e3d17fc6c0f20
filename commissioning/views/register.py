"""What the risk register, progress report, milestone and trajectory pages share."""

from __future__ import annotations

from django.db import transaction

from ..services import PlanLocked, plan_open_for_edit


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
