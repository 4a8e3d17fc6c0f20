import pytest

from commissioning.models import Chapter, HighImpactAction, NationalCommitment
from commissioning.national_frame import load_national_frame


@pytest.fixture(autouse=True)
def national_frame(db):
    """The frame comes from a data migration, which a transactional test's flush removes."""
    load_national_frame(Chapter, NationalCommitment, HighImpactAction)
