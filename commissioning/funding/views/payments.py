"""NHS payments to general practice: one practice against its CCG's distribution, and a
CCG's totals by payment line, with every practice's payments per registered patient."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from portal.mixins import BreadcrumbsMixin
from portal.periods import FinancialYear
from practices.visibility import CCGScopedMixin, practices_for, roles_of

from ..charts import distribution_figure, distribution_text
from ..exports import cluster_payments_dataset, payments_across_years_dataset, payments_dataset
from ..models import PaymentLine, PracticePayment
from ..payments_across_years import DEFINITION as ACROSS_YEARS_DEFINITION
from ..payments_across_years import payments_across_years
from ..selectors import ccg_payments, funding_summary, payment_distribution, payment_years
from ..visibility import payments_for
from .common import download, funding_breadcrumbs
from .summary import selected_year

PER_PATIENT = (
    "Payments per registered patient: total NHS payments to the practice in the year (before deductions) "
    "divided by its registered patients (the last known figure in the year), to the penny, as NHS Digital works "
    "out its 'average payments per registered patient'."
)


class PracticePaymentsView(LoginRequiredMixin, BreadcrumbsMixin, TemplateView):
    """What one practice was paid, line by line, and where it sits among its CCG's practices."""

    template_name = "commissioning/funding/practice_payments.html"

    @cached_property
    def practice(self):
        return get_object_or_404(practices_for(self.request.user).select_related("ccg"), pk=self.kwargs["practice_pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        practice = self.practice
        payments = {
            p.financial_year: p for p in payments_for(self.request.user).filter(practice=practice).select_related("ccg")
        }
        years = sorted(payments, reverse=True)
        year = selected_year(self.request, years) or (years[0] if years else None)
        payment = payments.get(year)
        context.update(practice=practice, years=[(y, str(FinancialYear(y))) for y in years], year=year, payment=payment)
        if payment is None:
            return context
        distribution = payment_distribution(ccg=payment.ccg_id, start_year=year)
        roles = roles_of(self.request.user)
        context.update(
            lines=payment.lines.within_total().order_by("-amount"),
            beside_lines=payment.lines.beside_total().order_by("-amount"),
            distribution=distribution,
            rank=distribution.rank_of(payment.per_registered_patient) if payment.per_registered_patient else None,
            chart_json=distribution_figure(
                distribution.values, highlight=payment.per_registered_patient, highlight_name=practice.name
            ).to_json()
            if distribution.count
            else None,
            chart_summary=distribution_text(
                distribution.values, highlight=payment.per_registered_patient, highlight_name=practice.name
            )
            if distribution.count
            else "",
            reads_ccg=roles.is_admin or payment.ccg_id in roles.ccg_ids,
            per_patient_definition=PER_PATIENT,
        )
        return context

    def get_breadcrumbs(self):
        return funding_breadcrumbs() + [(f"Payments to {self.practice.name}", None)]


class CCGPaymentsView(LoginRequiredMixin, CCGScopedMixin, BreadcrumbsMixin, TemplateView):
    """A CCG's payments to its practices by line, beside its GP Forward View streams, and per practice."""

    template_name = "commissioning/funding/ccg_payments.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ccg = self.ccg
        years = payment_years(ccg)
        year = selected_year(self.request, years) or (years[0] if years else None)
        context.update(ccg=ccg, years=[(y, str(FinancialYear(y))) for y in years], year=year)
        if year is None:
            return context
        totals = ccg_payments(ccg=ccg, start_year=year)
        summary = funding_summary(ccg=ccg)
        payments = (
            PracticePayment.objects.in_ccg(ccg)
            .in_year(year)
            .select_related("practice")
            .order_by("-per_registered_patient", "practice__name")
        )
        context.update(
            totals=totals,
            gpfv_line=totals.line(PaymentLine.Kind.GPFV) if totals else None,
            streams=summary.in_year(year),
            streams_total=summary.total(summary.in_year(year)),
            payments=payments,
            distribution=payment_distribution(ccg=ccg, start_year=year),
            per_patient_definition=PER_PATIENT,
        )
        return context

    def get_breadcrumbs(self):
        return funding_breadcrumbs(self.ccg) + [("NHS payments to practices", None)]


class CCGPaymentsExportView(LoginRequiredMixin, CCGScopedMixin, View):
    def get(self, request, *args, **kwargs):
        years = payment_years(self.ccg)
        year = selected_year(request, years) or (years[0] if years else None)
        if year is None:
            raise Http404("No payments recorded for this CCG.")
        payments = PracticePayment.objects.in_ccg(self.ccg).in_year(year).select_related("practice", "ccg")
        return download(
            payments_dataset(payments.order_by("practice__ods_code")),
            file_format=self.kwargs["file_format"],
            name=f"{self.ccg.ods_code} NHS payments {FinancialYear(year)}",
        )


class CCGPaymentsAcrossYearsView(LoginRequiredMixin, CCGScopedMixin, BreadcrumbsMixin, TemplateView):
    """A CCG's practices' payments in every year imported, beside its own funding, and by cluster."""

    template_name = "commissioning/funding/ccg_payments_years.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(ccg=self.ccg, across=payments_across_years(ccg=self.ccg), definition=ACROSS_YEARS_DEFINITION)
        return context

    def get_breadcrumbs(self):
        return funding_breadcrumbs(self.ccg) + [
            ("NHS payments to practices", reverse("commissioning:ccg_payments", args=[self.ccg.pk])),
            ("Across the years", None),
        ]


class CCGPaymentsAcrossYearsExportView(LoginRequiredMixin, CCGScopedMixin, View):
    def get(self, request, *args, **kwargs):
        across = payments_across_years(ccg=self.ccg)
        if not across.years:
            raise Http404("No payments recorded for this CCG.")
        datasets = {"practices": payments_across_years_dataset, "clusters": cluster_payments_dataset}
        if self.kwargs["table"] not in datasets:
            raise Http404
        first, last = FinancialYear(across.years[0]), FinancialYear(across.years[-1])
        return download(
            datasets[self.kwargs["table"]](across),
            file_format=self.kwargs["file_format"],
            name=f"{self.ccg.ods_code} NHS payments {self.kwargs['table']} {first} to {last}",
        )
