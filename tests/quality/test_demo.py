"""The demo loader on Luton's real practices: prevalence from the real file, invented CQC
histories, events and concerns, a computed register; a second run adds nothing."""

from pathlib import Path

from django.conf import settings

from practices.reference import import_reference
from quality.demo import load_demo_quality
from quality.models import Concern, ContractEvent, CQCInspection, Prevalence, VulnerabilityScore

ORGANISATIONS = Path(settings.BASE_DIR) / "data" / "reference" / "qof-prevalence" / "ORGANISATION_REFERENCE_1819_v2.csv"


def test_the_demo_loads_once_and_scores_the_register(db):
    import_reference("qof-organisations", ORGANISATIONS, only_ccgs={"06P"})
    first = load_demo_quality()
    assert first["prevalence figures"] == 27 * 21
    assert first["CQC inspections"] >= 27
    assert ContractEvent.objects.exists() and Concern.objects.exists()
    assert VulnerabilityScore.objects.filter(score__gt=0).exists()
    counts = (CQCInspection.objects.count(), ContractEvent.objects.count(), Concern.objects.count())
    second = load_demo_quality()
    assert second.get("CQC inspections", 0) == 0
    assert (CQCInspection.objects.count(), ContractEvent.objects.count(), Concern.objects.count()) == counts
    assert Prevalence.objects.count() == 27 * 21
