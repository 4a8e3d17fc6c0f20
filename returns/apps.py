from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "returns"
    verbose_name = "Returns"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Each area registers its kinds of return in <app>/return_types.py.
        autodiscover_modules("return_types")
