"""The funding home page, a CCG's funding summary (table, chart, warnings, expected per-head
amounts, NHS payments beside the streams), its export, and allocations."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.db.models import Count, Q
from django.urls import reverse
from django.views import View
from django.views.generic import CreateView, DetailView, TemplateView, UpdateView
from rules.contrib.views import PermissionRequiredMixin

from portal.asat import as_at_from
from portal.concurrency import ConcurrencyGuardMixin
from portal.history import history_of
from portal.mixins import BreadcrumbsMixin, FormPageMixin, ObjectOnceMixin
from portal.periods import FinancialYear
from practices.visibility import CCGScopedMixin, ccgs_for, practices_for, roles_of

from ..charts import summary_figure, summary_text
from ..exports import summary_dataset
from ..forms import AllocationForm
from ..models import Allocation, FundingStream, PaymentLine, Scheme
from ..selectors import DEFINITIONS, allocations_as_at, ccg_payments, expected_amounts, funding_summary, payment_years
from ..visibility import allocations_for, schemes_for, streams_for
from .common import download, funding_breadcrumbs


class FundingHomeView(LoginRequiredMixin, BreadcrumbsMixin, TemplateView):
    """Where funding starts: the CCGs the user reads, or a practice manager's schemes and payments."""

    template_name = "commissioning/funding/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        roles = roles_of(user)
        ccgs = ccgs_for(user)
        if roles.is_admin:
            ccgs = ccgs.filter(
                Q(pk__in=Allocation.objects.values("ccg_id")) | Q(pk__in=Scheme.objects.values("ccg_id"))
            )
        ccgs = ccgs.annotate(
            allocations=Count("funding_allocations", distinct=True), schemes=Count("funding_schemes", distinct=True)
        ).order_by("name")
        practices = practices_for(user).filter(pk__in=roles.practice_ids) if roles.is_practice_manager else []
        context.update(
            ccgs=ccgs,
            commissioner_ccg_ids=roles.commissioner_ccg_ids,
            is_admin=roles.is_admin,
            reads_ccgs=bool(roles.ccg_ids) or roles.is_admin,
            my_practices=practices,
            my_schemes=schemes_for(user).select_related("ccg", "stream").order_by("title")
            if roles.is_practice_manager and not roles.ccg_ids
            else [],
        )
        return context

    def get_breadcrumbs(self):
        return [("Funding", None)]


def funding_as_at(request):
    return as_at_from(request, label="Show the funding as at")


def selected_year(request, years: list[int]) -> int | None:
    """The ``year`` the query string asks for, if it is one of ``years``; else None (all years)."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return None
    return year if year in years else None


class FundingSummaryView(LoginRequiredMixin, CCGScopedMixin, BreadcrumbsMixin, TemplateView):
    """Allocated / committed / spent / remaining by stream and year for one CCG, table and chart."""

    template_name = "commissioning/funding/summary.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ccg, user = self.ccg, self.request.user
        as_at = funding_as_at(self.request)
        streams = list(FundingStream.objects.for_ccg(ccg))
        summary = funding_summary(ccg=ccg, streams=streams, on=as_at.on)
        year = selected_year(self.request, summary.years)
        if year is None:
            chart_rows, chart_by = summary.year_totals(), "year"
            chart_caption = "Allocated, committed and spent by financial year, all streams together"
        else:
            chart_rows, chart_by = summary.in_year(year), "stream"
            chart_caption = f"Allocated, committed and spent by stream, {FinancialYear(year)}"
        rows = summary.rows if year is None else summary.in_year(year)
        allocations = list(
            allocations_for(user)
            .filter(ccg=ccg)
            .filter(allocations_as_at(as_at.on))
            .select_related("stream", "ccg")
            .order_by("stream__name", "financial_year")
        )
        statuses = Counter(
            dict(
                Scheme.objects.filter(ccg=ccg).values_list("status").annotate(n=Count("pk")).values_list("status", "n")
            )
        )
        context.update(
            ccg=ccg,
            as_at=as_at,
            summary=summary,
            rows=rows,
            total=summary.total(rows),
            year=year,
            year_label=str(FinancialYear(year)) if year is not None else "",
            years=[(y, str(FinancialYear(y))) for y in summary.years],
            chart_rows=chart_rows,
            chart_by=chart_by,
            chart_caption=chart_caption,
            chart_json=summary_figure(chart_rows, by=chart_by).to_json() if chart_rows else None,
            chart_summary=summary_text(chart_rows, by=chart_by) if chart_rows else "",
            warnings=summary.warnings,
            allocations=allocations,
            expected=expected_amounts(ccg=ccg, allocations=allocations),
            statuses=[(label, statuses.get(value, 0), value) for value, label in Scheme.Status.choices],
            payments=self.payments_beside_streams(summary),
            definitions=DEFINITIONS,
            can_edit=user.has_perm("commissioning.change_allocation", Allocation(ccg=ccg)),
            can_add_scheme=user.has_perm("commissioning.add_scheme", ccg),
        )
        return context

    def payments_beside_streams(self, summary) -> list[dict]:
        """For each year of NHS payments: the CCG's totals beside what the portal holds of GPFV money."""
        years = payment_years(self.ccg)
        by_year = {t.financial_year: t for t in summary.year_totals()}
        result = []
        for year in years:
            payments = ccg_payments(ccg=self.ccg, start_year=year)
            if payments is None:
                continue
            result.append(
                {
                    "payments": payments,
                    "gpfv_line": payments.line(PaymentLine.Kind.GPFV),
                    "streams": by_year.get(year),
                }
            )
        return result

    def get_breadcrumbs(self):
        return funding_breadcrumbs() + [(self.ccg.name, None)]


class SummaryExportView(LoginRequiredMixin, CCGScopedMixin, View):
    def get(self, request, *args, **kwargs):
        as_at = funding_as_at(request)
        summary = funding_summary(ccg=self.ccg, on=as_at.on)
        return download(
            summary_dataset(summary, on=as_at.on),
            file_format=self.kwargs["file_format"],
            name=f"{self.ccg.ods_code} funding summary" + ("" if as_at.is_default else f" {as_at.on.isoformat()}"),
        )


class AllocationCreateView(
    LoginRequiredMixin, CCGScopedMixin, PermissionRequiredMixin, SuccessMessageMixin, FormPageMixin, CreateView
):
    form_class = AllocationForm
    permission_required = "commissioning.change_allocation"
    success_message = "Recorded the allocation."
    intro = (
        "Record the amount notified. For a per-head stream the portal works out the amount it expected from "
        "the registered population and shows the difference."
    )

    def get_permission_object(self):
        return Allocation(ccg=self.ccg)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Allocation(ccg=self.ccg)
        kwargs["submit_text"] = "Record allocation"
        stream = streams_for(self.request.user).filter(pk=self.request.GET.get("stream") or 0).first()
        if stream is not None:
            kwargs.setdefault("initial", {})["stream"] = stream
        return kwargs

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_cancel_url(self):
        return reverse("commissioning:funding_summary", args=[self.ccg.pk])

    def get_heading(self):
        return f"Record an allocation to {self.ccg.name}"

    def get_breadcrumbs(self):
        return funding_breadcrumbs(self.ccg) + [("Record an allocation", None)]


class AllocationDetailView(LoginRequiredMixin, ObjectOnceMixin, BreadcrumbsMixin, DetailView):
    template_name = "commissioning/funding/allocation_detail.html"
    context_object_name = "allocation"

    def get_queryset(self):
        return allocations_for(self.request.user).select_related("stream", "ccg")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        allocation = self.object
        same_stream = Allocation.objects.filter(ccg=allocation.ccg, stream=allocation.stream).select_related(
            "stream", "ccg"
        )
        expected = [
            e
            for e in expected_amounts(ccg=allocation.ccg, allocations=same_stream)
            if e.rate.covers(allocation.financial_year)
        ]
        context.update(
            expected=expected[0] if expected else None,
            rate=allocation.stream.rate_for(allocation.financial_year),
            definitions=DEFINITIONS,
            can_edit=self.request.user.has_perm("commissioning.change_allocation", allocation),
            history=history_of(allocation, limit=20),
        )
        return context

    def get_breadcrumbs(self):
        return funding_breadcrumbs(self.object.ccg) + [(f"{self.object.stream.label}, {self.object.year_label}", None)]


class AllocationUpdateView(
    LoginRequiredMixin, ObjectOnceMixin, PermissionRequiredMixin, ConcurrencyGuardMixin, SuccessMessageMixin,
    FormPageMixin, UpdateView,
):  # fmt: skip
    form_class = AllocationForm
    permission_required = "commissioning.change_allocation"
    success_message = "Saved the allocation."

    def get_queryset(self):
        return allocations_for(self.request.user).select_related("stream", "ccg")

    def get_heading(self):
        return f"Edit {self.object}"

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_breadcrumbs(self):
        return funding_breadcrumbs(self.object.ccg) + [(str(self.object.stream.label), self.object.get_absolute_url()),
                                                       ("Edit", None)]  # fmt: skip
