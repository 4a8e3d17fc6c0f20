from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """Dashboards, the practice profile's own sections, board reports and the monthly digest."""

    name = "dashboards"

    def ready(self):
        from . import profile, rules  # noqa: F401  registers the profile sections and permissions

        profile.register()
