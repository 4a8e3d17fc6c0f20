"""Permission on every page of an access return and on the extended access pages, for each
named person; the form keeps what was typed; the pages show the list size and the rates."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from access.figures import QUESTIONS
from access.models import AccessReturn
from access.return_types import answer_text
from metrics.definitions import metric
from metrics.models import MetricValue
from metrics.services import metrics_recompute
from returns.models import Return
from returns.services import collection_open, return_accept, return_save, return_submit
from tests.factories import ListSizeFactory, PracticeFactory
from tests.metrics.helpers import accepted_access

from .conftest import good_answers


def form_data(**changes) -> dict:
    values = good_answers(**changes)
    data = {name: "" if value is None else str(value) for name, value in values.items()}
    data["online_consultation"] = {True: "True", False: "False", None: ""}[values["online_consultation"]]
    return data


def sign_in(client, user):
    client.force_login(user)
    return client


def submitted(ret, manager):
    return_save(ret=ret, user=manager, values=good_answers())
    return_submit(ret=ret, user=manager)
    return ret


PAGES = ["return_detail", "return_edit", "return_upload", "return_submit", "return_review"]


@pytest.mark.parametrize("page", ["return_detail", "return_edit", "return_upload", "return_submit"])
@pytest.mark.parametrize("username", ["dave", "erin", "carol"])
def test_nobody_outside_the_practice_and_its_commissioners_can_open_an_access_return(
    client, access_return, bob, page, username, request
):
    return_save(ret=access_return, user=bob, values=good_answers())
    sign_in(client, request.getfixturevalue(username))
    assert client.get(reverse(f"returns:{page}", args=[access_return.pk])).status_code == 404


@pytest.mark.parametrize("username", ["dave", "erin", "carol"])
def test_nobody_outside_can_download_the_access_template_or_review_it(client, access_return, bob, username, request):
    submitted(access_return, bob)
    sign_in(client, request.getfixturevalue(username))
    assert client.get(reverse("returns:return_template", args=[access_return.pk, "csv"])).status_code == 404
    assert client.get(reverse("returns:return_review", args=[access_return.pk])).status_code == 404


def test_the_practice_manager_sees_the_return_with_its_list_size_and_rates(client, access_return, bob):
    return_save(ret=access_return, user=bob, values=good_answers())
    response = sign_in(client, bob).get(reverse("returns:return_detail", args=[access_return.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "9,500 patients" in page
    assert "Fully compliant (with its group)" in page
    assert "81.3" in page  # appointments a week per 1,000 patients
    assert "44.2" in page  # extended access minutes a week per 1,000 patients
    assert "Yes, through our group or hub" in page


def test_the_practice_manager_fills_in_the_form_and_saves_a_draft(client, access_return, bob):
    sign_in(client, bob)
    response = client.post(reverse("returns:return_edit", args=[access_return.pk]), {**form_data(), "save": "1"})
    assert response.status_code == 302
    answers = AccessReturn.objects.get(revision__ret=access_return)
    assert answers.saturday_extended == "group" and answers.online_consultation is True
    assert answers.eps_percent == good_answers()["eps_percent"]


def test_a_draft_may_be_saved_half_filled_in(client, access_return, bob):
    data = {**form_data(), "save": "1", "appointments_gp": "", "online_consultation": ""}
    response = sign_in(client, bob).post(reverse("returns:return_edit", args=[access_return.pk]), data)
    assert response.status_code == 302
    answers = AccessReturn.objects.get(revision__ret=access_return)
    assert answers.appointments_gp is None and answers.online_consultation is None


def test_a_field_error_saves_nothing_and_keeps_what_was_typed(client, access_return, bob):
    data = {**form_data(), "save": "1", "appointments_dna": "-4", "eps_percent": "101", "appointments_gp": "lots"}
    response = sign_in(client, bob).post(reverse("returns:return_edit", args=[access_return.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter 0 or more." in page
    assert "A percentage cannot be more than 100." in page
    assert "Enter a whole number, such as 120." in page
    assert 'value="lots"' in page and 'value="2700"' in page
    assert not AccessReturn.objects.exists()


def test_the_commissioner_cannot_fill_in_the_practices_return(client, access_return, alice):
    sign_in(client, alice)
    assert client.get(reverse("returns:return_edit", args=[access_return.pk])).status_code == 403
    response = client.post(reverse("returns:return_edit", args=[access_return.pk]), {**form_data(), "save": "1"})
    assert response.status_code == 403
    assert not AccessReturn.objects.exists()


def test_the_practice_manager_cannot_accept_their_own_return(client, access_return, bob):
    submitted(access_return, bob)
    sign_in(client, bob)
    response = client.post(reverse("returns:return_review", args=[access_return.pk]), {"decision": "accept"})
    assert response.status_code == 403
    access_return.refresh_from_db()
    assert access_return.status == Return.Status.SUBMITTED


def test_the_commissioner_accepts_and_the_engine_stores_the_metrics(client, access_return, bob, alice):
    submitted(access_return, bob)
    sign_in(client, alice)
    review = client.get(reverse("returns:return_review", args=[access_return.pk]))
    assert review.status_code == 200 and "Fully compliant (with its group)" in review.content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("returns:return_review", args=[access_return.pk]), {"decision": "accept"})
    assert response.status_code == 302
    access_return.refresh_from_db()
    assert access_return.status == Return.Status.ACCEPTED
    assert MetricValue.objects.for_practice(access_return.practice).metric("extended_access_full").get().value == 100


def test_an_accepted_access_return_can_no_longer_be_edited(client, access_return, bob, alice):
    submitted(access_return, bob)
    return_accept(ret=access_return, user=alice)
    sign_in(client, bob)
    assert client.get(reverse("returns:return_edit", args=[access_return.pk])).status_code == 403
    assert client.get(reverse("returns:return_upload", args=[access_return.pk])).status_code == 403
    assert client.get(reverse("returns:return_detail", args=[access_return.pk])).status_code == 200


def upload(rows):
    text = io.StringIO()
    text.write("Question,Answer\r\n")
    for label, answer in rows:
        text.write(f'"{label}","{answer}"\r\n')
    return SimpleUploadedFile("access.csv", text.getvalue().encode("utf-8"), content_type="text/csv")


def test_an_upload_with_errors_on_several_rows_saves_nothing(client, access_return, bob):
    rows = [[q.label, answer_text(q.name, good_answers()[q.name])] for q in QUESTIONS]
    rows[6][1] = "-1"  # telephone, row 8
    rows[12][1] = "9,999"  # DNAs, row 14: read, but more than the appointments
    rows[15][1] = "abc"  # e-Referral, row 17
    sign_in(client, bob)
    response = client.post(
        reverse("returns:return_upload", args=[access_return.pk]), {"file": upload(rows), "upload": "1"}
    )
    assert response.status_code == 200
    errors = [(e.row, e.column) for e in response.context["errors"]]
    assert errors == [(8, "Telephone appointments"), (17, "Referrals made through the NHS e-Referral Service (%)")]
    assert not AccessReturn.objects.exists()
    rows[6][1], rows[15][1] = "600", "96.2"
    response = client.post(
        reverse("returns:return_upload", args=[access_return.pk]), {"file": upload(rows), "upload": "1"}
    )
    assert [(e.row, e.column) for e in response.context["errors"]] == [(14, "Appointments not attended (DNAs)")]
    assert "cannot be more than the appointments" in response.content.decode()
    assert not AccessReturn.objects.exists()


def test_a_good_upload_becomes_the_draft(client, access_return, bob):
    rows = [[q.label, answer_text(q.name, good_answers()[q.name])] for q in QUESTIONS]
    sign_in(client, bob)
    response = client.post(
        reverse("returns:return_upload", args=[access_return.pk]), {"file": upload(rows), "upload": "1"}
    )
    assert response.status_code == 302
    assert AccessReturn.objects.get(revision__ret=access_return).appointments_dna == 150


def test_the_template_downloads_with_every_question(client, access_return, bob):
    response = sign_in(client, bob).get(reverse("returns:return_template", args=[access_return.pk, "csv"]))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.startswith("Question,Answer,How to answer")
    assert all(q.label in text for q in QUESTIONS)


# --- the extended access pages ----------------------------------------------------------


@pytest.fixture
def accepted(access_return, bob, alice):
    submitted(access_return, bob)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return_accept(ret=access_return, user=alice)
    return access_return


@pytest.mark.parametrize("username", ["bob", "dave", "erin"])
def test_only_the_ccgs_commissioners_and_governing_body_see_its_extended_access_page(
    client, accepted, luton, username, request
):
    sign_in(client, request.getfixturevalue(username))
    assert client.get(reverse("access:ccg_access", args=[luton.pk])).status_code == 404


def test_the_governing_body_reads_the_extended_access_page_without_links_to_the_returns(
    client, accepted, carol, alice, luton
):
    page_url = reverse("access:ccg_access", args=[luton.pk])
    assert sign_in(client, carol).get(reverse("access:index"))["Location"] == page_url
    page = client.get(page_url).content.decode()
    assert "Fully compliant (with its group)" in page and "44.2" in page
    revision_link = reverse("returns:revision_detail", args=[accepted.latest_revision().pk])
    assert revision_link not in page and reverse("returns:collection_list") not in page
    assert revision_link in sign_in(client, alice).get(page_url).content.decode()


@pytest.mark.parametrize("username", ["bob", "dave"])
def test_people_without_a_role_in_a_ccg_have_no_extended_access_index(client, username, request):
    sign_in(client, request.getfixturevalue(username))
    assert client.get(reverse("access:index")).status_code == 404


def test_the_extended_access_pages_need_a_sign_in(client, luton):
    response = client.get(reverse("access:ccg_access", args=[luton.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_commissioner_of_one_ccg_goes_straight_to_it(client, alice, luton):
    response = sign_in(client, alice).get(reverse("access:index"))
    assert response["Location"] == reverse("access:ccg_access", args=[luton.pk])


def test_the_administrator_chooses_a_ccg(client, root, luton, wolverhampton):
    response = sign_in(client, root).get(reverse("access:index"))
    assert response.status_code == 200
    assert "NHS Luton CCG" in response.content.decode() and "NHS Wolverhampton CCG" in response.content.decode()


def test_the_ccg_page_shows_each_practices_compliance_and_rates(client, accepted, alice, luton):
    response = sign_in(client, alice).get(reverse("access:ccg_access", args=[luton.pk]))
    page = response.content.decode()
    assert "Extended access in NHS Luton CCG" in page and "October 2018" in page
    assert "Fully compliant (with its group)" in page
    assert "44.2" in page and "81.3" in page and "4.4%" in page
    assert 'id="access-chart-data"' in page
    assert metric("extended_access_minutes_per_1000").numerator in page, "the engine's own definitions"


# Two of the queries list the CCG's practices, so that the unique key finds their values (see
# MetricValueQuerySet._within); one finds which practices' returns the reader may open.
def test_the_ccg_page_reads_stored_measures_in_the_same_number_of_queries_for_more_practices(
    client, accepted, alice, luton, django_assert_num_queries
):
    practices = []
    for index in range(5):
        practice = PracticeFactory(ods_code=f"E8120{index}", ccg=luton)
        ListSizeFactory(practice=practice, patients=8000)
        practices.append(practice)
    november = collection_open(
        ccg=luton, return_type="access-monthly", period_start=dt.date(2018, 11, 1), due_date=dt.date(2018, 12, 10),
        user=alice, practices=practices,
    )  # fmt: skip
    for ret in november.returns.all():
        return_save(ret=ret, user=alice, values=good_answers())
        return_submit(ret=ret, user=alice)
        with TestCase.captureOnCommitCallbacks(execute=True):
            return_accept(ret=ret, user=alice)
    sign_in(client, alice)
    url = reverse("access:ccg_access", args=[luton.pk])
    client.get(url)
    # 11 for the returns and one to look for the published appointments of the CCG's area.
    with django_assert_num_queries(12) as one_practice:
        client.get(url, {"period": "2018-10-01_2018-10-31"})
    with django_assert_num_queries(len(one_practice.captured_queries)):
        response = client.get(url, {"period": "2018-11-01_2018-11-30"})
    assert len(response.context["measures"]) == 5


# The CCG's usual range is one query for the CCG's practices and one for their values.
def test_a_return_is_checked_against_the_ccgs_range_in_the_same_number_of_queries_for_more_practices(
    client, access_return, luton, bob, django_assert_num_queries
):
    def september_of(count: int) -> None:
        for _ in range(count):
            practice = PracticeFactory(ccg=luton)
            accepted_access(practice, dt.date(2018, 9, 1), 8000)
        metrics_recompute()

    return_save(ret=access_return, user=bob, values=good_answers(appointments_face_to_face=1000, appointments_gp=100))
    sign_in(client, bob)
    url = reverse("returns:return_detail", args=[access_return.pk])
    september_of(5)
    client.get(url)
    with django_assert_num_queries(18) as five_practices:
        response = client.get(url)
    assert "the CCG&#x27;s usual range" in response.content.decode()
    september_of(5)
    with django_assert_num_queries(len(five_practices.captured_queries)):
        response = client.get(url)
    assert "of 10 practices" in response.content.decode()
