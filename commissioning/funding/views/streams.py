"""Funding streams: the list, one stream with its rates, rules and the CCG's allocations, and
the forms that add to them. National streams are the administrators'; a commissioner adds
streams and rules for their own CCG."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import CreateView, DetailView, TemplateView, UpdateView
from django_tables2 import RequestConfig
from rules.contrib.views import PermissionRequiredMixin

from portal.concurrency import ConcurrencyGuardMixin
from portal.history import history_of
from portal.mixins import BreadcrumbsMixin, FormPageMixin, ObjectOnceMixin
from practices.visibility import ccgs_for, commissioned_ccgs_for, roles_of

from ..forms import FundingStreamForm, StreamRateForm, StreamRuleForm
from ..models import FundingStream, StreamRate, StreamRule
from ..selectors import DEFINITIONS, expected_amounts
from ..tables import FundingStreamTable
from ..visibility import allocations_for, stream_rules_for, streams_for
from .common import funding_breadcrumbs


def stream_breadcrumbs(stream: FundingStream | None = None) -> list[tuple[str, str | None]]:
    crumbs = funding_breadcrumbs() + [("Funding streams", reverse("commissioning:funding_stream_list"))]
    if stream is not None:
        crumbs.append((stream.name, stream.get_absolute_url()))
    return crumbs


class StreamListView(LoginRequiredMixin, BreadcrumbsMixin, TemplateView):
    template_name = "commissioning/funding/stream_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        streams = streams_for(self.request.user).select_related("ccg").prefetch_related("rates")
        table = FundingStreamTable(streams, caption="Funding streams: national, and your CCGs' own")
        RequestConfig(self.request, paginate=False).configure(table)
        context.update(
            table=table,
            is_admin=roles_of(self.request.user).is_admin,
            ccgs_for_new_stream=commissioned_ccgs_for(self.request.user).order_by("name"),
        )
        return context

    def get_breadcrumbs(self):
        return funding_breadcrumbs() + [("Funding streams", None)]


class StreamDetailView(LoginRequiredMixin, ObjectOnceMixin, BreadcrumbsMixin, DetailView):
    template_name = "commissioning/funding/stream_detail.html"
    context_object_name = "stream"

    def get_queryset(self):
        return streams_for(self.request.user).select_related("ccg").prefetch_related("rates")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stream, user = self.object, self.request.user
        allocations = list(
            allocations_for(user)
            .filter(stream=stream)
            .select_related("ccg", "stream")
            .order_by("ccg__name", "financial_year")
        )
        expected = []
        for ccg in {a.ccg_id: a.ccg for a in allocations}.values():
            expected.extend(expected_amounts(ccg=ccg, allocations=[a for a in allocations if a.ccg_id == ccg.pk]))
        rules = list(stream_rules_for(user, stream))
        for rule in rules:
            rule.editable = user.has_perm("commissioning.change_streamrule", rule)
        context.update(
            rates=stream.rates.all(),
            rules=rules,
            allocations=allocations,
            expected=expected,
            definitions=DEFINITIONS,
            can_edit=user.has_perm("commissioning.change_fundingstream", stream),
            rule_ccgs=commissioned_ccgs_for(user).order_by("name"),
            can_add_national_rule=roles_of(user).is_admin,
            history=history_of(stream, limit=20),
        )
        return context

    def get_breadcrumbs(self):
        return stream_breadcrumbs() + [(self.object.name, None)]


class StreamCreateView(LoginRequiredMixin, PermissionRequiredMixin, SuccessMessageMixin, FormPageMixin, CreateView):
    """A national stream (administrators, /streams/new/) or a CCG's own (/ccg/<pk>/streams/new/)."""

    form_class = FundingStreamForm
    success_message = "Added the funding stream %(name)s."

    @cached_property
    def ccg(self):
        if "ccg_pk" not in self.kwargs:
            return None
        return get_object_or_404(ccgs_for(self.request.user), pk=self.kwargs["ccg_pk"])

    def get_permission_required(self):
        return ["commissioning.add_fundingstream", "commissioning.change_fundingstream"]

    def get_permission_object(self):
        return FundingStream(ccg=self.ccg)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = FundingStream(ccg=self.ccg)
        kwargs["submit_text"] = "Add stream"
        return kwargs

    def get_heading(self):
        return f"Add a funding stream for {self.ccg.name}" if self.ccg else "Add a national funding stream"

    def get_cancel_url(self):
        return reverse("commissioning:funding_stream_list")

    def get_breadcrumbs(self):
        return stream_breadcrumbs() + [("Add a stream", None)]


class StreamUpdateView(
    LoginRequiredMixin, ObjectOnceMixin, PermissionRequiredMixin, ConcurrencyGuardMixin, SuccessMessageMixin,
    FormPageMixin, UpdateView,
):  # fmt: skip
    form_class = FundingStreamForm
    permission_required = "commissioning.change_fundingstream"
    success_message = "Saved the changes to %(name)s."

    def get_queryset(self):
        return streams_for(self.request.user)

    def get_heading(self):
        return f"Edit {self.object.name}"

    def get_breadcrumbs(self):
        return stream_breadcrumbs(self.object) + [("Edit", None)]


class StreamScopedMixin:
    @cached_property
    def stream(self) -> FundingStream:
        return get_object_or_404(streams_for(self.request.user), pk=self.kwargs["stream_pk"])


class RateCreateView(
    LoginRequiredMixin, StreamScopedMixin, PermissionRequiredMixin, SuccessMessageMixin, FormPageMixin, CreateView
):
    form_class = StreamRateForm
    permission_required = "commissioning.change_streamrate"
    success_message = "Added the rate."

    def get_permission_object(self):
        return self.stream

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": StreamRate(stream=self.stream), "submit_text": "Add rate"}

    def get_success_url(self):
        return self.stream.get_absolute_url()

    def get_heading(self):
        return f"Add a per-head rate to {self.stream.name}"

    def get_breadcrumbs(self):
        return stream_breadcrumbs(self.stream) + [("Add a rate", None)]


class RateUpdateView(
    LoginRequiredMixin, ObjectOnceMixin, PermissionRequiredMixin, ConcurrencyGuardMixin, SuccessMessageMixin,
    FormPageMixin, UpdateView,
):  # fmt: skip
    form_class = StreamRateForm
    permission_required = "commissioning.change_streamrate"
    success_message = "Saved the rate."

    def get_queryset(self):
        return StreamRate.objects.filter(stream__in=streams_for(self.request.user)).select_related("stream")

    def get_success_url(self):
        return self.object.stream.get_absolute_url()

    def get_heading(self):
        return f"Edit the rate of {self.object.stream.name}, {self.object.period_label}"

    def get_breadcrumbs(self):
        return stream_breadcrumbs(self.object.stream) + [("Edit a rate", None)]


class RuleCreateView(
    LoginRequiredMixin, StreamScopedMixin, PermissionRequiredMixin, SuccessMessageMixin, FormPageMixin, CreateView
):
    """A rule for one CCG's schemes (/ccg/<pk>/...) or, for administrators, every CCG's."""

    form_class = StreamRuleForm
    permission_required = "commissioning.change_streamrule"
    success_message = "Added the rule. The portal now checks it on every scheme it applies to."

    @cached_property
    def ccg(self):
        if "ccg_pk" not in self.kwargs:
            return None
        return get_object_or_404(ccgs_for(self.request.user), pk=self.kwargs["ccg_pk"])

    def get_permission_object(self):
        return StreamRule(stream=self.stream, ccg=self.ccg)

    def get_form_kwargs(self):
        instance = StreamRule(stream=self.stream, ccg=self.ccg)
        return {**super().get_form_kwargs(), "instance": instance, "submit_text": "Add rule"}

    def get_success_url(self):
        return self.stream.get_absolute_url()

    def get_heading(self):
        whose = f"{self.ccg.name}'s schemes" if self.ccg else "every CCG's schemes"
        return f"Add a rule of {self.stream.name} for {whose}"

    def get_breadcrumbs(self):
        return stream_breadcrumbs(self.stream) + [("Add a rule", None)]


class RuleUpdateView(
    LoginRequiredMixin, ObjectOnceMixin, PermissionRequiredMixin, ConcurrencyGuardMixin, SuccessMessageMixin,
    FormPageMixin, UpdateView,
):  # fmt: skip
    form_class = StreamRuleForm
    permission_required = "commissioning.change_streamrule"
    success_message = "Saved the rule."

    def get_queryset(self):
        rules = StreamRule.objects.select_related("stream", "ccg")
        roles = roles_of(self.request.user)
        return rules if roles.is_admin else rules.filter(ccg_id__in=roles.ccg_ids)

    def get_success_url(self):
        return self.object.stream.get_absolute_url()

    def get_heading(self):
        return f"Edit a rule of {self.object.stream.name}"

    def get_breadcrumbs(self):
        return stream_breadcrumbs(self.object.stream) + [("Edit a rule", None)]
