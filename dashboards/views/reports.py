"""Board reports of a CCG: the list of reports kept, asking for a new one, and one report
(on screen, as a page of its own to print, and as the PDF the job made)."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import DetailView, FormView
from rules.contrib.views import PermissionRequiredMixin

from portal.mixins import BreadcrumbsMixin, ObjectOnceMixin

from ..forms import BoardReportForm
from ..models import BoardReport
from ..services import board_report_request
from ..visibility import reports_for
from .ccg import CCGDashboardMixin


class BoardReportListView(LoginRequiredMixin, CCGDashboardMixin, BreadcrumbsMixin, FormView):
    """Every board report kept for the CCG, newest first; commissioners ask for a new one here."""

    template_name = "dashboards/report_list.html"
    permission_required = "dashboards.view_boardreport"
    form_class = BoardReportForm

    def can_add(self) -> bool:
        return self.request.user.has_perm("dashboards.add_boardreport", self.ccg)

    def get_form_kwargs(self):
        period, options = self.period_and_options
        return {**super().get_form_kwargs(), "periods": options, "initial_period": period}

    def post(self, request, *args, **kwargs):
        if not self.can_add():
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        report = board_report_request(
            ccg=self.ccg, period=data["period"], meeting=data["meeting"], meeting_date=data["meeting_date"],
            user=self.request.user,
        )  # fmt: skip
        messages.success(
            self.request, f"The board report for {report.period_label} is being made; it appears below when ready."
        )
        return redirect(report)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            ccg=self.ccg,
            reports=BoardReport.objects.filter(ccg=self.ccg).select_related("requested_by").defer("html", "pdf"),
            can_add=self.can_add(),
        )
        return context

    def get_breadcrumbs(self):
        return [
            ("Home", reverse("practices:home")),
            (f"{self.ccg.name} dashboard", reverse("dashboards:ccg", args=[self.ccg.pk])),
            ("Board reports", None),
        ]


class BoardReportDetailView(LoginRequiredMixin, ObjectOnceMixin, PermissionRequiredMixin, BreadcrumbsMixin, DetailView):
    template_name = "dashboards/report_detail.html"
    permission_required = "dashboards.view_boardreport"
    context_object_name = "report"

    def get_queryset(self):
        return reports_for(self.request.user).select_related("ccg", "requested_by").defer("pdf")

    def get_permission_object(self):
        return self.get_object().ccg

    def get_breadcrumbs(self):
        report = self.object
        return [
            ("Home", reverse("practices:home")),
            (f"{report.ccg.name} dashboard", reverse("dashboards:ccg", args=[report.ccg_id])),
            ("Board reports", reverse("dashboards:report_list", args=[report.ccg_id])),
            (f"{report.period_label}, {report.meeting}", None),
        ]


class BoardReportPrintView(BoardReportDetailView):
    """The report alone on a page, laid out for paper (print styles): print it or save it as PDF."""

    template_name = "dashboards/report_print.html"


class BoardReportPDFView(BoardReportDetailView):
    """The PDF the job made of the report, as a download, behind the same access check."""

    def get_queryset(self):
        return reports_for(self.request.user).filter(pdf_size__isnull=False).select_related("ccg")

    def get(self, request, *args, **kwargs):
        report = self.get_object()
        return FileResponse(
            io.BytesIO(bytes(report.pdf)), as_attachment=True, filename=report.pdf_filename,
            content_type="application/pdf",
        )  # fmt: skip
