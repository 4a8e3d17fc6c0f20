"""Organisation facts over time: dated commissioning status, stated populations, the GPFV
years' list size imports (QOF and payments) and the population of a cluster on a date."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from practices.models import CCG, CommissioningStatusChange, ListSize, StatedPopulation
from practices.populations import population_on
from practices.reference import import_reference
from tests.factories import ClusterMembershipFactory

DATA = Path(settings.BASE_DIR) / "data" / "reference"
EPRACCUR = DATA / "epraccur" / "epraccur.csv"
QOF_1617 = DATA / "gpfv-list-sizes" / "PREVALENCE_1617_list_sizes.csv"
PAYMENTS_1617 = DATA / "gpfv-list-sizes" / "nhs-payments-gp-2016-17-registered-patients.csv"
LUTON = {"06P"}
APRIL_2017 = dt.date(2017, 4, 1)


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\r\n".join(lines) + "\r\n")
    return path


@pytest.fixture
def luton_practices(db):
    import_reference("epraccur", EPRACCUR, only_ccgs=LUTON)


def test_status_on_takes_the_latest_change_on_or_before_the_date(luton):
    CommissioningStatusChange.objects.create(ccg=luton, status="joint", effective_from=dt.date(2016, 10, 1))
    CommissioningStatusChange.objects.create(ccg=luton, status="delegated", effective_from=APRIL_2017, source="Plan")
    assert luton.status_on(dt.date(2016, 9, 30)) is None
    assert luton.status_on(dt.date(2017, 3, 31)).status == "joint"
    assert luton.status_on(APRIL_2017).status == "delegated"
    prefetched = CCG.objects.prefetch_related("status_changes").get(pk=luton.pk)
    assert prefetched.status_on(dt.date(2017, 3, 31)).status == "joint"


def test_a_stated_population_belongs_to_a_ccg_or_a_cluster_not_both(luton, luton_cluster):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        StatedPopulation.objects.create(ccg=luton, cluster=luton_cluster, population=1, as_at=APRIL_2017, source="Plan")


def test_qof_list_sizes_are_dated_1_january_and_name_their_file(luton_practices):
    report = import_reference("qof-list-sizes", QOF_1617, only_ccgs=LUTON)
    assert report.created > 20 and report.rejected == 0
    size = ListSize.objects.filter(source_file=QOF_1617.name).first()
    assert size.extract_date == dt.date(2017, 1, 1)
    assert size.source == "NHS Digital, Quality and Outcomes Framework 2016-17, practice list size"
    again = import_reference("qof-list-sizes", QOF_1617, only_ccgs=LUTON)
    assert (again.created, again.updated) == (0, 0)


def test_qof_list_sizes_reject_a_bad_figure_by_line(luton_practices, tmp_path):
    from practices.models import Practice

    first, second = Practice.objects.order_by("ods_code").values_list("ods_code", flat=True)[:2]
    lines = ["PRACTICE_CODE,PATIENT_LIST_TYPE,PATIENT_LIST_SIZE", f"{first},TOTAL,lots", f"{second},TOTAL,5000"]
    report = import_reference("qof-list-sizes", write(tmp_path / "PREVALENCE_1617.csv", lines))
    assert [r.line for r in report.rejections] == [2]
    assert report.created == 1


def test_payments_registered_patients_become_list_sizes_beside_the_qof_figures(luton_practices, tmp_path):
    import_reference("qof-list-sizes", QOF_1617, only_ccgs=LUTON)
    report = import_reference("payments-list-sizes", PAYMENTS_1617, only_ccgs=LUTON)
    assert report.created > 20 and report.rejected == 0
    on_day = ListSize.objects.filter(practice__ods_code="E81001", extract_date=dt.date(2017, 1, 1))
    assert on_day.count() == 2
    payments = on_day.get(source_file=PAYMENTS_1617.name)
    assert payments.source.endswith("2016/17, registered patients (last known figure)")


def test_payments_list_sizes_use_the_quarter_the_file_names(luton_practices, tmp_path):
    lines = [
        "CCG Code,Practice Code,Quarter used for patient data,Number of Registered Patients (Last Known Figure)",
        "06P,E81001,Q2,3500.5",
    ]
    import_reference("payments-list-sizes", write(tmp_path / "nhs-payments-gp-2016-17.csv", lines))
    size = ListSize.objects.get()
    assert (size.extract_date, size.patients) == (dt.date(2016, 7, 1), 3501)


def test_cluster_population_on_1_april_2017_is_real_and_names_its_source(luton_practices, client, django_user_model):
    from practices.models import Cluster, Practice

    import_reference("qof-list-sizes", QOF_1617, only_ccgs=LUTON)
    cluster = Cluster.objects.create(ccg=CCG.objects.get(ods_code="06P"), name="Luton North")
    for practice in Practice.objects.filter(list_sizes__isnull=False).distinct()[:2]:
        ClusterMembershipFactory(practice=practice, cluster=cluster, start_date=dt.date(2016, 4, 1))
    population = population_on(cluster, APRIL_2017)
    assert population.patients > 0
    assert population.latest_extract == dt.date(2017, 1, 1)
    assert population.source == "NHS Digital, Quality and Outcomes Framework 2016-17, practice list size"
    assert population_on(cluster, dt.date(2016, 12, 31)).patients == 0
    StatedPopulation.objects.create(
        cluster=cluster,
        population=55_249,
        as_at=dt.date(2017, 2, 1),
        source="Luton CCG GPFV plan",
        source_file="003_a55b64613d8b5875.txt",
        note="average cluster size",
    )
    admin = django_user_model.objects.create_superuser("root", "r@example.test", "pw")
    client.force_login(admin)
    page = client.get(reverse("practices:cluster_detail", args=[cluster.pk]), {"on": "2017-04-01"}).content.decode()
    assert "Quality and Outcomes Framework 2016-17" in page
    assert "PREVALENCE_1617_list_sizes.csv" in page
    assert "55,249" in page and "003_a55b64613d8b5875.txt" in page


def test_ccg_page_lists_the_dated_statuses_with_their_sources(luton, client, django_user_model):
    CommissioningStatusChange.objects.create(
        ccg=luton, status="joint", effective_from=dt.date(2016, 10, 1), source="Luton plan (003)"
    )
    StatedPopulation.objects.create(ccg=luton, population=230_000, as_at=dt.date(2017, 2, 1), source="Luton plan")
    admin = django_user_model.objects.create_superuser("root", "r@example.test", "pw")
    client.force_login(admin)
    page = client.get(reverse("practices:ccg_detail", args=[luton.pk])).content.decode()
    assert "Commissioning status over time" in page
    assert "Luton plan (003)" in page and "Joint commissioning" in page
    assert "230,000" in page
