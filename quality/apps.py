from django.apps import AppConfig


class QualityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "quality"
    verbose_name = "Quality, resilience and contracts"

    def ready(self):
        from .profile import register_sections

        register_sections()
