from django.urls import path

from .views import concerns, contracts, cqc, register

app_name = "quality"

urlpatterns = [
    path("", register.QualityIndexView.as_view(), name="index"),
    path("ccgs/<int:ccg_pk>/register/", register.RegisterView.as_view(), name="register"),
    path("ccgs/<int:ccg_pk>/register/recompute/", register.RecomputeView.as_view(), name="recompute"),
    path("ccgs/<int:ccg_pk>/scoring-rules/", register.ScoringRulesView.as_view(), name="scoring_rules"),
    path("ccgs/<int:ccg_pk>/contract-events/", contracts.ContractEventListView.as_view(), name="contract_event_list"),
    path("ccgs/<int:ccg_pk>/risk-log/", concerns.ConcernListView.as_view(), name="concern_list"),
    path(
        "practices/<int:practice_pk>/vulnerability/",
        register.PracticeVulnerabilityView.as_view(),
        name="practice_vulnerability",
    ),
    path("practices/<int:practice_pk>/support/new/", register.SupportOfferCreateView.as_view(), name="support_create"),
    path("support/<int:pk>/edit/", register.SupportOfferUpdateView.as_view(), name="support_update"),
    path(
        "practices/<int:practice_pk>/contract-events/new/",
        contracts.ContractEventCreateView.as_view(),
        name="contract_event_create",
    ),
    path("contract-events/<int:pk>/", contracts.ContractEventDetailView.as_view(), name="contract_event_detail"),
    path("contract-events/<int:pk>/edit/", contracts.ContractEventUpdateView.as_view(), name="contract_event_update"),
    path(
        "contract-events/<int:pk>/decision/", contracts.ContractEventDecideView.as_view(), name="contract_event_decide"
    ),
    path("practices/<int:practice_pk>/concerns/new/", concerns.ConcernCreateView.as_view(), name="concern_create"),
    path("concerns/<int:pk>/edit/", concerns.ConcernUpdateView.as_view(), name="concern_update"),
    path("cqc/import/", cqc.CQCImportView.as_view(), name="cqc_import"),
    path("cqc/import/<int:pk>/", cqc.CQCImportRunView.as_view(), name="cqc_import_run"),
    path("practices/<int:practice_pk>/cqc/new/", cqc.CQCInspectionCreateView.as_view(), name="cqc_create"),
    path(
        "practices/<int:practice_pk>/cqc/enforcement/new/",
        cqc.CQCEnforcementCreateView.as_view(),
        name="enforcement_create",
    ),
]
