from django.urls import path

from . import views

app_name = "practices"

urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/", views.STPListView.as_view(), name="stp_list"),
    path("stps/<int:pk>/", views.STPDetailView.as_view(), name="stp_detail"),
    path("ccgs/<int:pk>/", views.CCGDetailView.as_view(), name="ccg_detail"),
    path("ccgs/<int:ccg_pk>/clusters/new/", views.ClusterCreateView.as_view(), name="cluster_create"),
    path("ccgs/<int:ccg_pk>/practices/new/", views.PracticeCreateView.as_view(), name="practice_create"),
    path("clusters/<int:pk>/", views.ClusterDetailView.as_view(), name="cluster_detail"),
    path("clusters/<int:pk>/edit/", views.ClusterUpdateView.as_view(), name="cluster_update"),
    path("practices/", views.PracticeListView.as_view(), name="practice_list"),
    path("practices/<int:pk>/", views.PracticeDetailView.as_view(), name="practice_detail"),
    path("practices/<int:pk>/edit/", views.PracticeUpdateView.as_view(), name="practice_update"),
    path("practices/<int:pk>/cluster/", views.PracticeMoveClusterView.as_view(), name="practice_move_cluster"),
    path("practices/<int:practice_pk>/sites/new/", views.SiteCreateView.as_view(), name="site_create"),
    path("sites/<int:pk>/edit/", views.SiteUpdateView.as_view(), name="site_update"),
    path("reference/import/", views.ReferenceImportView.as_view(), name="reference_import"),
    path("reference/import/<int:pk>/", views.ReferenceImportRunView.as_view(), name="reference_import_run"),
]
