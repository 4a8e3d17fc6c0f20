"""Contract events: a CCG's list with reviews falling due, one event with its decision, and
the forms to record an event and its committee's decision."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import CreateView, DetailView, FormView, TemplateView, UpdateView
from rules.contrib.views import PermissionRequiredMixin

from portal.history import history_of
from portal.mixins import BreadcrumbsMixin, FormPageMixin, ObjectOnceMixin

from ..forms import ContractEventForm, DecisionForm
from ..models import ContractEvent
from ..services import REVIEW_REMINDER_DAYS_BEFORE, ContractEventError, contract_event_decide
from ..visibility import contract_events_for
from .common import QualityCCGMixin, QualityPracticeMixin, profile_url

SHOWN = {
    "all": "All events",
    "undecided": "Awaiting a decision",
    "reviews_due": f"Reviews due in the next {REVIEW_REMINDER_DAYS_BEFORE} days or overdue",
}


class ContractEventListView(QualityCCGMixin, TemplateView):
    template_name = "quality/contract_event_list.html"
    permission_required = "quality.change_contract_event"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        show = self.request.GET.get("show", "all")
        show = show if show in SHOWN else "all"
        events = contract_events_for(self.request.user).filter(practice__ccg=self.ccg).select_related("practice")
        if show == "undecided":
            events = events.undecided()
        elif show == "reviews_due":
            events = events.reviews_due_by(timezone.localdate() + dt.timedelta(days=REVIEW_REMINDER_DAYS_BEFORE))
            events = events.order_by("review_date")
        context.update(ccg=self.ccg, events=list(events), show=show, choices=SHOWN)
        return context


class ContractEventCreateView(QualityPracticeMixin, FormPageMixin, CreateView):
    model = ContractEvent
    form_class = ContractEventForm
    permission_required = "quality.change_contract_event"

    def get_heading(self):
        return f"Record a contract event for {self.practice.name}"

    def get_initial(self):
        return {"contract_type": self.practice.contract_type, "received_date": timezone.localdate(),
                "committee": "Primary Care Commissioning Committee"}  # fmt: skip

    def form_valid(self, form):
        form.instance.practice = self.practice
        form.instance.created_by = self.request.user
        response = super().form_valid(form)
        messages.success(self.request, f"Recorded the {self.object.get_kind_display().lower()}.")
        return response

    def get_cancel_url(self):
        # FormPageMixin's default is the success URL, which needs the event this page has not made yet.
        return profile_url(self.practice)

    def get_success_url(self):
        return self.object.get_absolute_url()


class EventScopedMixin(LoginRequiredMixin, ObjectOnceMixin, PermissionRequiredMixin, BreadcrumbsMixin):
    model = ContractEvent
    context_object_name = "event"

    def get_queryset(self):
        return contract_events_for(self.request.user).select_related("practice__ccg")

    def get_breadcrumbs(self):
        event = self.get_object()
        return [
            ("Home", reverse("practices:home")),
            (event.practice.name, profile_url(event.practice)),
            (event.get_kind_display(), event.get_absolute_url()),
        ]


class ContractEventDetailView(EventScopedMixin, DetailView):
    template_name = "quality/contract_event_detail.html"
    permission_required = "quality.view_contract_events"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event, user = self.object, self.request.user
        can_change = user.has_perm("quality.change_contract_event", event)
        context.update(
            can_change=can_change,
            history=history_of(event) if can_change else [],
            reminders=list(event.reminders.all()) if can_change else [],
            review_due=event.review_due_on(timezone.localdate()),
        )
        return context


class ContractEventUpdateView(EventScopedMixin, FormPageMixin, UpdateView):
    form_class = ContractEventForm
    permission_required = "quality.change_contract_event"

    def get_heading(self):
        return f"Change the {self.object.get_kind_display().lower()} of {self.object.practice.name}"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Saved the changes.")
        return response

    def get_success_url(self):
        return self.object.get_absolute_url()


class ContractEventDecideView(EventScopedMixin, FormPageMixin, FormView):
    form_class = DecisionForm
    permission_required = "quality.change_contract_event"

    def get_object(self, queryset=None):
        if not hasattr(self, "_object"):
            self._object = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        return self._object

    def get_heading(self):
        event = self.get_object()
        return f"Record the decision on the {event.get_kind_display().lower()} of {event.practice.name}"

    def get(self, request, *args, **kwargs):
        if self.get_object().is_decided:
            messages.info(request, "This event has been decided already.")
            return redirect(self.get_object().get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        return {"decision_date": timezone.localdate(), "committee": self.get_object().committee}

    def form_valid(self, form):
        try:
            event = contract_event_decide(event=self.get_object(), user=self.request.user, **form.cleaned_data)
        except ContractEventError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, f"Recorded the decision: {event.get_decision_display().lower()}.")
        return redirect(event.get_absolute_url())

    def get_success_url(self):
        return self.get_object().get_absolute_url()
