from django.urls import path

from .views import ccg, cluster, profile, reports

app_name = "dashboards"

urlpatterns = [
    path("", ccg.DashboardIndexView.as_view(), name="index"),
    path("ccg/<int:pk>/", ccg.CCGDashboardView.as_view(), name="ccg"),
    path("ccg/<int:pk>/<slug:table>.csv", ccg.CCGDashboardCSVView.as_view(), name="ccg_csv"),
    path("ccg/<int:pk>/reports/", reports.BoardReportListView.as_view(), name="report_list"),
    path("reports/<int:pk>/", reports.BoardReportDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/print/", reports.BoardReportPrintView.as_view(), name="report_print"),
    path("reports/<int:pk>/pdf/", reports.BoardReportPDFView.as_view(), name="report_pdf"),
    path("cluster/<int:pk>/", cluster.ClusterDashboardView.as_view(), name="cluster"),
    path("cluster/<int:pk>/practices.csv", cluster.ClusterDashboardCSVView.as_view(), name="cluster_csv"),
    path("practice/<int:pk>/", profile.PracticeProfileView.as_view(), name="practice_profile"),
    path("practice/<int:pk>/<slug:key>.csv", profile.PracticeProfileCSVView.as_view(), name="practice_profile_csv"),
]
