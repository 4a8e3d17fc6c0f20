"""Schemes (bids): the list and its export, the scheme page with its checks, decision and
spend, and the pages that write a bid, move it on, decide it and record its spend."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import CreateView, DetailView, FormView, TemplateView, UpdateView
from django_tables2 import RequestConfig
from rules.contrib.views import PermissionRequiredMixin

from portal.concurrency import ConcurrencyGuardMixin
from portal.history import history_of
from portal.mixins import BreadcrumbsMixin, FormPageMixin, ObjectOnceMixin
from portal.periods import FinancialYear
from practices.visibility import ccgs_for, roles_of

from ..checks import failed_checks, scheme_checks
from ..exports import schemes_dataset
from ..forms import SchemeAmountFormSet, SchemeDecisionForm, SchemeForm, SchemeMilestoneForm, SpendForm
from ..models import SCHEME_WORKFLOW, FundingStream, Scheme, SchemeMilestone
from ..selectors import DEFINITIONS, scheme_population, scheme_spend_by_year
from ..services import (
    SchemeChecksFailed,
    SchemeStatusError,
    scheme_approve,
    scheme_reject,
    scheme_return,
    scheme_spend_save,
    scheme_submit,
)
from ..tables import SchemeTable, status_badge
from ..visibility import schemes_for
from .common import download, funding_breadcrumbs


def scheme_breadcrumbs(scheme: Scheme | None = None, user=None) -> list[tuple[str, str | None]]:
    crumbs = funding_breadcrumbs()
    if scheme is not None and user is not None and ccgs_for(user).filter(pk=scheme.ccg_id).exists():
        crumbs = funding_breadcrumbs(scheme.ccg)
    crumbs.append(("Schemes", reverse("commissioning:scheme_list")))
    if scheme is not None:
        crumbs.append((scheme.title, scheme.get_absolute_url()))
    return crumbs


def visible_schemes(request):
    """The schemes the user may see, narrowed by ?ccg=, ?stream= and ?status=."""
    schemes = schemes_for(request.user).select_related("ccg", "stream", "cluster").prefetch_related("amounts")
    filters = {}
    for name, field in (("ccg", "ccg_id"), ("stream", "stream_id")):
        value = request.GET.get(name, "")
        if value.isdigit():
            filters[field] = int(value)
    status = request.GET.get("status", "")
    if status in Scheme.Status.values:
        filters["status"] = status
    return schemes.filter(**filters), filters


class SchemeListView(LoginRequiredMixin, BreadcrumbsMixin, TemplateView):
    template_name = "commissioning/funding/scheme_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        schemes, filters = visible_schemes(self.request)
        table = SchemeTable(schemes, caption="Schemes you may see")
        if len({s.ccg_id for s in schemes}) <= 1:
            table.exclude = ("ccg",)
        RequestConfig(self.request, paginate={"per_page": 50}).configure(table)
        user = self.request.user
        ccgs = ccgs_for(user).order_by("name")
        roles = roles_of(user)
        context.update(
            table=table,
            ccgs=ccgs,
            streams=FundingStream.objects.filter(pk__in=schemes_for(user).values("stream_id")).order_by("name"),
            statuses=Scheme.Status.choices,
            filters=filters,
            query=self.request.GET.urlencode(),
            ccgs_for_new=ccgs if roles.is_admin else ccgs.filter(pk__in=roles.commissioner_ccg_ids),
        )
        return context

    def get_breadcrumbs(self):
        return funding_breadcrumbs() + [("Schemes", None)]


class SchemeExportView(LoginRequiredMixin, View):
    def get(self, request, *args, **kwargs):
        schemes, _ = visible_schemes(request)
        schemes = schemes.prefetch_related("practices").order_by("ccg__name", "title")
        return download(schemes_dataset(schemes), file_format=self.kwargs["file_format"], name="funding schemes")


class SchemeDetailView(LoginRequiredMixin, ObjectOnceMixin, BreadcrumbsMixin, DetailView):
    template_name = "commissioning/funding/scheme_detail.html"
    context_object_name = "scheme"

    def get_queryset(self):
        return (
            schemes_for(self.request.user)
            .select_related("ccg", "stream", "cluster", "submitted_by", "decision_recorded_by")
            .prefetch_related("amounts", "spend", "milestones", "practices", "actions__plan", "high_impact_actions")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scheme, user = self.object, self.request.user
        population = scheme_population(scheme)
        checks = scheme_checks(scheme, population=population)
        roles = roles_of(user)
        reads_ccg = roles.is_admin or scheme.ccg_id in roles.ccg_ids
        practices = list(scheme.practices.all().with_list_size(scheme.population_date).order_by("name"))
        today = timezone.localdate()
        milestones = list(scheme.milestones.all())
        for milestone in milestones:
            milestone.overdue = milestone.is_overdue_on(today)
        context.update(
            status_badge=status_badge(scheme),
            population=population,
            practices=practices,
            checks=checks,
            failures=failed_checks(checks),
            by_year=scheme_spend_by_year(scheme),
            spend=sorted(scheme.spend.all(), key=lambda s: s.quarter),
            milestones=milestones,
            can_edit=user.has_perm("commissioning.change_scheme", scheme),
            can_decide=user.has_perm("commissioning.decide_scheme", scheme),
            reads_ccg=reads_ccg,
            definitions=DEFINITIONS,
            history=history_of(scheme, limit=30),
            status_moves=SCHEME_WORKFLOW.moves_of(scheme),
        )
        return context

    def get_breadcrumbs(self):
        return scheme_breadcrumbs(self.object, self.request.user)[:-1] + [(self.object.title, None)]


class SchemeFormMixin:
    """The scheme form with its amounts per year, saved together; a draft only."""

    template_name = "commissioning/funding/scheme_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "ccg": self.ccg}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("amounts", self.amounts_formset())
        context.update(ccg=self.ccg, heading=self.get_heading(), cancel_url=self.get_cancel_url())
        return context

    def amounts_formset(self, data=None):
        return SchemeAmountFormSet(data, instance=self.object or Scheme(ccg=self.ccg), prefix="amounts")

    def form_valid(self, form):
        amounts = SchemeAmountFormSet(self.request.POST, instance=form.instance, prefix="amounts")
        if not amounts.is_valid():
            return self.render_to_response(self.get_context_data(form=form, amounts=amounts))
        with transaction.atomic():
            self.object = form.save()
            amounts.instance = self.object
            amounts.save()
        messages.success(self.request, self.success_text)
        return HttpResponseRedirect(self.object.get_absolute_url())


class SchemeCreateView(LoginRequiredMixin, PermissionRequiredMixin, SchemeFormMixin, BreadcrumbsMixin, CreateView):
    form_class = SchemeForm
    permission_required = "commissioning.add_scheme"
    success_text = "Saved the scheme as a draft. Check it, then submit it for a decision."

    @cached_property
    def ccg(self):
        return get_object_or_404(ccgs_for(self.request.user), pk=self.kwargs["ccg_pk"])

    def get_permission_object(self):
        return self.ccg

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Scheme(ccg=self.ccg)
        stream = FundingStream.objects.for_ccg(self.ccg).filter(pk=self.request.GET.get("stream") or 0).first()
        if stream is not None:
            kwargs.setdefault("initial", {})["stream"] = stream
        return kwargs

    def get_heading(self):
        return f"New scheme for {self.ccg.name}"

    def get_cancel_url(self):
        return reverse("commissioning:funding_summary", args=[self.ccg.pk])

    def get_breadcrumbs(self):
        return funding_breadcrumbs(self.ccg) + [("New scheme", None)]


class SchemeUpdateView(
    LoginRequiredMixin, ObjectOnceMixin, PermissionRequiredMixin, ConcurrencyGuardMixin, SchemeFormMixin,
    BreadcrumbsMixin, UpdateView,
):  # fmt: skip
    form_class = SchemeForm
    permission_required = "commissioning.change_scheme"
    success_text = "Saved the changes to the scheme."

    def get_queryset(self):
        return schemes_for(self.request.user).select_related("ccg", "stream")

    @property
    def ccg(self):
        return self.object.ccg

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not self.object.is_editable:
            return self.not_editable()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not self.object.is_editable:
            return self.not_editable()
        return super().post(request, *args, **kwargs)

    def not_editable(self):
        messages.error(
            self.request,
            f"This scheme is {self.object.get_status_display().lower()}: only a draft's bid can be changed."
            + (" Send it back to draft first." if self.object.status == Scheme.Status.SUBMITTED else ""),
        )
        return HttpResponseRedirect(self.object.get_absolute_url())

    def get_heading(self):
        return f"Edit {self.object.title}"

    def get_cancel_url(self):
        return self.object.get_absolute_url()

    def get_breadcrumbs(self):
        return scheme_breadcrumbs(self.object, self.request.user) + [("Edit", None)]


class SchemeScopedMixin:
    @cached_property
    def scheme(self) -> Scheme:
        return get_object_or_404(
            schemes_for(self.request.user).select_related("ccg", "stream", "cluster"), pk=self.kwargs["pk"]
        )

    def get_permission_object(self):
        return self.scheme


class SchemeStepView(LoginRequiredMixin, SchemeScopedMixin, PermissionRequiredMixin, View):
    """POST only: submit a draft for a decision, or send a submitted scheme back to draft."""

    permission_required = "commissioning.change_scheme"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        step = self.kwargs["step"]
        try:
            if step == "submit":
                scheme_submit(scheme=self.scheme, user=request.user)
                messages.success(request, "Submitted the scheme for a decision.")
            elif step == "return":
                scheme_return(scheme=self.scheme, user=request.user)
                messages.success(request, "Sent the scheme back to draft.")
            else:
                raise Http404
        except SchemeStatusError as exc:
            messages.error(request, str(exc))
        return HttpResponseRedirect(self.scheme.get_absolute_url())


class SchemeDecideView(LoginRequiredMixin, SchemeScopedMixin, PermissionRequiredMixin, FormPageMixin, FormView):
    template_name = "commissioning/funding/scheme_decide.html"
    form_class = SchemeDecisionForm
    permission_required = "commissioning.decide_scheme"

    @cached_property
    def checks(self):
        return scheme_checks(self.scheme)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "failures": len(failed_checks(self.checks))}

    def get_initial(self):
        return {"decided_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        kwargs.update(scheme=self.scheme, checks=self.checks, failures=failed_checks(self.checks))
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        common = {
            "scheme": self.scheme,
            "user": self.request.user,
            "committee": data["committee"],
            "decided_on": data["decided_on"],
            "minute_reference": data["minute_reference"],
        }
        try:
            if data["decision"] == SchemeDecisionForm.REJECT:
                scheme = scheme_reject(**common, reason=data["reason"])
            else:
                scheme = scheme_approve(
                    **common, conditions=data["conditions"], override_reason=data.get("override_reason", "")
                )
        except (SchemeStatusError, SchemeChecksFailed) as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, f"Recorded the decision: {scheme.get_status_display().lower()}.")
        return HttpResponseRedirect(scheme.get_absolute_url())

    def get_heading(self):
        return f"Record the decision on {self.scheme.title}"

    def get_cancel_url(self):
        return self.scheme.get_absolute_url()

    def get_breadcrumbs(self):
        return scheme_breadcrumbs(self.scheme, self.request.user) + [("Decision", None)]


def spend_quarters(scheme: Scheme) -> list[dt.date]:
    """Every quarter of the years the scheme asks for, and of any year it already has spend in."""
    years = {a.financial_year for a in scheme.amounts.all()} | {s.financial_year for s in scheme.spend.all()}
    return [FinancialYear(y).quarter(n) for y in sorted(years) for n in range(1, 5)]


class SchemeSpendView(LoginRequiredMixin, SchemeScopedMixin, PermissionRequiredMixin, BreadcrumbsMixin, FormView):
    template_name = "commissioning/funding/scheme_spend.html"
    form_class = SpendForm
    permission_required = "commissioning.change_schemespend"

    def get_permission_object(self):
        return self.scheme.spend.model(scheme=self.scheme)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.scheme.is_approved:
            messages.error(request, "Spend is recorded against approved schemes only.")
            return HttpResponseRedirect(self.scheme.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        existing = {s.quarter: s for s in self.scheme.spend.all()}
        return {**super().get_form_kwargs(), "quarters": spend_quarters(self.scheme), "existing": existing}

    def get_context_data(self, **kwargs):
        kwargs.update(scheme=self.scheme, heading=f"Spend on {self.scheme.title}")
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            counts = scheme_spend_save(scheme=self.scheme, values=form.values(), user=self.request.user)
        except SchemeStatusError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        changed = sum(counts.values())
        messages.success(
            self.request, f"Saved the spend: {changed} quarter(s) changed." if changed else "No figures changed."
        )
        return HttpResponseRedirect(self.scheme.get_absolute_url() + "#spend")

    def get_breadcrumbs(self):
        return scheme_breadcrumbs(self.scheme, self.request.user) + [("Spend", None)]


class MilestoneCreateView(LoginRequiredMixin, SchemeScopedMixin, PermissionRequiredMixin, FormPageMixin, CreateView):
    form_class = SchemeMilestoneForm
    permission_required = "commissioning.change_schememilestone"

    def get_permission_object(self):
        return SchemeMilestone(scheme=self.scheme)

    def get_form_kwargs(self):
        instance = SchemeMilestone(scheme=self.scheme)
        return {**super().get_form_kwargs(), "instance": instance, "submit_text": "Add milestone"}

    def form_valid(self, form):
        messages.success(self.request, f"Added the milestone {form.instance.title}.")
        return super().form_valid(form)

    def get_success_url(self):
        return self.scheme.get_absolute_url() + "#milestones"

    def get_heading(self):
        return f"Add a milestone to {self.scheme.title}"

    def get_breadcrumbs(self):
        return scheme_breadcrumbs(self.scheme, self.request.user) + [("Add a milestone", None)]


class MilestoneUpdateView(
    LoginRequiredMixin, ObjectOnceMixin, PermissionRequiredMixin, ConcurrencyGuardMixin, FormPageMixin, UpdateView
):
    form_class = SchemeMilestoneForm
    permission_required = "commissioning.change_schememilestone"

    def get_queryset(self):
        return SchemeMilestone.objects.filter(scheme__in=schemes_for(self.request.user)).select_related("scheme")

    def form_valid(self, form):
        messages.success(self.request, f"Saved the milestone {form.instance.title}.")
        return super().form_valid(form)

    def get_success_url(self):
        return self.object.scheme.get_absolute_url() + "#milestones"

    def get_heading(self):
        return f"Edit the milestone {self.object.title}"

    def get_breadcrumbs(self):
        return scheme_breadcrumbs(self.object.scheme, self.request.user) + [("Edit a milestone", None)]
