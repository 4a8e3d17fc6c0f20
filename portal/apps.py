from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Plumbing shared by every area: view mixins, concurrency guard, display helpers."""

    name = "portal"
