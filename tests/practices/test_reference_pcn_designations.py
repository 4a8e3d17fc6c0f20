"""The ePCN importer (``import_reference pcn-designations``) on small workbooks the tests
build with openpyxl, with the real sheet names, headers and a few real rows of the ODS
ePCN workbook of 4 December 2019."""

import datetime as dt

import pytest
from openpyxl import Workbook

from practices.models import CCG, Cluster, ClusterMembership
from practices.reference import ReferenceFileError, import_reference
from tests.factories import CCGFactory, ClusterFactory, ClusterMembershipFactory, PracticeFactory

PCN_HEADER = [
    "PCN Code", "PCN Name", "Current Clinical Commissioning Group Code", "Clinical Commissioning Group Name",
    "Open Date (YYYYMMDD)", "Close Date", "Address Line 1", "Address Line 2", "Address Line 3", "Address Line 4",
    "Address Line 5", "Postcode",
]  # fmt: skip
PARTNER_HEADER = [
    "Partner Organisation Code", "Partner Name", "Practice Parent CCG Code", "Practice Parent CCG Name", "PCN Code",
    "PCN Name", "PCN Parent CCG Code", "PCN Parent CCG Name", "Practice to PCN Relationship Start Date",
    "Practice to PCN Relationship End Date", "Practice CCG and PCN CCG match?",
]  # fmt: skip
PCNS = [
    ["U51229", "MEDICS PCN", "06P", "NHS LUTON CCG", 20191001, None, "WOODLAND AVENUE PRACTICE",
     "30 WOODLAND AVENUE", None, "LUTON", "BEDFORDSHIRE", "LU3 1RW"],
    ["U27128", "PHOENIX SUNRISERS PCN", "06P", "NHS LUTON CCG", 20191001, None, "THE BLENHEIM MEDICAL CTR",
     "9 BLENHEIM CRESCENT", None, "LUTON", "BEDFORDSHIRE", "LU3 1HA"],
    ["U82731", "WYRE INTEGRATED NEIGHBOURHOOD PCN", "02M", "NHS FYLDE AND WYRE CCG", 20191001, None,
     "THE HEALTH CENTRE", "CROSS STREET", None, "FLEETWOOD", None, "FY7 6EF"],
]  # fmt: skip


def partner(code, name, pcn, *, ccg=("06P", "NHS LUTON CCG"), pcn_ccg=("06P", "NHS LUTON CCG"), start=20191001):
    pcn_name = next(p[1] for p in PCNS if p[0] == pcn)
    # The PCN name is a VLOOKUP formula in the real sheet.
    return [code, name, *ccg, pcn, pcn_name, *pcn_ccg, start, None, ccg[0] == pcn_ccg[0]]


PARTNERS = [
    partner("E81005", "BELL HOUSE MEDICAL CENTRE", "U51229"),
    partner("E81018", "DR JK MARSDEN'S PRACTICE", "U51229"),
    partner("E81028", "DR R KHANCHANDANI'S PRACTICE", "U27128"),
    partner(
        "P81073", "CLEVELEYS GROUP PRACTICE", "U82731", ccg=("00R", "NHS BLACKPOOL CCG"),
        pcn_ccg=("02M", "NHS FYLDE AND WYRE CCG"),
    ),
]  # fmt: skip
OCT_2019 = dt.date(2019, 10, 1)


def workbook(tmp_path, partners=PARTNERS, pcns=PCNS, *, partner_header=PARTNER_HEADER, name="ePCN.xlsx"):
    book = Workbook()
    sheet = book.active
    sheet.title = "PCN Details"
    for row in [PCN_HEADER, *pcns]:
        sheet.append(row)
    sheet = book.create_sheet("PCN Core Partner Details")
    for row in [partner_header, *partners]:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


@pytest.fixture
def practices(db):
    luton = CCGFactory(ods_code="06P", name="NHS Luton CCG")
    blackpool = CCGFactory(ods_code="00R", name="NHS Blackpool CCG")
    codes = {"E81005": luton, "E81018": luton, "E81028": luton, "P81073": blackpool}
    return {code: PracticeFactory(ods_code=code, ccg=ccg) for code, ccg in codes.items()}


def memberships():
    return sorted(
        ClusterMembership.objects.values_list("practice__ods_code", "cluster__code", "start_date", "end_date")
    )


def test_pcns_and_their_core_practices_are_loaded_with_the_files_dates(practices, tmp_path):
    report = import_reference("pcn-designations", workbook(tmp_path))

    assert (report.created, report.rejected) == (4, 0)
    assert memberships() == [
        ("E81005", "U51229", OCT_2019, None),
        ("E81018", "U51229", OCT_2019, None),
        ("E81028", "U27128", OCT_2019, None),
        ("P81073", "U82731", OCT_2019, None),
    ]
    medics = Cluster.objects.get(code="U51229")
    assert (medics.name, medics.kind, medics.ccg.ods_code) == ("MEDICS PCN", Cluster.Kind.PRIMARY_CARE_NETWORK, "06P")
    # The Blackpool practice's PCN belongs to Fylde and Wyre, which the portal did not hold.
    assert CCG.objects.get(ods_code="02M").name == "NHS FYLDE AND WYRE CCG"
    assert any("NHS FYLDE AND WYRE CCG (02M) was not in the portal" in note for note in report.notes)
    assert (
        "Sheet 'PCN Details': columns not imported: Open Date (YYYYMMDD), Address Line 1, Address Line 2,"
        in " ".join(report.notes)
    )


def test_second_run_is_unchanged_and_writes_no_history(practices, tmp_path):
    path = workbook(tmp_path)
    import_reference("pcn-designations", path)
    history = (Cluster.history.count(), ClusterMembership.history.count(), CCG.history.count())

    report = import_reference("pcn-designations", path)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
    assert (Cluster.history.count(), ClusterMembership.history.count(), CCG.history.count()) == history


def test_a_later_membership_of_another_pcn_is_kept_and_ends_the_2019_one(practices, tmp_path):
    later = ClusterFactory(ccg=practices["E81005"].ccg, code="U99999", name="LUTON NORTH PCN", kind="pcn")
    ClusterMembershipFactory(practice=practices["E81005"], cluster=later, start_date=dt.date(2025, 10, 1))

    import_reference("pcn-designations", workbook(tmp_path))
    import_reference("pcn-designations", workbook(tmp_path))

    assert [m for m in memberships() if m[0] == "E81005"] == [
        ("E81005", "U51229", OCT_2019, dt.date(2025, 10, 1)),
        ("E81005", "U99999", dt.date(2025, 10, 1), None),
    ]


def test_a_later_membership_of_the_same_pcn_takes_the_files_start_and_keeps_its_end(practices, tmp_path):
    medics = ClusterFactory(ccg=practices["E81005"].ccg, code="U51229", name="MEDICS PCN (2025)", kind="pcn")
    ClusterMembershipFactory(
        practice=practices["E81005"], cluster=medics, start_date=dt.date(2025, 10, 1), end_date=dt.date(2026, 4, 1)
    )

    report = import_reference("pcn-designations", workbook(tmp_path))

    assert [m for m in memberships() if m[0] == "E81005"] == [("E81005", "U51229", OCT_2019, dt.date(2026, 4, 1))]
    # The PCN the portal holds keeps its (later) name.
    assert Cluster.objects.get(code="U51229").name == "MEDICS PCN (2025)"
    assert any("keep the name and CCG it holds" in note and "U51229" in note for note in report.notes)


def test_only_ccgs_loads_that_ccgs_practices_and_their_pcns(practices, tmp_path):
    report = import_reference("pcn-designations", workbook(tmp_path), only_ccgs={"06P"})

    assert (report.created, report.skipped) == (3, 1)
    assert set(Cluster.objects.values_list("code", flat=True)) == {"U51229", "U27128"}


def test_bad_values_are_rejected_by_sheet_row_and_column(practices, tmp_path):
    partners = [list(row) for row in PARTNERS]
    partners[1][8] = "20191301"  # row 3 of the sheet
    partners[2][4] = "U2712"  # row 4
    pcns = [list(row) for row in PCNS] + [["U1234", "BAD PCN", "06P", "NHS LUTON CCG", 20191001]]  # row 5

    report = import_reference("pcn-designations", workbook(tmp_path, partners, pcns))

    assert [str(r) for r in report.rejections] == [
        "line 5: sheet 'PCN Details': PCN Code 'U1234' is not a PCN code (U and five digits)",
        "line 3: sheet 'PCN Core Partner Details': Practice to PCN Relationship Start Date '20191301' is not a date",
        "line 4: sheet 'PCN Core Partner Details': PCN Code 'U2712' is not a PCN code (U and five digits)",
    ]
    assert report.created == 2


def test_a_practice_not_in_the_portal_is_rejected(practices, tmp_path):
    partners = [*PARTNERS, partner("E81041", "GARDENIA PRACTICE", "U51229")]

    report = import_reference("pcn-designations", workbook(tmp_path, partners))

    assert [str(r) for r in report.rejections] == [
        "line 6: sheet 'PCN Core Partner Details': Partner Organisation Code E81041 is not in the portal:"
        " import epraccur first"
    ]


def test_an_unknown_column_is_named(practices, tmp_path):
    header = [*PARTNER_HEADER, "PCN Clinical Director"]
    partners = [[*row, "Dr A N Other"] for row in PARTNERS]

    report = import_reference("pcn-designations", workbook(tmp_path, partners, partner_header=header))

    assert (
        "Sheet 'PCN Core Partner Details': columns this import does not know, not imported: PCN Clinical Director."
        in report.notes
    )


def test_a_workbook_without_the_partner_sheet_names_it_and_changes_nothing(practices, tmp_path):
    book = Workbook()
    book.active.title = "PCN Details"
    book.active.append(PCN_HEADER)
    path = tmp_path / "ePCN.xlsx"
    book.save(path)

    with pytest.raises(ReferenceFileError, match="no sheet called 'PCN Core Partner Details'"):
        import_reference("pcn-designations", path)
    assert not Cluster.objects.exists()


def test_the_epcn_workbook_is_uploaded_as_xlsx_and_a_csv_is_refused(client, root, practices, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from practices.models import ReferenceImport

    client.force_login(root)
    url = reverse("practices:reference_import")
    refused = client.post(url, {"dataset": "pcn-designations", "file": SimpleUploadedFile("ePCN.csv", b"PCN Code\n")})
    assert "Upload the reference file as the .xlsx ODS publishes." in refused.content.decode()
    assert not ReferenceImport.objects.exists()

    upload = SimpleUploadedFile("ePCN.xlsx", workbook(tmp_path).read_bytes())
    response = client.post(url, {"dataset": "pcn-designations", "file": upload})
    assert response.status_code == 302
    assert ReferenceImport.objects.get().dataset == "pcn-designations"
