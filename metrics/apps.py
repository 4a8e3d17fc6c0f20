from django.apps import AppConfig


class MetricsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "metrics"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Each area's ``metric_sources`` registers what the engine reads of its returns.
        autodiscover_modules("metric_sources")
