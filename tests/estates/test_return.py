"""The estates return on the shared collection workflow: bob fills it in for his practice's
sites, it is checked, submitted and accepted by alice, and the register takes its figures."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from estates.models import EstatesReturnLine, Premises
from estates.return_types import field_name
from practices.models import Site
from returns.models import Return, Revision
from returns.services import (
    collection_open,
    return_accept,
    return_check,
    return_confirm_warnings,
    return_save,
    return_submit,
)

from ..factories import SiteFactory

pytestmark = pytest.mark.django_db
YEAR_2018 = dt.date(2018, 4, 1)


@pytest.fixture
def branch(luton_practice):
    return SiteFactory(practice=luton_practice, name="Farley Branch", kind=Site.Kind.BRANCH, postcode="LU1 5QY")


@pytest.fixture
def ret(luton, luton_premises, branch, alice):
    collection = collection_open(
        ccg=luton, return_type="estates", period_start=YEAR_2018, due_date=dt.date(2019, 4, 30), user=alice
    )
    return collection.returns.get(practice=luton_premises.site.practice)


def site_figures(**changes):
    figures = {
        "ownership": Premises.Ownership.THIRD_PARTY, "tenure": Premises.Tenure.LEASEHOLD,
        "lease_end_date": dt.date(2027, 3, 31), "gross_internal_area_m2": Decimal("760.0"), "clinical_rooms": 8,
        "condition": "B", "accessibility": Premises.Accessibility.COMPLIANT, "rent_basis": Premises.RentBasis.ACTUAL,
        "rent_reimbursed_per_year": Decimal("98000.00"), "void_area_m2": Decimal("0"),
        "void_cost_per_year": Decimal("0"), "other_providers": "District nurses",
    }  # fmt: skip
    return {**figures, **changes}


def accept(ret, user):
    """Accept, running what the workflow does once the acceptance commits (the register update)."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return_accept(ret=Return.objects.get(pk=ret.pk), user=user)


def post_data(values):
    return {
        field_name(site_id, name): "" if value is None else str(value)
        for site_id, figures in values["sites"].items()
        for name, value in figures.items()
    }


def test_the_form_lists_every_open_site_of_the_practice_with_the_registers_figures(client, bob, ret, branch):
    client.force_login(bob)
    response = client.get(reverse("returns:return_edit", args=[ret.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "The Medical Centre" in html and "Farley Branch" in html
    assert (
        f'name="{field_name(ret.practice.sites.get(kind="main").pk, "gross_internal_area_m2")}" value="760.0"' in html
    )


def test_a_site_left_out_of_an_upload_or_without_its_figures_blocks_submission(ret, bob, luton_premises, branch):
    only_main = {"sites": {str(luton_premises.site_id): site_figures()}}
    assert {f.code for f in return_check(ret=ret, values=only_main).errors} == {f"site-missing:{branch.pk}"}

    # A saved draft offers the branch (opened since) with the register's figures: none yet.
    return_save(ret=ret, user=bob, values=only_main)
    codes = {f.code for f in return_check(ret=ret).errors}
    assert f"required:{branch.pk}:gross_internal_area_m2" in codes
    assert f"required:{branch.pk}:condition" in codes
    assert not any(code.endswith(f":{luton_premises.site_id}") for code in codes)


def test_figures_that_contradict_each_other_are_errors(ret, bob, luton_premises, branch):
    values = {
        "sites": {
            str(luton_premises.site_id): site_figures(tenure=Premises.Tenure.FREEHOLD, void_area_m2=Decimal("800")),
            str(branch.pk): site_figures(void_area_m2=Decimal("0"), void_cost_per_year=Decimal("5000")),
        }
    }
    codes = {f.code for f in return_check(ret=ret, values=values).errors}

    assert codes == {
        f"lease-without-lease:{luton_premises.site_id}",
        f"void-too-big:{luton_premises.site_id}",
        f"void-cost-without-void:{branch.pk}",
    }


def test_another_practices_site_posted_into_the_form_is_not_stored(ret, bob, luton_premises, wolverhampton_premises):
    values = {
        "sites": {str(luton_premises.site_id): site_figures(), str(wolverhampton_premises.site_id): site_figures()}
    }
    revision = return_save(ret=ret, user=bob, values=values)

    assert list(EstatesReturnLine.objects.filter(revision=revision).values_list("site", flat=True)) == [
        luton_premises.site_id
    ]


def test_the_estates_return_goes_through_the_workflow_and_updates_the_register(client, bob, alice, ret, branch):
    main = ret.practice.sites.get(kind="main")
    values = {
        "sites": {
            str(main.pk): site_figures(gross_internal_area_m2=Decimal("820.0"), clinical_rooms=9),
            str(branch.pk): site_figures(
                gross_internal_area_m2=Decimal("180.0"), clinical_rooms=3, lease_end_date=dt.date(2019, 9, 30)
            ),
        }
    }
    client.force_login(bob)
    response = client.post(reverse("returns:return_edit", args=[ret.pk]), {**post_data(values), "save": "Save draft"})
    assert response.status_code == 302, response.content.decode()[:2000]

    # The branch's lease ends within a year of the period: a warning bob confirms with a comment.
    warnings = return_check(ret=ret).warnings
    assert [w.code for w in warnings] == [f"lease-ending:{branch.pk}"]
    return_confirm_warnings(ret=ret, user=bob, comments={f"lease-ending:{branch.pk}": "Renewal agreed in principle."})
    return_submit(ret=ret, user=bob)
    accept(ret, alice)

    main_premises, branch_premises = Premises.objects.get(site=main), Premises.objects.get(site=branch)
    assert (main_premises.gross_internal_area_m2, main_premises.clinical_rooms) == (Decimal("820.0"), 9)
    assert (branch_premises.gross_internal_area_m2, branch_premises.lease_end_date) == (
        Decimal("180.0"),
        dt.date(2019, 9, 30),
    )
    assert main_premises.confirmed_on is not None
    record = main_premises.history.first()
    assert (record.history_user, record.history_change_reason) == (bob, "Estates return, 2018/19, accepted")
    assert Revision.objects.accepted().of_type("estates").count() == 1


def test_a_change_of_area_of_more_than_a_fifth_since_last_year_asks_for_a_comment(luton, ret, bob, alice, branch):
    main = ret.practice.sites.get(kind="main")
    values = {
        "sites": {str(main.pk): site_figures(), str(branch.pk): site_figures(gross_internal_area_m2=Decimal("200"))}
    }
    return_save(ret=ret, user=bob, values=values)
    return_submit(ret=ret, user=bob)
    accept(ret, alice)
    next_year = collection_open(
        ccg=luton, return_type="estates", period_start=dt.date(2019, 4, 1), due_date=dt.date(2020, 4, 30), user=alice
    ).returns.get(practice=ret.practice)

    values["sites"][str(branch.pk)]["gross_internal_area_m2"] = Decimal("300")
    return_save(ret=next_year, user=bob, values=values)

    assert [w.code for w in return_check(ret=next_year).warnings] == [f"gross_internal_area_m2-change:{branch.pk}"]


def test_an_upload_of_the_template_fills_the_draft_and_a_bad_cell_is_reported_by_row(client, bob, ret, branch):
    client.force_login(bob)
    client.post(reverse("returns:return_edit", args=[ret.pk]), {**post_data(ret_values(ret, branch)), "save": "1"})
    template = client.get(reverse("returns:return_template", args=[ret.pk, "csv"])).content.decode()
    assert template.lstrip("\ufeff").startswith("Site ID,Site,Ownership,Tenure")
    assert "Farley Branch" in template

    bad = io.BytesIO(template.replace("Third-party landlord", "Landlord of some kind", 1).encode())
    bad.name = "estates.csv"
    response = client.post(reverse("returns:return_upload", args=[ret.pk]), {"file": bad, "check": "Check the file"})
    assert "Select a valid choice" in response.content.decode()

    good = template.replace(",760.0,", ",790.0,", 1)
    upload = io.BytesIO(good.encode())
    upload.name = "estates.csv"
    response = client.post(reverse("returns:return_upload", args=[ret.pk]), {"file": upload, "upload": "Upload"})
    assert response.status_code == 302
    line = EstatesReturnLine.objects.get(revision=ret.draft_revision(), site=ret.practice.sites.get(kind="main"))
    assert line.gross_internal_area_m2 == Decimal("790.0")


def ret_values(ret, branch):
    main = ret.practice.sites.get(kind="main")
    return {
        "sites": {str(main.pk): site_figures(), str(branch.pk): site_figures(gross_internal_area_m2=Decimal("150"))}
    }


def test_a_practice_manager_cannot_open_another_practices_estates_return(client, dave, ret):
    client.force_login(dave)
    assert client.get(reverse("returns:return_edit", args=[ret.pk])).status_code == 404


def test_the_accepted_return_shows_each_sites_figures(client, alice, bob, ret, branch):
    return_save(ret=ret, user=bob, values=ret_values(ret, branch))
    return_submit(ret=ret, user=bob)
    client.force_login(alice)

    html = client.get(reverse("returns:return_detail", args=[ret.pk])).content.decode()

    assert "Farley Branch" in html and "150 m²" in html and "£98,000" in html


def test_premises_are_created_for_a_site_first_recorded_through_the_return(ret, bob, alice, branch):
    assert not Premises.objects.filter(site=branch).exists()
    return_save(ret=ret, user=bob, values=ret_values(ret, branch))
    return_submit(ret=ret, user=bob)
    accept(ret, alice)

    assert Premises.objects.get(site=branch).gross_internal_area_m2 == Decimal("150")


def test_the_xlsx_template_holds_dates_and_pounds_as_themselves_and_uploads_back_unchanged(client, bob, ret, branch):
    from openpyxl import load_workbook

    client.force_login(bob)
    client.post(reverse("returns:return_edit", args=[ret.pk]), {**post_data(ret_values(ret, branch)), "save": "1"})
    content = client.get(reverse("returns:return_template", args=[ret.pk, "xlsx"])).content
    sheet = load_workbook(io.BytesIO(content)).active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, sheet[2], strict=False))
    lease = next(h for h in header if "lease" in h.lower())
    rent = next(h for h in header if "rent" in h.lower() and "(£)" in h)

    assert row[lease].is_date and row[lease].value == dt.datetime(2027, 3, 31)
    assert (row[rent].value, row[rent].data_type) == (98000, "n") and "£" in row[rent].number_format

    upload = io.BytesIO(content)
    upload.name = "estates.xlsx"
    response = client.post(reverse("returns:return_upload", args=[ret.pk]), {"file": upload, "upload": "Upload"})
    assert response.status_code == 302
    line = EstatesReturnLine.objects.get(revision=ret.draft_revision(), site=ret.practice.sites.get(kind="main"))
    assert (line.lease_end_date, line.rent_reimbursed_per_year) == (dt.date(2027, 3, 31), Decimal("98000.00"))
