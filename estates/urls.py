from django.urls import path

from .views import capacity, digital, home, premises, schemes

app_name = "estates"

urlpatterns = [
    path("", home.EstatesHomeView.as_view(), name="overview"),
    # The premises register
    path("premises/", premises.PremisesListView.as_view(), name="premises_list"),
    path("premises/record-site/", premises.SiteRecordPickView.as_view(), name="site_record_pick"),
    path("practices/<int:practice_pk>/sites/new/", premises.SiteRecordView.as_view(), name="site_record"),
    path("sites/<int:site_pk>/", premises.PremisesDetailView.as_view(), name="premises_detail"),
    path("sites/<int:site_pk>/premises/new/", premises.PremisesCreateView.as_view(), name="premises_create"),
    path("sites/<int:site_pk>/premises/edit/", premises.PremisesUpdateView.as_view(), name="premises_update"),
    path("sites/<int:site_pk>/sharing/new/", premises.OccupancyCreateView.as_view(), name="occupancy_create"),
    path("sharing/<int:pk>/edit/", premises.OccupancyUpdateView.as_view(), name="occupancy_update"),
    # Capacity
    path("capacity/", capacity.CapacityIndexView.as_view(), name="capacity"),
    path("ccgs/<int:ccg_pk>/capacity/", capacity.CCGCapacityView.as_view(), name="ccg_capacity"),
    path(
        "ccgs/<int:ccg_pk>/capacity/export.<slug:file_format>",
        capacity.CCGCapacityExportView.as_view(),
        name="ccg_capacity_export",
    ),
    path("ccgs/<int:ccg_pk>/capacity/refresh/", capacity.CapacityRefreshView.as_view(), name="capacity_refresh"),
    path("ccgs/<int:ccg_pk>/settings/", capacity.EstatesSettingsUpdateView.as_view(), name="settings_update"),
    path("clusters/<int:cluster_pk>/", capacity.ClusterCapacityView.as_view(), name="cluster_capacity"),
    path("clusters/<int:cluster_pk>/housing/new/", capacity.HousingGrowthCreateView.as_view(), name="housing_create"),
    path("housing/<int:pk>/edit/", capacity.HousingGrowthUpdateView.as_view(), name="housing_update"),
    # Schemes
    path("schemes/", schemes.SchemeListView.as_view(), name="scheme_list"),
    path("schemes/new/", schemes.SchemeCreateView.as_view(), name="scheme_create"),
    path("schemes/<int:pk>/", schemes.SchemeDetailView.as_view(), name="scheme_detail"),
    path("schemes/<int:pk>/edit/", schemes.SchemeUpdateView.as_view(), name="scheme_update"),
    path("schemes/<int:pk>/status/", schemes.SchemeStatusView.as_view(), name="scheme_status"),
    path("schemes/<int:pk>/milestones/new/", schemes.MilestoneCreateView.as_view(), name="milestone_create"),
    path("milestones/<int:pk>/edit/", schemes.MilestoneUpdateView.as_view(), name="milestone_update"),
    # Practice IT
    path("practices/<int:practice_pk>/it/", digital.PracticeITView.as_view(), name="practice_it"),
    path("practices/<int:practice_pk>/it/edit/", digital.PracticeITUpdateView.as_view(), name="practice_it_update"),
    path("ccgs/<int:ccg_pk>/digital/", digital.DigitalReadinessView.as_view(), name="digital_readiness"),
]
