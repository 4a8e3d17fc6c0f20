from django.apps import AppConfig


class PracticesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "practices"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Apps above this one register the reference importers of the rows they own.
        autodiscover_modules("reference_importers")
