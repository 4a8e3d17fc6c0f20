from django.apps import AppConfig


class EstatesConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'estates'
