"""Plans, versions, actions, alignment and the action tracker."""

from django.urls import path

from ..views import plans as views

urlpatterns = [
    path("", views.PlanListView.as_view(), name="plan_list"),
    path("new/<int:ccg_pk>/", views.PlanCreateView.as_view(), name="plan_create"),
    path("<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("versions/<int:pk>/approve/", views.VersionApproveView.as_view(), name="version_approve"),
    path("versions/<int:pk>/changes/", views.VersionChangesView.as_view(), name="version_changes"),
    path("versions/<int:pk>/<slug:step>/", views.VersionActionView.as_view(), name="version_step"),
    path("<int:plan_pk>/actions/", views.ActionListView.as_view(), name="action_list"),
    path("<int:plan_pk>/actions/new/", views.ActionCreateView.as_view(), name="action_create"),
    path("<int:plan_pk>/changes/", views.PlanChangesView.as_view(), name="plan_changes"),
    path("<int:plan_pk>/alignment/", views.AlignmentView.as_view(), name="alignment"),
    path("<int:plan_pk>/export.<slug:file_format>", views.PlanExportView.as_view(), name="plan_export"),
    path("<int:plan_pk>/import/", views.TrackerImportView.as_view(), name="tracker_import"),
    path("<int:plan_pk>/import/<int:pk>/", views.TrackerImportRunView.as_view(), name="tracker_import_run"),
    path("actions/<int:pk>/", views.ActionDetailView.as_view(), name="action_detail"),
    path("actions/<int:pk>/edit/", views.ActionUpdateView.as_view(), name="action_update"),
    path("my-actions/", views.MyActionsView.as_view(), name="my_actions"),
]
