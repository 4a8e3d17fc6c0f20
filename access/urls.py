"""Extended access pages, under /access/. The access return itself is on the returns pages."""

from django.urls import path

from . import views

app_name = "access"

urlpatterns = [
    path("", views.AccessIndexView.as_view(), name="index"),
    path("ccg/<int:pk>/", views.CCGAccessView.as_view(), name="ccg_access"),
]
