from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "commissioning"

    def ensure_reference_data(self) -> None:
        """The GPFV frame and funding streams, when a flushed database has lost them."""
        from .funding.models import FundingStream, StreamRate
        from .funding.streams import load_funding_streams
        from .models import Chapter, HighImpactAction, NationalCommitment
        from .national_frame import load_national_frame

        if not (Chapter.objects.exists() and HighImpactAction.objects.exists()):
            load_national_frame(Chapter, NationalCommitment, HighImpactAction)
        if not FundingStream.objects.exists():
            load_funding_streams(FundingStream, StreamRate)
