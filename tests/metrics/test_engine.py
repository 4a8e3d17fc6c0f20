"""Every metric on small cases worked out by hand, the aggregation rule, percentiles and outliers,
zero patients, missing returns, a cluster whose practices changed, idempotency and problems."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from access.compliance import Provision
from commissioning.models import TrajectoryPoint
from metrics.models import Exclusion, Level, MetricDeciles, MetricValue, Outlier
from metrics.services import metrics_recompute
from practices.models import Practice
from tests.commissioning.factories import ActionFactory, PlanFactory, TrajectoryFactory
from tests.factories import ClusterFactory, ClusterMembershipFactory, PracticeFactory

from .helpers import OCTOBER_2018, Q1_2018, Q3_2017, Q4_2017, accepted_access, accepted_workforce

pytestmark = pytest.mark.django_db


def value(metric, organisation, period=Q1_2018, **filters) -> MetricValue:
    return MetricValue.objects.of(organisation).metric(metric).period(period).filter(**filters).get()


@pytest.fixture
def second_practice(luton):
    return PracticeFactory(ods_code="E81002", name="Second Surgery", ccg=luton)


@pytest.fixture
def workforce_q1(luton_practice, second_practice):
    """Practice A: 10,000 patients, 4.0 GP FTE; practice B: 5,000 patients, 1.0 GP FTE."""
    a = accepted_workforce(
        luton_practice, Q1_2018, 10_000,
        gp_partner=(4, 3.0, 1, 0), gp_salaried=(2, 1.0, 0, 0.5), practice_nurse=(3, 2.0, 1, 0),
        hca=(2, 1.5, 0, 0), receptionist=(5, 4.0, 1, 1.0),
    )  # fmt: skip
    b = accepted_workforce(second_practice, Q1_2018, 5_000, gp_partner=(2, 1.0, 2, 0), practice_nurse=(1, 1.0, 0, 0))
    return a, b


def test_workforce_metrics_of_a_practice_worked_out_by_hand(workforce_q1, luton_practice):
    metrics_recompute()

    assert value("gp_fte_per_1000", luton_practice).value == pytest.approx(0.4)
    assert value("nurse_fte_per_1000", luton_practice).value == pytest.approx(0.2)
    assert value("dpc_fte_per_1000", luton_practice).value == pytest.approx(0.15)
    assert value("admin_fte_per_1000", luton_practice).value == pytest.approx(0.4)
    assert value("patients_per_gp_fte", luton_practice).value == pytest.approx(2500)
    assert value("gp_aged_55_plus", luton_practice).value == pytest.approx(100 / 6)
    assert value("nurse_aged_55_plus", luton_practice).value == pytest.approx(100 / 3)
    # 1.5 vacant FTE out of 11.5 in post plus 1.5 vacant.
    assert value("vacancy_rate", luton_practice).value == pytest.approx(1.5 / 13 * 100)
    row = value("gp_fte_per_1000", luton_practice)
    assert (row.numerator, row.denominator, row.practices_counted) == (4.0, 10_000, 1)
    assert row.source_revision == workforce_q1[0].pk and row.source_revisions is None
    assert row.revisions == [workforce_q1[0].pk]
    assert row.ccg_id == luton_practice.ccg_id and row.stp_id == luton_practice.ccg.stp_id
    assert row.display == "0.40 FTE per 1,000 patients"


def test_a_ccg_value_comes_from_summed_numerators_and_denominators_not_an_average_of_practices(
    workforce_q1, luton, luton_practice, second_practice
):
    metrics_recompute()

    assert value("gp_fte_per_1000", second_practice).value == pytest.approx(0.2)
    ccg = value("gp_fte_per_1000", luton)
    # (4.0 + 1.0) / 15,000 patients, not the average of 0.4 and 0.2.
    assert ccg.value == pytest.approx(5 / 15)
    assert (ccg.numerator, ccg.denominator, ccg.practices_counted) == (5.0, 15_000, 2)
    assert sorted(ccg.source_revisions) == sorted(r.pk for r in workforce_q1) and ccg.source_revision is None
    assert value("patients_per_gp_fte", luton).value == pytest.approx(3000)
    stp = value("gp_fte_per_1000", luton.stp)
    assert stp.value == pytest.approx(5 / 15) and stp.level == Level.STP


def test_a_practice_with_zero_patients_has_no_value_but_its_staff_count_in_the_ccg(workforce_q1, luton):
    empty = PracticeFactory(ods_code="E81003", ccg=luton)
    accepted_workforce(empty, Q1_2018, 0, gp_partner=(1, 1.0, 0, 0))

    metrics_recompute()

    row = value("gp_fte_per_1000", empty)
    assert row.value is None
    assert (row.numerator, row.denominator) == (1.0, 0)
    assert row.benchmark_exclusion == Exclusion.SMALL_LIST
    assert value("gp_fte_per_1000", luton).value == pytest.approx(6 / 15)


def test_a_practice_without_a_return_has_no_value_and_is_not_counted(workforce_q1, luton):
    silent = PracticeFactory(ods_code="E81004", ccg=luton)

    metrics_recompute()

    assert not MetricValue.objects.for_practice(silent).exists()
    assert value("gp_fte_per_1000", luton).practices_counted == 2


def test_a_cluster_sums_the_practices_that_were_its_members_in_each_period(luton, luton_practice, second_practice):
    cluster = ClusterFactory(ccg=luton, name="Changing cluster")
    # A leaves on 1 February 2018 and B joins that day: 2017/18 Q3 is A's, Q4 is B's.
    ClusterMembershipFactory(practice=luton_practice, cluster=cluster, start_date=dt.date(2016, 4, 1),
                             end_date=dt.date(2018, 2, 1))  # fmt: skip
    ClusterMembershipFactory(practice=second_practice, cluster=cluster, start_date=dt.date(2018, 2, 1))
    for period in (Q3_2017, Q4_2017):
        accepted_workforce(luton_practice, period, 10_000, gp_partner=(4, 4.0, 0, 0))
        accepted_workforce(second_practice, period, 5_000, gp_partner=(1, 1.0, 0, 0))

    metrics_recompute()

    assert value("gp_fte_per_1000", cluster, Q3_2017).value == pytest.approx(0.4)
    assert value("gp_fte_per_1000", cluster, Q4_2017).value == pytest.approx(0.2)
    assert value("gp_fte_per_1000", cluster, Q4_2017).practices_counted == 1
    assert value("gp_fte_per_1000", cluster, Q4_2017).ccg_id == luton.pk
    in_cluster = MetricValue.objects.in_cluster(cluster, on=dt.date(2018, 3, 31)).metric("gp_fte_per_1000")
    assert set(in_cluster.values_list("org_id", flat=True)) == {second_practice.pk}


def test_change_since_the_baseline_counts_only_practices_with_both_returns(
    workforce_q1, luton, luton_practice, second_practice
):
    accepted_workforce(luton_practice, Q3_2017, 10_000, gp_partner=(3, 3.0, 0, 0), practice_nurse=(2, 1.0, 0, 0))

    metrics_recompute()

    assert value("gp_fte_change", luton_practice).value == pytest.approx(1.0)
    # Clinical: 4.0 GP + 2.0 nurse + 1.5 HCA now against 3.0 + 1.0 at the baseline.
    assert value("clinical_fte_change", luton_practice).value == pytest.approx(3.5)
    assert value("gp_fte_change", luton_practice, Q3_2017).value == 0
    assert not MetricValue.objects.for_practice(second_practice).metric("gp_fte_change").exists()
    ccg = value("gp_fte_change", luton)
    assert (ccg.value, ccg.practices_counted) == (pytest.approx(1.0), 1)
    assert ccg.display == "+1.00 FTE"


def test_gp_fte_against_the_ccgs_trajectory(workforce_q1, luton):
    trajectory = TrajectoryFactory(action=ActionFactory(plan=PlanFactory(ccg=luton)), measure="GP FTE", unit="fte")
    TrajectoryPoint.objects.create(trajectory=trajectory, period=Q1_2018, planned=Decimal("6.00"))

    metrics_recompute()

    row = value("gp_fte_against_trajectory", luton)
    assert (row.numerator, row.denominator, row.value) == (5.0, 6.0, -1.0)
    assert not MetricValue.objects.practices().metric("gp_fte_against_trajectory").exists()


@pytest.fixture
def access_october(luton_practice, second_practice, wolverhampton_practice):
    """A: 10,000 patients, fully compliant, 300 minutes; B: 5,000, no Sundays, 100 minutes;
    Wolverhampton: 7,000, 50 minutes."""
    accepted_access(luton_practice, OCTOBER_2018, 10_000)
    accepted_access(second_practice, OCTOBER_2018, 5_000, sunday_extended=Provision.NOT_OFFERED,
                    extended_access_minutes=100)  # fmt: skip
    accepted_access(wolverhampton_practice, OCTOBER_2018, 7_000, extended_access_minutes=50)


def test_access_metrics_of_a_practice_worked_out_by_hand(access_october, luton_practice):
    metrics_recompute()

    at = {"period": OCTOBER_2018}
    assert value("extended_access_full", luton_practice, **at).value == 100
    assert value("extended_access_partial", luton_practice, **at).value == 0
    assert value("extended_access_minutes_per_1000", luton_practice, **at).value == pytest.approx(30)
    # 3,000 appointments in 31 days for 10,000 patients.
    assert value("appointments_per_1000", luton_practice, **at).value == pytest.approx(3000 / (10 * 31 / 7))
    assert value("appointments_face_to_face_share", luton_practice, **at).value == pytest.approx(200 / 3)
    assert value("appointments_telephone_share", luton_practice, **at).value == pytest.approx(80 / 3)
    assert value("dna_rate", luton_practice, **at).value == pytest.approx(5)
    assert value("online_registration", luton_practice, **at).value == pytest.approx(30)
    assert value("eps_utilisation", luton_practice, **at).value == pytest.approx(80)
    assert value("ers_utilisation", luton_practice, **at).value == pytest.approx(90)
    assert value("dna_rate", luton_practice, **at).frequency == "monthly"


def test_ccg_compliance_shares_and_population_covered(access_october, luton):
    metrics_recompute()

    at = {"period": OCTOBER_2018}
    assert value("extended_access_full", luton, **at).value == 50
    assert value("extended_access_partial", luton, **at).value == 50
    assert value("extended_access_none", luton, **at).value == 0
    assert value("extended_access_population_covered", luton, **at).value == pytest.approx(200 / 3)
    assert value("extended_access_minutes_per_1000", luton, **at).value == pytest.approx(400 / 15)


def test_percentiles_among_the_ccg_and_all_practices(access_october, luton_practice, second_practice,
                                                     wolverhampton_practice):  # fmt: skip
    metrics_recompute()

    def minutes(practice):
        return value("extended_access_minutes_per_1000", practice, period=OCTOBER_2018)

    # 30, 20 and 7.1 minutes per 1,000 patients.
    assert (minutes(luton_practice).percentile_national, minutes(luton_practice).percentile_in_ccg) == (100, 100)
    assert (minutes(second_practice).percentile_national, minutes(second_practice).percentile_in_ccg) == (50, 0)
    assert minutes(wolverhampton_practice).percentile_national == 0
    assert minutes(wolverhampton_practice).percentile_in_ccg is None  # alone in its CCG
    assert (minutes(luton_practice).decile, minutes(second_practice).decile) == (10, 6)
    deciles = MetricDeciles.objects.metric("extended_access_minutes_per_1000").period(OCTOBER_2018).get()
    assert deciles.median == pytest.approx(20)
    assert deciles.practices_counted == 3
    # Compliance is a yes/no measure: no percentiles.
    assert value("extended_access_full", luton_practice, period=OCTOBER_2018).percentile_national is None


def test_closed_dormant_and_small_practices_are_left_out_of_percentiles_but_still_summed(access_october, luton):
    closed = PracticeFactory(ods_code="E81005", ccg=luton, close_date=dt.date(2018, 10, 20),
                             status=Practice.Status.CLOSED)  # fmt: skip
    dormant = PracticeFactory(ods_code="E81006", ccg=luton, status=Practice.Status.DORMANT)
    small = PracticeFactory(ods_code="E81007", ccg=luton)
    for practice, patients in ((closed, 4000), (dormant, 3000), (small, 800)):
        accepted_access(practice, OCTOBER_2018, patients, extended_access_minutes=1000)

    metrics_recompute()

    code = "extended_access_minutes_per_1000"
    assert value(code, closed, period=OCTOBER_2018).benchmark_exclusion == Exclusion.CLOSED
    assert value(code, dormant, period=OCTOBER_2018).benchmark_exclusion == Exclusion.DORMANT
    assert value(code, small, period=OCTOBER_2018).benchmark_exclusion == Exclusion.SMALL_LIST
    assert value(code, small, period=OCTOBER_2018).percentile_national is None
    assert MetricValue.objects.metric(code).period(OCTOBER_2018).benchmarked().count() == 3
    assert value(code, luton, period=OCTOBER_2018).practices_counted == 5


def test_a_value_beyond_tukeys_fences_is_an_outlier(luton):
    practices = [PracticeFactory(ods_code=f"E8110{n}", ccg=luton) for n in range(6)]
    for practice, minutes in zip(practices, (100, 110, 120, 130, 140, 1000), strict=True):
        accepted_access(practice, OCTOBER_2018, 10_000, extended_access_minutes=minutes)

    metrics_recompute()

    rows = MetricValue.objects.metric("extended_access_minutes_per_1000").practices().period(OCTOBER_2018)
    assert list(rows.outliers().values_list("org_id", "outlier")) == [(practices[-1].pk, Outlier.HIGH)]


def test_running_the_engine_twice_gives_the_same_rows(workforce_q1, access_october):
    def rows():
        fields = [f.name for f in MetricValue._meta.fields if f.name not in ("id", "computed_at")]
        return sorted(MetricValue.objects.values_list(*fields), key=repr)

    metrics_recompute()
    first = rows()
    metrics_recompute()

    assert rows() == first
    assert len(first) > 50


def test_a_return_that_cannot_be_used_is_reported_and_the_rest_are_computed(workforce_q1, luton, luton_practice):
    broken = PracticeFactory(ods_code="E81008", ccg=luton)
    accepted_workforce(broken, Q1_2018, None, gp_partner=(1, 1.0, 0, 0))

    outcome = metrics_recompute()

    assert outcome.problem_count == 1
    assert outcome.problems[0]["practice"] == "E81008"
    assert outcome.problems[0]["period"] == "2018/19 Q1"
    assert "list size" in outcome.problems[0]["reason"]
    assert value("gp_fte_per_1000", luton_practice).value == pytest.approx(0.4)


def test_a_return_without_a_list_size_counts_in_the_metrics_that_need_none(workforce_q1, luton):
    broken = PracticeFactory(ods_code="E81008", ccg=luton)
    accepted_workforce(broken, Q1_2018, None, gp_partner=(2, 1.0, 1, 0), practice_nurse=(1, 0.5, 0, 0.5))
    accepted_access(broken, OCTOBER_2018, None, appointments_dna=300)

    metrics_recompute()

    per_head = ["gp_fte_per_1000", "patients_per_gp_fte", "appointments_per_1000", "online_registration",
                "extended_access_minutes_per_1000", "extended_access_population_covered"]  # fmt: skip
    assert not MetricValue.objects.for_practice(broken).metric(per_head).exists()
    assert value("gp_aged_55_plus", broken).value == pytest.approx(50)
    assert value("vacancy_rate", broken).value == pytest.approx(0.5 / 2.0 * 100)
    assert value("dna_rate", broken, period=OCTOBER_2018).value == pytest.approx(300 / 3000 * 100)
    assert value("appointments_face_to_face_share", broken, period=OCTOBER_2018).value == pytest.approx(2000 / 30)
    # In the CCG's shares, not in its per-head figures.
    assert value("gp_aged_55_plus", luton).practices_counted == 3
    assert value("gp_fte_per_1000", luton).practices_counted == 2


def test_a_recompute_of_one_period_leaves_other_periods_alone(workforce_q1, luton_practice):
    accepted_workforce(luton_practice, Q4_2017, 10_000, gp_partner=(2, 2.0, 0, 0))
    metrics_recompute()
    before = value("gp_fte_per_1000", luton_practice, Q4_2017)

    metrics_recompute(scope={"workforce": {"quarterly": [Q1_2018.isoformat()]}})

    assert value("gp_fte_per_1000", luton_practice, Q4_2017).pk == before.pk
    assert value("gp_fte_per_1000", luton_practice).value == pytest.approx(0.4)


@pytest.mark.django_db(transaction=True)
def test_a_full_recompute_outside_a_transaction_gives_the_same_rows_as_one_period_at_a_time(
    monkeypatch, luton_practice, second_practice
):
    """Outside a transaction, on PostgreSQL, the areas run on threads of their own and access
    goes a part of its periods at a time beside the COPY: the rows must be those computed one
    period at a time in the live table."""
    from access import metric_sources

    accepted_workforce(luton_practice, Q1_2018, 10_000, gp_partner=(4, 4.0, 0, 0))
    accepted_workforce(second_practice, Q1_2018, 5_000, gp_partner=(2, 1.0, 2, 0))
    for month in (OCTOBER_2018, dt.date(2018, 11, 1), dt.date(2018, 12, 1)):
        accepted_access(luton_practice, month, 10_000)
        accepted_access(second_practice, month, 5_000, appointments_dna=90)
    monkeypatch.setattr(metric_sources, "PERIODS_PER_PART", 1)

    def rows():
        fields = [f.name for f in MetricValue._meta.fields if f.name not in ("id", "computed_at")]
        return sorted(MetricValue.objects.values_list(*fields), key=repr)

    outcome = metrics_recompute()
    whole = rows()
    MetricValue.objects.all().delete()
    metrics_recompute(scope={"workforce": {"quarterly": [Q1_2018.isoformat()]}})
    for month in (OCTOBER_2018, dt.date(2018, 11, 1), dt.date(2018, 12, 1)):
        metrics_recompute(scope={"access": {"monthly": [month.isoformat()]}})

    assert outcome.values_written == len(whole) > 100
    assert rows() == whole
    assert MetricValue.objects.for_practice(second_practice).metric("dna_rate").count() == 3


def test_practices_with_equal_stored_values_share_their_percentiles_and_decile(luton, wolverhampton):
    # 0.1 + 0.2 GP FTE sums to 0.30000000000000004, one line of 0.3 to 0.3: per 1,000 of 3,000 patients
    # they differ in the last binary digit, and are stored as the same 0.1.
    summed = [PracticeFactory(ods_code=f"E8120{n}", ccg=luton) for n in range(2)]
    single = [PracticeFactory(ods_code=f"E8121{n}", ccg=luton) for n in range(2)]
    others = [PracticeFactory(ods_code=f"E8122{n}", ccg=ccg) for n, ccg in enumerate((luton, wolverhampton))]
    for practice in summed:
        accepted_workforce(practice, Q1_2018, 3000, gp_partner=(1, 0.1, 0, 0), gp_salaried=(1, 0.2, 0, 0))
    for practice in single:
        accepted_workforce(practice, Q1_2018, 3000, gp_partner=(1, 0.3, 0, 0))
    accepted_workforce(others[0], Q1_2018, 3000, gp_partner=(1, 0.9, 0, 0))
    accepted_workforce(others[1], Q1_2018, 3000, gp_partner=(1, 0.03, 0, 0))

    metrics_recompute()

    tied = [value("gp_fte_per_1000", practice) for practice in summed + single]
    assert {row.value for row in tied} == {0.1}
    # Ranks 2 to 5 of 6 in the portal, 1 to 4 of 5 in Luton: each shares the average.
    assert {row.percentile_national for row in tied} == {50}
    assert {row.percentile_in_ccg for row in tied} == {37.5}
    assert {row.decile for row in tied} == {6}
    assert {row.outlier for row in tied} == {Outlier.NO}


def test_a_group_ranked_when_a_page_is_read_follows_the_same_tie_rule():
    from metrics.engine import percentile_among

    values = [0.30000000000000004 / 3, 0.3 / 3, 0.3, 0.01]
    assert percentile_among(0.1, values) == percentile_among(0.3 / 3, values) == 50
    assert percentile_among(0.3, values) == 100
