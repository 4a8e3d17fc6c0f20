"""The estates pages by role: who sees what (another organisation's id is a 404), who may
change what (a refused change is a 403), the forms, filters and exports."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from estates.models import EstatesSettings, HousingGrowth, PracticeIT, Premises, Scheme, SiteOccupancy
from estates.services import capacity_refresh
from practices.models import Site

from ..factories import ClusterMembershipFactory, ListSizeFactory, PracticeFactory, SiteFactory
from .factories import HousingGrowthFactory, PremisesFactory, SchemeFactory

pytestmark = pytest.mark.django_db


def premises_form(**changes):
    data = {
        "ownership": Premises.Ownership.GP_OWNED, "tenure": Premises.Tenure.FREEHOLD, "lease_end_date": "",
        "gross_internal_area_m2": "800.0", "clinical_rooms": "9", "condition": "B",
        "accessibility": Premises.Accessibility.COMPLIANT, "rent_basis": Premises.RentBasis.NOTIONAL,
        "rent_reimbursed_per_year": "61000", "void_area_m2": "0", "void_cost_per_year": "0",
        "other_providers": "", "confirmed_on": "2018-06-01",
    }  # fmt: skip
    return {**data, **changes}


def with_version(client, url, data):
    """Post what the edit form would: its fields and the version it was shown at."""
    form = client.get(url).context["form"]
    return client.post(url, {**data, "history_version": form["history_version"].value()})


# --- the premises register --------------------------------------------------------------


def test_a_practice_manager_edits_the_premises_of_their_own_site(client, bob, luton_premises):
    client.force_login(bob)
    url = reverse("estates:premises_update", args=[luton_premises.site_id])

    response = with_version(client, url, premises_form(gross_internal_area_m2="820.0"))

    assert response.status_code == 302
    luton_premises.refresh_from_db()
    assert luton_premises.gross_internal_area_m2 == Decimal("820.0")
    assert luton_premises.history.first().history_user == bob


def test_a_practice_manager_cannot_open_another_practices_site(client, bob, wolverhampton_premises):
    client.force_login(bob)
    site = wolverhampton_premises.site_id
    assert client.get(reverse("estates:premises_detail", args=[site])).status_code == 404
    assert client.get(reverse("estates:premises_update", args=[site])).status_code == 404
    assert client.post(reverse("estates:premises_update", args=[site]), premises_form()).status_code == 404


def test_a_governing_body_member_reads_the_premises_but_may_not_change_them(client, carol, luton_premises):
    client.force_login(carol)
    site = luton_premises.site_id
    detail = client.get(reverse("estates:premises_detail", args=[site]))
    assert detail.status_code == 200
    assert "Edit premises details" not in detail.content.decode()
    assert client.get(reverse("estates:premises_update", args=[site])).status_code == 403
    assert client.post(reverse("estates:premises_update", args=[site]), premises_form()).status_code == 403


def test_another_ccgs_commissioner_finds_nothing(client, erin, luton_premises):
    client.force_login(erin)
    assert client.get(reverse("estates:premises_detail", args=[luton_premises.site_id])).status_code == 404
    register = client.get(reverse("estates:premises_list")).content.decode()
    assert "The Medical Centre" not in register


@pytest.mark.parametrize("username", ["erin", "dave"])
def test_the_new_premises_page_tells_another_organisation_nothing_about_a_site(
    client, luton_premises, luton_practice, username, request
):
    """A site with premises, one without and one that does not exist all answer 404 alike."""
    client.force_login(request.getfixturevalue(username))
    bare = SiteFactory(practice=luton_practice, name="Farley Branch", kind=Site.Kind.BRANCH)
    missing = bare.pk + 1000
    for site_pk in (luton_premises.site_id, bare.pk, missing):
        for method in (client.get, client.post):
            response = method(reverse("estates:premises_create", args=[site_pk]))
            assert (response.status_code, response.get("Location")) == (404, None), site_pk


def test_the_new_premises_page_sends_the_sites_people_to_the_edit_page_when_there_are_details(
    client, bob, luton_premises
):
    client.force_login(bob)
    response = client.get(reverse("estates:premises_create", args=[luton_premises.site_id]))
    assert response["Location"] == reverse("estates:premises_update", args=[luton_premises.site_id])


def test_a_practice_manager_records_a_new_branch_site_with_its_premises(client, bob, luton_practice):
    client.force_login(bob)
    url = reverse("estates:site_record", args=[luton_practice.pk])
    data = {
        "site-name": "Farley Hill Branch", "site-kind": Site.Kind.BRANCH, "site-address_line_1": "Whipperley Ring",
        "site-town": "Luton", "site-postcode": "lu1 5qy", "site-open_date": "2018-09-03",
        **{f"premises-{k}": v for k, v in premises_form(gross_internal_area_m2="240").items()},
    }  # fmt: skip

    response = client.post(url, data)

    site = Site.objects.get(name="Farley Hill Branch")
    assert response.status_code == 302
    assert response["Location"] == reverse("estates:premises_detail", args=[site.pk])
    assert (site.practice, site.postcode, site.premises.gross_internal_area_m2) == (
        luton_practice,
        "LU1 5QY",
        Decimal("240.0"),
    )


def test_recording_a_site_with_a_bad_figure_saves_nothing_and_keeps_the_typing(client, bob, luton_practice):
    client.force_login(bob)
    url = reverse("estates:site_record", args=[luton_practice.pk])
    data = {
        "site-name": "Farley Hill Branch", "site-kind": Site.Kind.BRANCH, "site-postcode": "LU1 5QY",
        **{f"premises-{k}": v for k, v in premises_form(void_area_m2="900", gross_internal_area_m2="240").items()},
    }  # fmt: skip

    response = client.post(url, data)

    assert response.status_code == 200
    assert "cannot be larger than the whole site" in response.content.decode()
    assert 'value="Farley Hill Branch"' in response.content.decode()
    assert not Site.objects.filter(name="Farley Hill Branch").exists()


def test_a_practice_manager_cannot_record_a_site_for_another_practice(client, bob, wolverhampton_practice):
    client.force_login(bob)
    assert client.get(reverse("estates:site_record", args=[wolverhampton_practice.pk])).status_code == 404


def test_a_governing_body_member_may_not_record_a_site(client, carol, luton_practice):
    client.force_login(carol)
    assert client.get(reverse("estates:site_record", args=[luton_practice.pk])).status_code == 403


def test_the_register_filters_and_exports_the_sites(client, alice, luton, luton_premises, luton_practice):
    other = PracticeFactory(ccg=luton, ods_code="E81002", name="Bury Park Surgery")
    PremisesFactory(
        site=SiteFactory(practice=other, name="Bury Park", kind=Site.Kind.MAIN), condition="D",
        ownership=Premises.Ownership.NHS_PROPERTY_SERVICES, tenure=Premises.Tenure.LEASEHOLD,
        void_area_m2=Decimal("40"), void_cost_per_year=Decimal("9200"),
    )  # fmt: skip
    SiteFactory(practice=luton_practice, name="Unrecorded Branch")
    client.force_login(alice)
    url = reverse("estates:premises_list")

    def sites(**query):
        response = client.get(url, query)
        return [row.record.name for row in response.context["table"].rows], response.content.decode()

    grade_d, page = sites(condition="D")
    assert grade_d == ["Bury Park"]
    assert "40 m² at £9,200 a year" in page
    assert sites(recorded="no")[0] == ["Unrecorded Branch"]
    assert sites(q="E81002")[0] == ["Bury Park"]

    export = client.get(url, {"void": "yes", "export": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    rows = export.content.decode().splitlines()
    assert len(rows) == 2 and "Bury Park" in rows[1] and "NHS Property Services" in rows[1]
    assert client.get(url, {"export": "pdf"}).status_code == 404


# --- sharing a site -----------------------------------------------------------------------


def test_a_commissioner_records_a_practice_sharing_a_site_and_the_host_keeps_the_rest(
    client, alice, luton, luton_premises
):
    guest = PracticeFactory(ccg=luton, ods_code="E81003", name="Dr Khan's Practice")
    client.force_login(alice)

    response = client.post(
        reverse("estates:occupancy_create", args=[luton_premises.site_id]),
        {"practice": guest.pk, "share_percent": "35", "start_date": "2017-04-01"},
    )

    assert response.status_code == 302
    assert SiteOccupancy.objects.get(site=luton_premises.site).practice == guest
    page = client.get(reverse("estates:premises_detail", args=[luton_premises.site_id])).content.decode()
    assert "65%" in page and "35%" in page


def test_shares_of_a_site_cannot_reach_the_whole_of_it(client, alice, luton, luton_premises):
    first = PracticeFactory(ccg=luton, ods_code="E81004")
    second = PracticeFactory(ccg=luton, ods_code="E81005")
    SiteOccupancy.objects.create(site=luton_premises.site, practice=first, share_percent=Decimal("60"))
    client.force_login(alice)

    response = client.post(
        reverse("estates:occupancy_create", args=[luton_premises.site_id]),
        {"practice": second.pk, "share_percent": "40"},
    )

    assert response.status_code == 200
    assert "already use 60% of this site" in response.content.decode()


def test_the_sharing_practices_manager_sees_the_site_but_cannot_change_its_shares(client, dave, luton, luton_premises):
    from practices.models import Role

    from ..factories import RoleFactory

    guest = PracticeFactory(ccg=luton, ods_code="E81006")
    occupancy = SiteOccupancy.objects.create(site=luton_premises.site, practice=guest, share_percent=Decimal("30"))
    RoleFactory(user=dave, kind=Role.Kind.PRACTICE_MANAGER, practice=guest)
    client.force_login(dave)

    assert client.get(reverse("estates:premises_detail", args=[luton_premises.site_id])).status_code == 200
    assert client.get(reverse("estates:occupancy_update", args=[occupancy.pk])).status_code == 403


# --- capacity, settings and housing growth -------------------------------------------------


def test_the_capacity_page_shows_clusters_practices_void_space_and_the_chart(
    client, alice, luton, luton_cluster, luton_premises
):
    luton_premises.void_area_m2, luton_premises.void_cost_per_year = Decimal("60"), Decimal("14500")
    luton_premises.save()
    capacity_refresh(ccg=luton)
    client.force_login(alice)

    response = client.get(reverse("estates:ccg_capacity", args=[luton.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    now = response.context["summaries"][0].now
    # 760 m² and 8 rooms for 9,500 patients: 80 m² and 0.84 rooms per 1,000, below both default guides.
    assert (now.patients, now.area_per_1000, now.rooms_per_1000) == (9500, Decimal("80.00"), Decimal("0.84"))
    assert "Below guide" in html and "Already below (2018/19)" in html
    assert "60 m²</strong>, costing <strong>£14,500 a year" in html
    assert 'data-chart="capacity-chart-data"' in html and 'id="capacity-by-year"' in html


def test_the_capacity_page_reads_a_fixed_number_of_queries(client, alice, luton, luton_cluster, luton_premises):
    client.force_login(alice)
    url = reverse("estates:ccg_capacity", args=[luton.pk])

    def queries() -> int:
        capacity_refresh(ccg=luton)
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    few = queries()
    for n in range(8):
        practice = PracticeFactory(ccg=luton, ods_code=f"E8150{n}")
        ClusterMembershipFactory(practice=practice, cluster=luton_cluster)
        ListSizeFactory(practice=practice, patients=5000)
        PremisesFactory(site__practice=practice)
    assert queries() == few


def test_practice_managers_and_other_ccgs_cannot_open_a_ccgs_capacity(client, bob, erin, luton):
    for user in (bob, erin):
        client.force_login(user)
        assert client.get(reverse("estates:ccg_capacity", args=[luton.pk])).status_code == 404
        assert client.get(reverse("estates:ccg_capacity_export", args=[luton.pk, "csv"])).status_code == 404


def test_the_capacity_export_has_each_clusters_years(client, alice, luton, luton_cluster, luton_premises):
    capacity_refresh(ccg=luton)
    client.force_login(alice)

    csv = client.get(reverse("estates:ccg_capacity_export", args=[luton.pk, "csv"])).content.decode()
    xlsx = client.get(reverse("estates:ccg_capacity_export", args=[luton.pk, "xlsx"]))

    assert csv.splitlines()[1].startswith("Luton North,2018/19,No,9500,0,760.0")
    assert len(csv.splitlines()) == 1 + 16
    assert xlsx.content[:2] == b"PK"


def test_a_commissioner_changes_the_guide_figures_with_history_and_the_governing_body_may_not(
    client, alice, carol, luton
):
    client.force_login(carol)
    assert client.get(reverse("estates:settings_update", args=[luton.pk])).status_code == 403
    client.force_login(alice)
    data = {
        "area_guide_per_1000": "95", "rooms_guide_per_1000": "1.2", "patients_per_dwelling": "2.35",
        "projection_years": "10", "patients_per_remote_device": "5000",
    }  # fmt: skip

    assert client.post(reverse("estates:settings_update", args=[luton.pk]), data).status_code == 302

    settings = EstatesSettings.objects.get(ccg=luton)
    assert (settings.area_guide_per_1000, settings.patients_per_dwelling) == (Decimal("95.0"), Decimal("2.35"))
    assert settings.history.first().history_user == alice


def test_housing_growth_is_added_once_per_year_by_the_ccgs_commissioner(client, alice, erin, luton_cluster):
    HousingGrowthFactory(cluster=luton_cluster, year=2018, new_dwellings=120)
    url = reverse("estates:housing_create", args=[luton_cluster.pk])
    client.force_login(erin)
    assert client.get(url).status_code == 404
    client.force_login(alice)

    again = client.post(url, {"year": "2018", "new_dwellings": "90"})
    added = client.post(url, {"year": "2019", "new_dwellings": "90", "source": "Luton Local Plan 2011-2031"})

    assert "2018/19 already has a figure" in again.content.decode()
    assert added.status_code == 302
    assert list(HousingGrowth.objects.values_list("year", "new_dwellings")) == [(2018, 120), (2019, 90)]
    page = client.get(reverse("estates:cluster_capacity", args=[luton_cluster.pk])).content.decode()
    assert "Luton Local Plan 2011-2031" in page


# --- schemes -----------------------------------------------------------------------------------


def scheme_form(**changes):
    data = {
        "name": "Farley Hill new build", "kind": Scheme.Kind.NEW_BUILD, "description": "", "cluster": "",
        "funding_stream": "", "capital_cost": "2100000", "share_funded_percent": "100",
        "expected_rent_per_year": "127000", "area_added_m2": "1150", "clinical_rooms_added": "14",
        "expected_open_date": "2021-10-01", "lead": "",
    }  # fmt: skip
    return {**data, **changes}


def test_a_commissioner_adds_a_scheme_that_starts_as_an_idea(client, alice, luton, luton_practice):
    client.force_login(alice)

    response = client.post(
        reverse("estates:scheme_create") + f"?ccg={luton.pk}", {**scheme_form(), "practices": [luton_practice.pk]}
    )

    scheme = Scheme.objects.get()
    assert response.status_code == 302
    assert (scheme.ccg, scheme.status, list(scheme.practices.all())) == (luton, Scheme.Status.IDEA, [luton_practice])
    page = client.get(scheme.get_absolute_url()).content.decode()
    assert "£2,100,000 plus VAT" in page and "£127,000 a year" in page


def test_practice_managers_and_other_ccgs_cannot_add_a_scheme(client, bob, erin, carol, luton):
    url = reverse("estates:scheme_create") + f"?ccg={luton.pk}"
    for user, status in ((bob, 404), (erin, 404), (carol, 403)):
        client.force_login(user)
        assert client.post(url, scheme_form()).status_code == status
    assert not Scheme.objects.exists()


def test_a_practice_manager_sees_a_scheme_naming_their_practice_read_only(client, bob, luton, luton_practice):
    named = SchemeFactory(ccg=luton, name="Named")
    named.practices.add(luton_practice)
    SchemeFactory(ccg=luton, name="Elsewhere")
    client.force_login(bob)

    listing = client.get(reverse("estates:scheme_list")).content.decode()
    detail = client.get(named.get_absolute_url()).content.decode()

    assert "Named" in listing and "Elsewhere" not in listing
    assert "Edit this scheme" not in detail and "Move the scheme on" not in detail
    assert client.post(reverse("estates:scheme_status", args=[named.pk]), {"to": "bid"}).status_code == 403


def test_moving_a_scheme_on_through_the_page_and_a_refused_move_says_why(client, alice, luton):
    scheme = SchemeFactory(ccg=luton, status=Scheme.Status.BUSINESS_CASE, status_changed_on=dt.date(2017, 4, 1))
    client.force_login(alice)
    url = reverse("estates:scheme_status", args=[scheme.pk])

    refused = client.post(url, {"to": "approved", "on": "2018-03-28", "note": "PCCC"})
    assert "record the capital cost" in refused.content.decode()

    scheme.capital_cost, scheme.share_funded_percent = Decimal("2100000"), Decimal("100")
    scheme.expected_open_date = dt.date(2021, 10, 1)
    scheme.save()
    moved = client.post(url, {"to": "approved", "on": "2018-03-28", "note": "PCCC minute 18/031"})
    assert moved.status_code == 302
    scheme.refresh_from_db()
    assert (scheme.status, scheme.status_changed_on) == (Scheme.Status.APPROVED, dt.date(2018, 3, 28))
    assert client.post(url, {"to": "open", "on": "2019-01-01"}).status_code == 200  # not offered: in build comes first


def test_the_scheme_list_filters_and_exports(client, alice, luton):
    SchemeFactory(ccg=luton, name="Farley Hill new build", kind=Scheme.Kind.NEW_BUILD)
    SchemeFactory(ccg=luton, name="Bury Park refurbishment", kind=Scheme.Kind.REFURBISHMENT)
    client.force_login(alice)
    url = reverse("estates:scheme_list")

    page = client.get(url, {"kind": Scheme.Kind.REFURBISHMENT}).content.decode()
    export = client.get(url, {"q": "Farley", "export": "csv"}).content.decode().splitlines()

    assert "Bury Park refurbishment" in page and "Farley Hill" not in page
    assert len(export) == 2 and export[1].startswith("Farley Hill new build,")


# --- practice IT --------------------------------------------------------------------------------


def checklist_form(**changes):
    data = {
        "clinical_system": "emis_web", "clinical_system_since": "2012-05-01",
        "patient_wifi": "in_place", "patient_wifi_date": "2017-11-01",
        "online_services": "in_place", "online_services_date": "2016-04-01",
        "eps": "in_place", "eps_date": "2015-09-01", "e_referral": "in_place", "e_referral_date": "2017-06-01",
        "sms_reminders": "planned", "sms_reminders_date": "2019-01-01",
        "online_consultation": "not_planned", "online_consultation_date": "",
        "remote_devices": "2", "remote_devices_date": "2018-06-01", "confirmed_on": "2018-06-01",
    }  # fmt: skip
    return {**data, **changes}


def test_a_practice_manager_fills_in_their_it_checklist(client, bob, luton_practice):
    client.force_login(bob)
    url = reverse("estates:practice_it_update", args=[luton_practice.pk])

    assert client.post(url, checklist_form()).status_code == 302
    checklist = PracticeIT.objects.get(practice=luton_practice)
    assert (checklist.items_in_place(), checklist.remote_devices) == (4, 2)

    page = client.get(reverse("estates:practice_it", args=[luton_practice.pk])).content.decode()
    assert "2 (expected: 2, one per 5,000 patients)" in page  # 9,500 patients


def test_a_planned_item_needs_its_date(client, bob, luton_practice):
    client.force_login(bob)
    response = client.post(
        reverse("estates:practice_it_update", args=[luton_practice.pk]), checklist_form(sms_reminders_date="")
    )
    assert "Give the date it is planned for." in response.content.decode()


def test_another_practices_manager_cannot_fill_in_the_checklist(client, dave, carol, luton_practice):
    client.force_login(dave)
    url = reverse("estates:practice_it_update", args=[luton_practice.pk])
    assert client.post(url, checklist_form()).status_code == 404
    client.force_login(carol)
    assert client.post(url, checklist_form()).status_code == 403


def test_digital_readiness_counts_each_item_across_the_ccgs_practices(client, alice, bob, luton, luton_practice):
    client.force_login(bob)
    client.post(reverse("estates:practice_it_update", args=[luton_practice.pk]), checklist_form())
    PracticeFactory(ccg=luton, ods_code="E81007", name="No Checklist Surgery")
    client.force_login(alice)

    response = client.get(reverse("estates:digital_readiness", args=[luton.pk]))
    summary = {row[0]: row[1:] for row in response.context["summary"]}

    assert summary["SMS appointment reminders"] == (0, 1, 1)
    assert summary["Patient Wi-Fi"] == (1, 0, 1)
    assert "1 of 2 open practices have filled in their IT checklist" in response.content.decode()
    export = client.get(reverse("estates:digital_readiness", args=[luton.pk]), {"export": "csv"}).content.decode()
    assert "In place since 1 Nov 2017" in export and "No Checklist Surgery" in export
    client.force_login(bob)
    assert client.get(reverse("estates:digital_readiness", args=[luton.pk])).status_code == 404


def test_a_scheme_links_to_its_funding_bid_of_the_same_ccg_and_stream_and_each_page_names_the_other(
    client, alice, luton, wolverhampton
):
    from ..commissioning.funding.factories import FundingStreamFactory
    from ..commissioning.funding.factories import SchemeFactory as BidFactory

    ettf, other = FundingStreamFactory(name="ETTF"), FundingStreamFactory(name="Improvement grants")
    bid = BidFactory(ccg=luton, stream=ettf, title="Farley Hill new build")
    elsewhere = BidFactory(ccg=wolverhampton, stream=ettf)
    client.force_login(alice)
    url = reverse("estates:scheme_create") + f"?ccg={luton.pk}"

    wrong_stream = client.post(url, scheme_form(funding_stream=other.pk, funding_scheme=bid.pk))
    assert wrong_stream.status_code == 200 and not Scheme.objects.exists()
    assert "The funding bid is to ETTF, not to the scheme&#x27;s stream." in wrong_stream.content.decode()
    other_ccg = client.post(url, scheme_form(funding_stream=ettf.pk, funding_scheme=elsewhere.pk))
    assert other_ccg.status_code == 200 and not Scheme.objects.exists()

    response = client.post(url, scheme_form(funding_stream=ettf.pk, funding_scheme=bid.pk))
    scheme = Scheme.objects.get()
    assert response.status_code == 302 and scheme.funding_scheme == bid
    assert bid.get_absolute_url() in client.get(scheme.get_absolute_url()).content.decode()
    bid_page = client.get(bid.get_absolute_url()).content.decode()
    assert scheme.get_absolute_url() in bid_page and "Premises schemes it pays for" in bid_page


def test_the_register_export_gives_the_pages_void_figures_in_pounds_and_m2(client, alice, luton):
    import csv
    import io

    from openpyxl import load_workbook

    from portal.money import pounds
    from tests.html_tables import page_table

    practice = PracticeFactory(ccg=luton, ods_code="E81002", name="Bury Park Surgery")
    PremisesFactory(site=SiteFactory(practice=practice, name="Bury Park", kind=Site.Kind.MAIN),
                    void_area_m2=Decimal("40.5"), void_cost_per_year=Decimal("9200"),
                    tenure=Premises.Tenure.LEASEHOLD, lease_end_date=dt.date(2027, 3, 31))  # fmt: skip
    client.force_login(alice)
    url = reverse("estates:premises_list")
    (shown,) = page_table(client.get(url, {"q": "E81002"}).content.decode(), "Open sites")
    (row,) = csv.DictReader(io.StringIO(client.get(url, {"q": "E81002", "export": "csv"}).content.decode()))
    sheet = load_workbook(io.BytesIO(client.get(url, {"q": "E81002", "export": "xlsx"}).content)).active
    cells = dict(zip([c.value for c in sheet[1]], sheet[2], strict=False))

    assert (row["Void cost a year (£)"], row["Void (m²)"], row["Lease ends"]) == ("9200.00", "40.5", "2027-03-31")
    assert shown["Void cost a year"] == pounds(row["Void cost a year (£)"], pence=False) == "£9,200"
    assert cells["Void cost a year (£)"].value == 9200 and "£" in cells["Void cost a year (£)"].number_format
    assert cells["Lease ends"].is_date and cells["Lease ends"].value == dt.datetime(2027, 3, 31)
