"""Metric definitions and the recompute pages, under /metrics/."""

from django.urls import path

from . import views

app_name = "metrics"

urlpatterns = [
    path("definitions/", views.DefinitionsView.as_view(), name="definitions"),
    path("recompute/", views.RecomputeView.as_view(), name="recompute"),
    path("runs/<int:pk>/", views.RunDetailView.as_view(), name="run_detail"),
    path("runs/<int:pk>/progress/", views.RunProgressView.as_view(), name="run_progress"),
]
