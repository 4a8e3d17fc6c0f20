from django.contrib import admin
from django.urls import include, path

from accounts.views import PasswordResetDoneView, PasswordResetView
from portal.views import SignOutView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/logout/", SignOutView.as_view(), name="logout"),
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password_reset/done/", PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("plans/", include("commissioning.urls")),
    path("returns/", include("returns.urls")),
    path("access/", include("access.urls")),
    path("estates/", include("estates.urls")),
    path("metrics/", include("metrics.urls")),
    path("api/", include("api.urls")),
    path("quality/", include("quality.urls")),
    path("dashboard/", include("dashboards.urls")),
    path("", include("practices.urls")),
]
