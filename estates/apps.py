from django.apps import AppConfig


class EstatesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "estates"
    verbose_name = "Estates and infrastructure"

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers
