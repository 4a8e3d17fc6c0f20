"""Funding pages under /plans/funding/, merged into the ``commissioning`` namespace."""

from django.urls import path

from .views import payments, schemes, streams, summary

urlpatterns = [
    path("funding/", summary.FundingHomeView.as_view(), name="funding_home"),
    # Streams, their rates and rules
    path("funding/streams/", streams.StreamListView.as_view(), name="funding_stream_list"),
    path("funding/streams/new/", streams.StreamCreateView.as_view(), name="funding_stream_create"),
    path(
        "funding/ccg/<int:ccg_pk>/streams/new/",
        streams.StreamCreateView.as_view(),
        name="funding_stream_create_for_ccg",
    ),
    path("funding/streams/<int:pk>/", streams.StreamDetailView.as_view(), name="funding_stream_detail"),
    path("funding/streams/<int:pk>/edit/", streams.StreamUpdateView.as_view(), name="funding_stream_update"),
    path("funding/streams/<int:stream_pk>/rates/new/", streams.RateCreateView.as_view(), name="funding_rate_create"),
    path("funding/rates/<int:pk>/edit/", streams.RateUpdateView.as_view(), name="funding_rate_update"),
    path("funding/streams/<int:stream_pk>/rules/new/", streams.RuleCreateView.as_view(), name="funding_rule_create"),
    path(
        "funding/ccg/<int:ccg_pk>/streams/<int:stream_pk>/rules/new/",
        streams.RuleCreateView.as_view(),
        name="funding_rule_create_for_ccg",
    ),
    path("funding/rules/<int:pk>/edit/", streams.RuleUpdateView.as_view(), name="funding_rule_update"),
    # A CCG's summary and allocations
    path("funding/ccg/<int:ccg_pk>/", summary.FundingSummaryView.as_view(), name="funding_summary"),
    path(
        "funding/ccg/<int:ccg_pk>/summary.<slug:file_format>",
        summary.SummaryExportView.as_view(),
        name="funding_summary_export",
    ),
    path("funding/ccg/<int:ccg_pk>/allocations/new/", summary.AllocationCreateView.as_view(), name="allocation_create"),
    path("funding/allocations/<int:pk>/", summary.AllocationDetailView.as_view(), name="allocation_detail"),
    path("funding/allocations/<int:pk>/edit/", summary.AllocationUpdateView.as_view(), name="allocation_update"),
    # Schemes
    path("funding/schemes/", schemes.SchemeListView.as_view(), name="scheme_list"),
    path("funding/schemes.<slug:file_format>", schemes.SchemeExportView.as_view(), name="scheme_export"),
    path("funding/ccg/<int:ccg_pk>/schemes/new/", schemes.SchemeCreateView.as_view(), name="scheme_create"),
    path("funding/schemes/<int:pk>/", schemes.SchemeDetailView.as_view(), name="scheme_detail"),
    path("funding/schemes/<int:pk>/edit/", schemes.SchemeUpdateView.as_view(), name="scheme_update"),
    path("funding/schemes/<int:pk>/decide/", schemes.SchemeDecideView.as_view(), name="scheme_decide"),
    path("funding/schemes/<int:pk>/spend/", schemes.SchemeSpendView.as_view(), name="scheme_spend"),
    path(
        "funding/schemes/<int:pk>/milestones/new/",
        schemes.MilestoneCreateView.as_view(),
        name="scheme_milestone_create",
    ),
    path("funding/milestones/<int:pk>/edit/", schemes.MilestoneUpdateView.as_view(), name="scheme_milestone_update"),
    path("funding/schemes/<int:pk>/<slug:step>/", schemes.SchemeStepView.as_view(), name="scheme_step"),
    # NHS payments to practices
    path("funding/ccg/<int:ccg_pk>/payments/", payments.CCGPaymentsView.as_view(), name="ccg_payments"),
    path(
        "funding/ccg/<int:ccg_pk>/payments.<slug:file_format>",
        payments.CCGPaymentsExportView.as_view(),
        name="ccg_payments_export",
    ),
    path(
        "funding/ccg/<int:ccg_pk>/payments/years/",
        payments.CCGPaymentsAcrossYearsView.as_view(),
        name="ccg_payments_years",
    ),
    path(
        "funding/ccg/<int:ccg_pk>/payments/years/<slug:table>.<slug:file_format>",
        payments.CCGPaymentsAcrossYearsExportView.as_view(),
        name="ccg_payments_years_export",
    ),
    path(
        "funding/practices/<int:practice_pk>/payments/",
        payments.PracticePaymentsView.as_view(),
        name="practice_payments",
    ),
]
