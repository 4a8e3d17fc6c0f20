"""Risk register, progress reports, milestones and trajectories."""

from django.urls import path

from ..views import progress, risks, trajectories

urlpatterns = [
    path("<int:plan_pk>/risks/", risks.RiskListView.as_view(), name="risk_list"),
    path("<int:plan_pk>/risks/export.<slug:file_format>", risks.RiskExportView.as_view(), name="risk_export"),
    path("<int:plan_pk>/risks/new/", risks.RiskCreateView.as_view(), name="risk_create"),
    path("risks/<int:pk>/", risks.RiskDetailView.as_view(), name="risk_detail"),
    path("risks/<int:pk>/edit/", risks.RiskUpdateView.as_view(), name="risk_update"),
    path("<int:plan_pk>/progress/", progress.ProgressListView.as_view(), name="progress_list"),
    path("<int:plan_pk>/progress/new/", progress.ProgressCreateView.as_view(), name="progress_create"),
    path(
        "actions/<int:action_pk>/milestones/new/", trajectories.MilestoneCreateView.as_view(), name="milestone_create"
    ),
    path("milestones/<int:pk>/edit/", trajectories.MilestoneUpdateView.as_view(), name="milestone_update"),
    path(
        "actions/<int:action_pk>/trajectories/new/",
        trajectories.TrajectoryCreateView.as_view(),
        name="trajectory_create",
    ),
    path("trajectories/<int:pk>/", trajectories.TrajectoryDetailView.as_view(), name="trajectory_detail"),
    path("trajectories/<int:pk>/edit/", trajectories.TrajectoryUpdateView.as_view(), name="trajectory_update"),
]
