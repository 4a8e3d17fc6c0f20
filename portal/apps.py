from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Plumbing shared by every area: view mixins, concurrency guard, display helpers."""

    name = "portal"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Each area's ``todo`` registers what its people find on the home page (``portal.todo``).
        autodiscover_modules("todo")
