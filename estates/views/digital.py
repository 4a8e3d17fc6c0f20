"""Practice IT: one practice's checklist, and a CCG's digital readiness across its practices."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView, UpdateView
from rules.contrib.views import PermissionRequiredMixin

from portal.concurrency import ConcurrencyGuardMixin
from portal.history import history_of
from portal.mixins import BreadcrumbsMixin, FormPageMixin
from practices.models import Practice
from practices.visibility import CCGScopedMixin, PracticeScopedMixin

from ..forms import PracticeITForm
from ..models import EstatesSettings, PracticeIT
from ..tables import ChecklistTable
from ..visibility import practice_it_for
from .common import estates_breadcrumbs, export_links, export_table


def devices_needed(practices, per_device: int) -> dict[int, int | None]:
    return {p.pk: PracticeIT.remote_devices_needed(p.list_size, per_device) for p in practices}


class PracticeITView(LoginRequiredMixin, PracticeScopedMixin, BreadcrumbsMixin, TemplateView):
    template_name = "estates/practice_it.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        practice = self.practice
        checklist = practice_it_for(self.request.user).filter(practice=practice).first()
        size = practice.list_size_on(timezone.localdate())
        per_device = EstatesSettings.for_ccg(practice.ccg).patients_per_remote_device
        context.update(
            practice=practice,
            checklist=checklist,
            list_size=size,
            per_device=per_device,
            devices_needed=PracticeIT.remote_devices_needed(size.patients if size else None, per_device),
            history=history_of(checklist, limit=20) if checklist else [],
            can_edit=self.request.user.has_perm("estates.change_practiceit", practice),
        )
        return context

    def get_breadcrumbs(self):
        return estates_breadcrumbs((f"IT checklist of {self.practice.name}", None))


class PracticeITUpdateView(
    LoginRequiredMixin, PracticeScopedMixin, PermissionRequiredMixin, ConcurrencyGuardMixin, SuccessMessageMixin,
    FormPageMixin, UpdateView,
):  # fmt: skip
    """Edit the checklist; the first save creates it, starting from the practice's known clinical system."""

    form_class = PracticeITForm
    permission_required = "estates.change_practiceit"
    success_message = "Saved the IT checklist."

    def get_object(self, queryset=None):
        if not hasattr(self, "_object"):
            self._object = PracticeIT.objects.filter(practice=self.practice).first() or PracticeIT(
                practice=self.practice, clinical_system=self.practice.clinical_system
            )
        return self._object

    def get_form(self, form_class=None):
        if self.object.pk:
            return super().get_form(form_class)
        # A new checklist has no history yet, so there is nothing for the concurrency guard to compare.
        return super(ConcurrencyGuardMixin, self).get_form(form_class)

    def form_valid(self, form):
        if self.object.pk:
            return super().form_valid(form)
        return super(ConcurrencyGuardMixin, self).form_valid(form)

    def get_heading(self):
        return f"IT checklist of {self.practice.name}"

    def get_success_url(self):
        return reverse("estates:practice_it", args=[self.practice.pk])

    def get_breadcrumbs(self):
        return estates_breadcrumbs((f"IT checklist of {self.practice.name}", self.get_success_url()), ("Edit", None))


class DigitalReadinessView(LoginRequiredMixin, CCGScopedMixin, PermissionRequiredMixin, BreadcrumbsMixin, TemplateView):
    """Every open practice of the CCG: how many have each item in place or planned, and each checklist."""

    template_name = "estates/digital_readiness.html"
    permission_required = "estates.view_capacity"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        name = f"{self.ccg.ods_code}-practice-it"
        return export_table(request, context["table"], name) or self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        practices = list(
            Practice.objects.filter(ccg=self.ccg)
            .open_on(today)
            .exclude(status=Practice.Status.CLOSED)
            .with_list_size(today)
            .order_by("name")
        )
        checklists = {c.practice_id: c for c in PracticeIT.objects.filter(practice__in=[p.pk for p in practices])}
        for practice in practices:
            practice.checklist = checklists.get(practice.pk)
        per_device = EstatesSettings.for_ccg(self.ccg).patients_per_remote_device
        needed = devices_needed(practices, per_device)
        summary = []
        for item, label in PracticeIT.ITEMS:
            in_place = sum(1 for c in checklists.values() if getattr(c, item) == PracticeIT.Status.IN_PLACE)
            planned = sum(1 for c in checklists.values() if getattr(c, item) == PracticeIT.Status.PLANNED)
            summary.append((label, in_place, planned, len(practices) - in_place - planned))
        devices_have = sum(c.remote_devices for c in checklists.values())
        devices_target = sum(n for n in needed.values() if n)
        meeting_devices = sum(
            1 for p in practices if p.checklist and needed.get(p.pk) and p.checklist.remote_devices >= needed[p.pk]
        )
        table = ChecklistTable(
            practices, devices_needed=needed, caption=f"IT checklist of each practice of {self.ccg.name}"
        )
        context.update(
            ccg=self.ccg,
            practices=practices,
            summary=summary,
            with_checklist=len(checklists),
            devices_have=devices_have,
            devices_target=devices_target,
            meeting_devices=meeting_devices,
            per_device=per_device,
            fully_ready=sum(1 for c in checklists.values() if c.items_in_place() == len(PracticeIT.ITEMS)),
            table=table,
            exports=export_links(self.request),
        )
        return context

    def get_breadcrumbs(self):
        return estates_breadcrumbs((f"Digital readiness of {self.ccg.name}", None))
