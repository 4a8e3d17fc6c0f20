"""Comparison groups on the practice profile: the CCG, all practices, and the practices of the
same deprivation decile; the IMD score on the profile and the vulnerable practice register."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dashboards.benchmarking import SMALLEST_GROUP, Group, comparison_groups, own_values, positions
from metrics.models import Exclusion
from practices.models import Practice
from tests.factories import CCGFactory, DeprivationScoreFactory, PracticeFactory
from tests.quality.factories import VulnerabilityScoreFactory

from .helpers import Q3, metric_value

pytestmark = pytest.mark.django_db


@pytest.fixture
def deciles(luton, luton_practice):
    """The Luton practice in IMD 2019 decile 2 with five practices elsewhere; others in decile 3 or of IMD 2015."""
    elsewhere = CCGFactory(ods_code="00K", name="NHS Elsewhere CCG")
    DeprivationScoreFactory(practice=luton_practice, decile=2)
    same = [PracticeFactory(ods_code=f"A8100{n}", ccg=elsewhere) for n in range(1, 6)]
    for practice in same:
        DeprivationScoreFactory(practice=practice, decile=2)
    other_decile = PracticeFactory(ods_code="A81010", ccg=elsewhere)
    DeprivationScoreFactory(practice=other_decile, decile=3)
    other_index = PracticeFactory(ods_code="A81011", ccg=elsewhere)
    DeprivationScoreFactory(practice=other_index, index="IMD 2015", decile=2)
    neighbours = [PracticeFactory(ods_code=f"E8100{n}", ccg=luton) for n in range(2, 6)]
    return {"same": same, "other_decile": other_decile, "other_index": other_index, "neighbours": neighbours}


def group(practice, key):
    return next(g for g in comparison_groups(practice, practice.deprivation()) if g.key == key)


def test_the_deprivation_decile_group_is_the_practices_of_the_same_index_and_decile(luton_practice, deciles):
    peers = group(luton_practice, Group.DEPRIVATION)

    assert peers.label == "Practices in the same deprivation decile (IMD 2019 decile 2 of 10)"
    assert set(peers.practices) == {luton_practice, *deciles["same"]}
    assert set(group(luton_practice, Group.CCG).practices) == {luton_practice, *deciles["neighbours"]}
    assert group(luton_practice, Group.ALL).practices is None


def test_a_practice_without_a_score_has_no_deprivation_group(wolverhampton_practice):
    assert [g.key for g in comparison_groups(wolverhampton_practice, None)] == [Group.CCG, Group.ALL]


def test_positions_rank_the_practice_among_each_groups_values_of_the_same_period(luton_practice, deciles, root):
    metric_value(luton_practice, "dna_rate", Q3, 5.0)
    for practice, value in zip(deciles["same"], [1.0, 2.0, 3.0, 6.0, 7.0], strict=True):
        metric_value(practice, "dna_rate", Q3, value)
    metric_value(deciles["other_decile"], "dna_rate", Q3, 100.0)
    metric_value(deciles["same"][0], "dna_rate", Q3.replace(month=7), 100.0)  # another period
    metric_value(deciles["same"][1], "dna_rate", Q3, 50.0, frequency="monthly")  # another frequency
    for practice in deciles["neighbours"]:
        metric_value(practice, "dna_rate", Q3, 5.0)  # equal values share a percentile

    own = own_values(luton_practice, root, ["dna_rate"], Q3)
    found = {
        p.group.key: p
        for p in positions(luton_practice, own, comparison_groups(luton_practice, luton_practice.deprivation()))
    }

    decile = found[Group.DEPRIVATION]
    assert (decile.practices_compared, decile.median, decile.percentile) == (6, 4.0, 60.0)
    ccg = found[Group.CCG]
    assert (ccg.practices_compared, ccg.median, ccg.percentile) == (5, 5.0, 50.0)
    everyone = found[Group.ALL]
    assert everyone.practices_compared == 11 and everyone.median == 5.0


def test_a_group_too_small_or_a_practice_left_out_of_benchmarking_gets_no_percentile(luton_practice, deciles, root):
    metric_value(luton_practice, "dna_rate", Q3, 5.0)
    metric_value(deciles["same"][0], "dna_rate", Q3, 4.0)
    metric_value(luton_practice, "gp_fte_per_1000", Q3, 0.5, benchmark_exclusion=Exclusion.SMALL_LIST)

    own = own_values(luton_practice, root, ["dna_rate", "gp_fte_per_1000"], Q3)
    found = {
        (p.metric, p.group.key): p for p in positions(luton_practice, own, [group(luton_practice, Group.DEPRIVATION)])
    }

    small = found["dna_rate", Group.DEPRIVATION]
    assert (small.percentile, small.note) == (None, f"Fewer than {SMALLEST_GROUP} practices to compare with")
    assert found["gp_fte_per_1000", Group.DEPRIVATION].note.startswith("Not benchmarked: fewer than")


def test_the_profile_shows_the_imd_score_and_compares_with_the_deprivation_decile(client, bob, luton_practice, deciles):
    metric_value(luton_practice, "dna_rate", Q3, 5.0)
    for practice, value in zip(deciles["same"], [1.0, 2.0, 3.0, 6.0, 7.0], strict=True):
        metric_value(practice, "dna_rate", Q3, value)
    client.force_login(bob)

    text = client.get(reverse("dashboards:practice_profile", args=[luton_practice.pk])).text

    assert "IMD 2019 deprivation score 32.4 (2019), decile 2 of 10 in England (1 most deprived)" in text
    assert ">Compared with other practices</h2>" in text
    assert "Practices in the same deprivation decile (IMD 2019 decile 2 of 10)" in text
    assert "among the 6,545 practices of England (1 is the most deprived)" in text


def test_the_vulnerable_practice_register_shows_each_practices_imd_score(client, carol, luton, luton_practice):
    DeprivationScoreFactory(practice=luton_practice, decile=2)
    VulnerabilityScoreFactory(practice=luton_practice)
    client.force_login(carol)

    text = client.get(reverse("quality:register", args=[luton.pk])).content.decode()

    assert "Deprivation <span" in text
    assert "32.4; decile 2" in text


def test_peers_of_practices_queryset_filters_by_index_and_decile(deciles):
    found = set(Practice.objects.in_deprivation_decile("IMD 2019", 3))
    assert found == {deciles["other_decile"]}
