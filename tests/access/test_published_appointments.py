"""NHS Digital's published appointments (GPAD): the import on small cuts of the real layout,
and the CCG access page's figures, merged areas and access rules."""

import datetime as dt

import pytest
from django.urls import reverse

from access.models import PublishedAppointments
from access.published import published_area, published_months
from metrics import definitions as d
from practices.models import SubICBLocation
from practices.reference import import_reference
from tests.factories import CCGFactory, CCGMembershipFactory, ListSizeFactory, PracticeFactory

HEADER = (
    "CCG_CODE,CCG_ONS_CODE,CCG_NAME,STP_ONS,STPNM,REGION_ONS_CODE,REGION_NAME,Appointment_Month,APPT_STATUS,"
    "HCP_TYPE,APPT_MODE,TIME_BETWEEN_BOOK_AND_APPT,COUNT_OF_APPOINTMENTS"
)
LUTON_AREA = (
    'M1J4Y,E38000249,"NHS Bedfordshire, Luton and Milton Keynes CCG",E54000024,BLMK STP,E40000007,East of England'
)


def write(tmp_path, lines, header=HEADER, name="Regional_CSV_BedsLutonMK.csv"):
    path = tmp_path / name
    path.write_text("\r\n".join([header, *lines]) + "\r\n")
    return path


@pytest.fixture
def blmk(luton):
    """Luton's practices, and Bedfordshire and Milton Keynes (the other two CCGs of M1J4Y), each with patients."""
    bedfordshire = CCGFactory(ods_code="06F", name="NHS Bedfordshire CCG")
    milton_keynes = CCGFactory(ods_code="04F", name="NHS Milton Keynes CCG")
    for ccg, code, patients in ((luton, "E81001", 10_000), (bedfordshire, "E81002", 20_000),
                                (milton_keynes, "E81003", 10_000)):  # fmt: skip
        practice = PracticeFactory(ods_code=code, ccg=ccg)
        CCGMembershipFactory(practice=practice)
        ListSizeFactory(practice=practice, patients=patients, extract_date=dt.date(2019, 1, 1))
    return luton


CUT = [
    # March 2019: the three predecessors' rows under the merged code, one cell twice.
    f"{LUTON_AREA},MAR2019,Attended,GP,Face-to-Face,Same Day,6000",
    f"{LUTON_AREA},MAR2019,Attended,GP,Face-to-Face,Same Day,4000",
    f"{LUTON_AREA},MAR2019,Attended,Other Practice staff,Telephone,2 to 7 Days,5000",
    f"{LUTON_AREA},MAR2019,DNA,GP,Face-to-Face,15  to 21 Days,1000",
    f"{LUTON_AREA},MAR2019,Unknown,Unknown,Video/Online,Unknown / Data Issue,500",
    f"{LUTON_AREA},MAR2019,Attended,GP,Home Visit,1 Day,1500",
    f"{LUTON_AREA},MAR2019,Attended,GP,Unknown,1 Day,2000",
]


def test_the_import_keeps_each_figure_adds_the_predecessors_rows_and_names_what_it_leaves_out(tmp_path, blmk):
    report = import_reference("appointments", write(tmp_path, CUT))
    assert (report.created, report.rejected) == (7, 0)
    assert PublishedAppointments.objects.count() == 6
    same_day = PublishedAppointments.objects.get(mode="face_to_face", time_from_booking="Same Day")
    assert (same_day.ccg_code, same_day.month, same_day.status, same_day.appointments) == (
        "M1J4Y", dt.date(2019, 3, 1), "attended", 10_000,
    )  # fmt: skip
    assert PublishedAppointments.objects.get(mode="face_to_face", status="dna").time_from_booking == "15 to 21 Days"
    notes = " ".join(report.notes)
    assert "1 rows give a figure of the same code" in notes and "M1J4Y" in notes
    assert "CCG_ONS_CODE" in notes and "REGION_NAME" in notes
    assert "20,000 appointments in all" in notes

    again = import_reference("appointments", write(tmp_path, CUT))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7)
    assert PublishedAppointments.history.count() == 6


def test_a_bad_row_is_reported_by_line_and_column_and_the_rest_import(tmp_path, blmk):
    lines = [
        CUT[0],
        f"{LUTON_AREA},MARCH,Attended,GP,Telephone,1 Day,3",
        f"{LUTON_AREA},MAR2019,Attended,GP,Carrier pigeon,1 Day,3",
        f"{LUTON_AREA},MAR2019,Attended,GP,Telephone,1 Day,lots",
    ]
    report = import_reference("appointments", write(tmp_path, lines))
    assert report.created == 1
    assert [(r.line, r.reason.split(" '")[0]) for r in report.rejections] == [
        (3, "Appointment_Month"), (4, "APPT_MODE"), (5, "COUNT_OF_APPOINTMENTS"),
    ]  # fmt: skip
    assert "Carrier pigeon" in report.rejections[1].reason


def test_a_later_release_spells_its_columns_anew_and_an_unknown_column_is_named(tmp_path, blmk):
    header = (
        "SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_NAME,APPOINTMENT_MONTH,APPOINTMENT_STATUS,HCP_TYPE,APPT_MODE,"
        "TIME_BETWEEN_BOOK_AND_APPT,COUNT_OF_APPOINTMENTS,NATIONAL_CATEGORY"
    )
    path = write(tmp_path, ["M1J4Y,NHS BLMK ICB - M1J4Y,2022-07,Attended,GP,Telephone,Same Day,12,General"], header)
    report = import_reference("appointments", path)
    assert report.created == 1
    assert PublishedAppointments.objects.get().month == dt.date(2022, 7, 1)
    assert any("NATIONAL_CATEGORY" in note and "does not know" in note for note in report.notes)


def test_only_ccgs_takes_a_ccg_the_merged_code_covers(tmp_path, blmk, wolverhampton):
    black_country = "D2P2L,E38000250,NHS Black Country and West Birmingham CCG,E54000016,BC,E40000008,Midlands"
    path = write(tmp_path, [CUT[0], f"{black_country},MAR2019,Attended,GP,Telephone,Same Day,7"])
    report = import_reference("appointments", path, only_ccgs={"06P"})
    assert (report.created, report.skipped) == (1, 1)
    assert set(PublishedAppointments.objects.values_list("ccg_code", flat=True)) == {"M1J4Y"}


def test_the_month_figures_per_1000_patients_mode_mix_and_dna_rate(tmp_path, blmk):
    import_reference("appointments", write(tmp_path, CUT))
    area = published_area(blmk)
    assert (area.code, area.is_merged, area.counts_patients) == ("M1J4Y", True, True)
    assert sorted(c.ods_code for c in area.ccgs) == ["04F", "06F", "06P"]
    (march,) = published_months(area)
    assert (march.appointments, march.did_not_attend, march.population.patients) == (20_000, 1000, 40_000)
    # 20,000 appointments in 31 days (31/7 weeks) among 40,000 patients.
    assert march.value("published_appointments_per_1000") == pytest.approx(20_000 / (40 * 31 / 7))
    assert march.display("published_appointments_per_1000") == "112.9 appointments a week per 1,000 patients"
    assert march.display("published_face_to_face_share") == "55.0%"
    assert march.display("published_telephone_share") == "25.0%"
    assert march.display("published_online_share") == "2.5%"
    assert march.display("published_home_visit_share") == "7.5%"
    assert march.display("published_unknown_share") == "10.0%"
    assert march.display("published_dna_rate") == "5.0%"
    shares = sum(march.value(f"published_{m}_share") for m in PublishedAppointments.Mode.values)
    assert shares == pytest.approx(100)


def test_a_merged_area_without_all_its_ccgs_counts_no_patients(tmp_path, luton):
    practice = PracticeFactory(ods_code="E81001", ccg=luton)
    CCGMembershipFactory(practice=practice)
    ListSizeFactory(practice=practice, patients=10_000, extract_date=dt.date(2019, 1, 1))
    import_reference("appointments", write(tmp_path, CUT))
    area = published_area(luton)
    assert area.missing_ccgs == ["04F", "06F"] and not area.counts_patients
    (march,) = published_months(area)
    assert march.population.patients == 0
    assert march.display("published_appointments_per_1000") == "No value"
    assert march.display("published_dna_rate") == "5.0%"


def test_a_ccg_taken_over_by_a_sub_icb_location_finds_its_figures_under_that_code(tmp_path, wolverhampton, db):
    from practices.models import ICB

    icb = ICB.objects.create(ods_code="QUA", name="NHS Black Country ICB")
    wolverhampton.successor = SubICBLocation.objects.create(ods_code="D2P2L", name="Black Country - D2P2L", icb=icb)
    wolverhampton.save()
    black_country = "D2P2L,E38000250,NHS Black Country and West Birmingham CCG,E54000016,BC,E40000008,Midlands"
    import_reference("appointments", write(tmp_path, [f"{black_country},APR2019,Attended,GP,Telephone,Same Day,7"]))
    area = published_area(wolverhampton)
    assert area.code == "D2P2L" and area.missing_ccgs == ["05C", "05L", "05Y"]


def sign_in(client, user):
    client.force_login(user)
    return client


def test_the_access_page_shows_the_published_months_beside_the_returns(client, tmp_path, blmk, alice):
    import_reference("appointments", write(tmp_path, CUT))
    page = sign_in(client, alice).get(reverse("access:ccg_access", args=[blmk.pk])).content.decode()
    assert "Appointments NHS Digital published" in page
    assert "NHS Bedfordshire, Luton and Milton Keynes CCG" in page and "M1J4Y" in page
    assert 'id="published-merged"' in page and "NHS Milton Keynes CCG" in page
    assert "March 2019" in page and "20,000" in page and "40,000" in page
    assert "112.9" in page and "55.0%" in page and "5.0%" in page
    assert "Published appointments a week per 1,000 patients" in page  # its written definition


@pytest.mark.parametrize("username", ["erin", "dave"])
def test_people_of_another_ccg_or_a_practice_cannot_open_the_page(client, tmp_path, blmk, username, request):
    import_reference("appointments", write(tmp_path, CUT))
    sign_in(client, request.getfixturevalue(username))
    assert client.get(reverse("access:ccg_access", args=[blmk.pk])).status_code == 404


def test_the_page_says_when_nothing_is_published(client, luton, alice):
    page = sign_in(client, alice).get(reverse("access:ccg_access", args=[luton.pk])).content.decode()
    assert 'id="published-none"' in page


def test_the_page_reads_a_flat_number_of_queries_whatever_the_months(
    client, tmp_path, blmk, alice, django_assert_max_num_queries
):
    url = reverse("access:ccg_access", args=[blmk.pk])
    import_reference("appointments", write(tmp_path, CUT))
    sign_in(client, alice).get(url)
    with django_assert_max_num_queries(60) as one_month:
        client.get(url)
    months = [f"{LUTON_AREA},{m}2019,Attended,GP,Telephone,Same Day,9" for m in ("APR", "MAY", "JUN", "JUL")]
    import_reference("appointments", write(tmp_path, months, name="more.csv"))
    with django_assert_max_num_queries(len(one_month.captured_queries) + 4):  # one population per month
        client.get(url)


def test_every_published_figure_has_a_written_definition_on_the_definitions_page(client, alice):
    page = sign_in(client, alice).get(reverse("metrics:definitions")).content.decode()
    for metric in d.PUBLISHED_METRICS:
        assert metric.name in page and metric.code in page
