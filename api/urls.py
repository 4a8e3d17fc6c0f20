"""The read API, under /api/."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False
router.register("practices", views.PracticeViewSet, basename="practice")
router.register("stps", views.STPViewSet, basename="stp")
router.register("ccgs", views.CCGViewSet, basename="ccg")
router.register("clusters", views.ClusterViewSet, basename="cluster")
router.register("metric-values", views.MetricValueViewSet, basename="metric-value")
router.register("metrics", views.MetricDefinitionViewSet, basename="metric")
router.register("plan-actions", views.ActionViewSet, basename="plan-action")

urlpatterns = [
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("token/", views.TokenView.as_view(), name="token"),
    path("", include(router.urls)),
]
