from django.apps import AppConfig


class QualityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "quality"
    verbose_name = "Quality, resilience and contracts"

    def ensure_reference_data(self) -> None:
        """The default scoring rules, when a flushed database has lost them."""
        from .defaults import load_default_scoring_rules
        from .models import ScoringRule

        if not ScoringRule.objects.filter(ccg__isnull=True).exists():
            load_default_scoring_rules()

    def ready(self):
        from metrics.signals import recompute_finished

        from .profile import register_sections
        from .tasks import rescore_after_recompute

        register_sections()
        recompute_finished.connect(rescore_after_recompute, dispatch_uid="quality-rescore-after-recompute")
