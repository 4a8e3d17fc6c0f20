"""Every page of the workflow, and who may open and use it.

bob manages the Luton practice whose return it is; alice commissions Luton; carol sits on
Luton's governing body (she sees no returns); dave manages a Wolverhampton practice and
erin commissions Wolverhampton (they see nothing of Luton's); root administers.
"""

import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from returns.models import Collection, Reminder, Return, Revision
from returns.services import return_accept, return_save, return_submit
from returns.upload import write_table

from .helpers import nurses, workforce_values

S = Return.Status


def login(client, user):
    client.force_login(user)
    return client


def grid_post(values, **extra):
    data = {f"{row}__{column}": value for row, cells in values.items() for column, value in cells.items()}
    data.update(extra)
    return data


RETURN_PAGES = ["returns:return_detail", "returns:return_edit", "returns:return_upload", "returns:return_submit"]


@pytest.fixture
def drafted(ret, bob):
    return_save(ret=ret, user=bob, values=workforce_values())
    return ret


@pytest.fixture
def submitted(drafted, bob):
    return_submit(ret=drafted, user=bob)
    return drafted


# --- who sees what -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["carol", "dave", "erin"])
@pytest.mark.parametrize("page", [*RETURN_PAGES, "returns:return_review"])
def test_people_outside_the_ccg_or_practice_cannot_find_a_return(client, request, submitted, name, page):
    user = request.getfixturevalue(name)
    response = login(client, user).get(reverse(page, args=[submitted.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["carol", "dave", "erin", "bob"])
def test_only_the_ccgs_commissioners_see_a_collection(client, request, collection, name):
    user = request.getfixturevalue(name)
    response = login(client, user).get(reverse("returns:collection_detail", args=[collection.pk]))
    assert response.status_code == 404


def test_anonymous_people_are_sent_to_sign_in(client, ret):
    for url in [reverse("returns:collection_list"), reverse("returns:my_returns"), ret.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_commissioner_sees_the_collection_with_timeliness_by_cluster(client, alice, submitted):
    response = login(client, alice).get(submitted.collection.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "Workforce census, 2017/18 Q3" in content
    assert "Luton North" in content
    assert "Review<span" in content


def test_collection_list_counts_returns(client, alice, submitted):
    response = login(client, alice).get(reverse("returns:collection_list"))
    assert response.status_code == 200
    collection = response.context["collections"][0]
    assert (collection.total, collection.awaiting, collection.outstanding) == (1, 1, 0)
    assert "Open a Workforce census collection" in response.content.decode()


def test_collection_list_queries_do_not_grow_with_collections(client, alice, collection, django_assert_max_num_queries):
    login(client, alice)
    with django_assert_max_num_queries(12):
        client.get(reverse("returns:collection_list"))


def test_practice_manager_sees_their_returns_and_not_the_collection_list(client, bob, ret):
    response = login(client, bob).get(reverse("returns:my_returns"))
    assert list(response.context["returns"]) == [ret]
    assert list(login(client, bob).get(reverse("returns:collection_list")).context["collections"]) == []


def test_practice_manager_of_another_practice_sees_none_of_lutons(client, dave, ret):
    response = login(client, dave).get(reverse("returns:my_returns"))
    assert list(response.context["returns"]) == []


# --- opening a collection ------------------------------------------------------------


def test_commissioner_opens_a_collection_for_some_practices(client, alice, luton, luton_practice):
    url = reverse("returns:collection_create", args=[luton.pk, "workforce"])
    assert login(client, alice).get(url).status_code == 200
    response = client.post(
        url,
        {"period_start": "2017-10-01", "due_date": "", "practices": [luton_practice.pk], "reminder_days_before": 7,
         "overdue_reminder_every_days": 7, "instructions": "Count staff on 31 December."},
    )  # fmt: skip
    collection = Collection.objects.get()
    assert response.status_code == 302 and response["Location"] == collection.get_absolute_url()
    assert collection.due_date.isoformat() == "2018-01-15", "the usual due date: 15 days after the quarter"
    assert collection.returns.get().practice == luton_practice


@pytest.mark.parametrize("name, status", [("carol", 403), ("bob", 404), ("erin", 404)])
def test_only_commissioners_open_collections(client, request, luton, name, status):
    url = reverse("returns:collection_create", args=[luton.pk, "workforce"])
    response = login(client, request.getfixturevalue(name)).get(url)
    assert response.status_code == status


def test_an_unknown_kind_of_return_is_not_found(client, alice, luton):
    response = login(client, alice).get(reverse("returns:collection_create", args=[luton.pk, "nonsense"]))
    assert response.status_code == 404


# --- the form ------------------------------------------------------------------------


def test_practice_manager_saves_a_draft_from_the_form(client, bob, ret):
    response = login(client, bob).post(
        reverse("returns:return_edit", args=[ret.pk]), grid_post(workforce_values(), save="")
    )
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.status == S.DRAFT
    assert ret.type.load(ret.draft_revision())["receptionist"]["headcount"] == 6


def test_a_figure_that_cannot_be_read_saves_nothing_and_keeps_what_was_typed(client, bob, ret):
    data = grid_post(workforce_values(), save="")
    data["gp_partner__fte"] = "three and a half"
    data["hca__headcount"] = "-2"
    response = login(client, bob).post(reverse("returns:return_edit", args=[ret.pk]), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="three and a half"' in content
    assert "Enter a number, such as 2.5." in content and "Cannot be negative." in content
    ret.refresh_from_db()
    assert ret.status == S.NOT_STARTED and not ret.revisions.exists()


def test_a_draft_with_rule_errors_is_saved_and_the_errors_are_shown(client, bob, ret):
    values = workforce_values()
    values["gp_partner"]["fte"] = "9"
    login(client, bob).post(reverse("returns:return_edit", args=[ret.pk]), grid_post(values, save=""))
    response = client.get(ret.get_absolute_url())
    assert "GP partner: 9 FTE is more than 1.5 times the headcount of 4" in response.content.decode()
    assert ret.revisions.get().status == Revision.Status.DRAFT


def test_list_size_correction_without_a_reason_is_refused_on_the_form(client, bob, ret):
    data = grid_post(workforce_values(), save="", **{"list_size-list_size_correction": "10200"})
    response = login(client, bob).post(reverse("returns:return_edit", args=[ret.pk]), data)
    assert response.status_code == 200
    assert "Say why your list size differs" in response.content.decode()


def test_commissioner_cannot_fill_in_a_practices_return(client, alice, ret):
    response = login(client, alice).post(reverse("returns:return_edit", args=[ret.pk]), grid_post(workforce_values()))
    assert response.status_code == 403


def test_an_accepted_return_cannot_be_edited_even_by_its_practice(client, bob, alice, submitted):
    return_accept(ret=submitted, user=alice)
    for page in ["returns:return_edit", "returns:return_upload", "returns:return_submit"]:
        assert login(client, bob).get(reverse(page, args=[submitted.pk])).status_code == 403
    assert client.get(submitted.get_absolute_url()).status_code == 200


# --- two people on one return --------------------------------------------------------


def opened(user, page, ret):
    """A browser of ``user``'s with ``page`` of the return open: the client and the version shown."""
    browser = login(Client(), user)
    response = browser.get(reverse(page, args=[ret.pk]))
    assert response.status_code == 200
    return browser, response.context.get("version", "")


def test_two_people_saving_one_draft_the_second_is_told_and_nothing_is_lost(bob, bella, ret):
    url = reverse("returns:return_edit", args=[ret.pk])
    bobs, bob_saw = opened(bob, "returns:return_edit", ret)
    bellas, bella_saw = opened(bella, "returns:return_edit", ret)
    assert bobs.post(url, grid_post(nurses(3), save="", version=bob_saw)).status_code == 302

    refused = bellas.post(url, grid_post(nurses(5), save="", version=bella_saw))
    assert refused.status_code == 200
    content = refused.content.decode()
    assert "Someone else (Bob) changed this return at" in content
    assert "Nothing of yours has been saved yet" in content
    assert "Changed by Bob at" in content  # the other person's changes, beside hers
    assert refused.context["form"]["practice_nurse__headcount"].value() == "5"  # what she typed is kept
    assert '<td class="nhsuk-table__cell">3</td>' in content  # his figure beside hers
    assert '<td class="nhsuk-table__cell">5</td>' in content
    assert ret.type.load(ret.draft_revision())["practice_nurse"]["headcount"] == 3  # his save is kept

    # Saving again from the page she was shown replaces his figures knowingly.
    again = bellas.post(url, grid_post(nurses(5), save="", version=refused.context["version"]))
    assert again.status_code == 302
    assert ret.type.load(ret.draft_revision())["practice_nurse"]["headcount"] == 5
    saves = bobs.get(ret.get_absolute_url()).context["saves"]
    assert [(s["who"], s["what"]) for s in saves] == [
        ("Bella", "Saved the draft"),
        ("Bob", "Saved the draft"),
        ("Bob", "Started the draft"),
    ]


def test_the_return_page_lists_who_saved_it_and_commissioners_see_only_what_was_sent(client, bob, bella, alice, ret):
    return_save(ret=ret, user=bob, values=nurses(3))
    return_save(ret=ret, user=bella, values=nurses(4))
    return_submit(ret=ret, user=bella)
    return_save(ret=ret, user=bob, values=nurses(5))  # withdraws it: a new draft, the practice's own
    practice_page = login(client, bob).get(ret.get_absolute_url())
    assert [(s["who"], s["revision"], s["what"]) for s in practice_page.context["saves"]] == [
        ("Bob", 2, "Saved the draft"),
        ("Bob", 2, "Started the draft from revision 1"),
        ("Bob", 1, "Withdrew the submission to change it"),
        ("Bella", 1, "Submitted"),
        ("Bella", 1, "Saved the draft"),
        ("Bob", 1, "Saved the draft"),
        ("Bob", 1, "Started the draft"),
    ]
    assert 'id="saves"' in practice_page.content.decode()
    commissioner_page = login(Client(), alice).get(ret.get_absolute_url())
    assert {s["revision"] for s in commissioner_page.context["saves"]} == {1}
    seen = [(s["who"], s["revision"], s["what"]) for s in commissioner_page.context["saves"]]
    assert ("Bella", 1, "Submitted") in seen


def test_two_people_submitting_one_draft_the_second_is_told_who_submitted_it(bob, bella, drafted):
    url = reverse("returns:return_submit", args=[drafted.pk])
    bobs, bob_saw = opened(bob, "returns:return_submit", drafted)
    bellas, bella_saw = opened(bella, "returns:return_submit", drafted)
    first = bobs.post(url, {"version": bob_saw}, follow=True)
    assert "Submitted the" in first.content.decode()
    second = bellas.post(url, {"version": bella_saw}, follow=True)
    content = second.content.decode()
    assert "This return was already submitted by Bob at" in content
    assert "Submitted the" not in content
    assert list(drafted.revisions.values_list("status", flat=True)) == [Revision.Status.SUBMITTED]
    assert drafted.status_changes.filter(to_status=S.SUBMITTED).count() == 1


def test_an_upload_over_a_newer_draft_replaces_it_and_says_whose_it_was(bob, bella, ret):
    upload_url = reverse("returns:return_upload", args=[ret.pk])
    bellas, bella_saw = opened(bella, "returns:return_upload", ret)
    bobs, bob_saw = opened(bob, "returns:return_edit", ret)
    bobs.post(reverse("returns:return_edit", args=[ret.pk]), grid_post(nurses(3), save="", version=bob_saw))
    headers, rows = ret.type.template_table(nurses(5))
    file = SimpleUploadedFile("census.csv", write_table(headers=headers, rows=rows, file_format="csv"))
    response = bellas.post(upload_url, {"file": file, "upload": "", "version": bella_saw}, follow=True)
    content = response.content.decode()
    assert "Bob saved this return at" in content and "census.csv replaced their figures" in content
    assert ret.type.load(ret.draft_revision())["practice_nurse"]["headcount"] == 5
    assert "replacing the draft Bob saved at" in content  # in the list of saves


# --- submitting and reviewing --------------------------------------------------------


def test_practice_manager_submits_from_the_check_page(client, bob, drafted):
    url = reverse("returns:return_submit", args=[drafted.pk])
    page = login(client, bob).get(url)
    assert page.status_code == 200
    response = client.post(url, {"version": page.context["version"]})
    assert response.status_code == 302
    drafted.refresh_from_db()
    assert drafted.status == S.SUBMITTED


def test_commissioner_accepts_a_submission(client, alice, submitted):
    url = reverse("returns:return_review", args=[submitted.pk])
    assert login(client, alice).get(url).status_code == 200
    response = client.post(url, {"decision": "accept", "comment": ""})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == S.ACCEPTED


def test_commissioner_returns_a_submission_with_a_comment(client, alice, bob, submitted):
    url = reverse("returns:return_review", args=[submitted.pk])
    response = login(client, alice).post(url, {"decision": "return", "comment": ""})
    assert response.status_code == 200 and "Say what the practice should correct" in response.content.decode()
    client.post(url, {"decision": "return", "comment": "Nurse ages do not add up."})
    submitted.refresh_from_db()
    assert submitted.status == S.RETURNED
    page = login(client, bob).get(submitted.get_absolute_url()).content.decode()
    assert "Nurse ages do not add up." in page


@pytest.mark.parametrize("name", ["bob", "carol"])
def test_only_commissioners_review(client, request, submitted, name):
    url = reverse("returns:return_review", args=[submitted.pk])
    response = login(client, request.getfixturevalue(name)).post(url, {"decision": "accept"})
    assert response.status_code in (403, 404)
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_a_draft_is_the_practices_own_until_submitted(client, alice, drafted):
    response = login(client, alice).get(drafted.get_absolute_url())
    assert response.context["revision"] is None
    draft = drafted.draft_revision()
    assert client.get(reverse("returns:revision_detail", args=[draft.pk])).status_code == 404


def test_revision_page_shows_a_past_submission(client, alice, submitted):
    revision = submitted.revisions.get()
    response = login(client, alice).get(revision.get_absolute_url())
    assert response.status_code == 200
    assert "Revision 1" in response.content.decode()


# --- chasing -------------------------------------------------------------------------


def test_commissioner_chases_a_practice_once_a_day(client, alice, bob, ret, mailoutbox):
    url = reverse("returns:return_chase", args=[ret.pk])
    login(client, alice).post(url)
    client.post(url)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [bob.email]
    assert Reminder.objects.get().kind == Reminder.Kind.CHASE


def test_chase_all_emails_every_outstanding_practice(client, alice, bob, ret, mailoutbox):
    login(client, alice).post(reverse("returns:collection_chase", args=[ret.collection.pk]))
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("name, status", [("bob", 403), ("carol", 404), ("erin", 404)])
def test_only_commissioners_chase(client, request, ret, mailoutbox, name, status):
    response = login(client, request.getfixturevalue(name)).post(reverse("returns:return_chase", args=[ret.pk]))
    assert response.status_code == status
    assert not mailoutbox


def test_template_downloads_as_xlsx_and_csv(client, bob, drafted):
    login(client, bob)
    xlsx = client.get(reverse("returns:return_template", args=[drafted.pk, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    csv = client.get(reverse("returns:return_template", args=[drafted.pk, "csv"]))
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Staff group,Role,Headcount,FTE")
    assert "GPs,GP partner,4,3.50" in text
    assert client.get(reverse("returns:return_template", args=[drafted.pk, "pdf"])).status_code == 404


def test_chasing_view_queries_do_not_grow_with_the_number_of_practices(
    client, alice, luton, luton_cluster, luton_practice
):
    from returns.services import collection_open

    from ..factories import ClusterMembershipFactory, PracticeFactory
    from .helpers import Q3_2017, Q3_DUE

    def queries_for(collection):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(collection.get_absolute_url()).status_code == 200
        return len(captured)

    login(client, alice)
    small = collection_open(ccg=luton, return_type="workforce", period_start=Q3_2017, due_date=Q3_DUE, user=alice)
    for n in range(2, 22):
        ClusterMembershipFactory(practice=PracticeFactory(ccg=luton, ods_code=f"E81{n:03d}"), cluster=luton_cluster)
    large = collection_open(
        ccg=luton, return_type="workforce", period_start=Q3_2017.replace(month=7), due_date=Q3_DUE, user=alice
    )
    assert large.returns.count() == 21
    count = queries_for(large)
    assert count == queries_for(small)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_one_is_refused_and_nothing_is_withdrawn_on_postgresql(bob, bella, ret):
    """Two requests at once, as two gunicorn workers would take them: the row lock orders them."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("Row locks are PostgreSQL's; on SQLite the same two submits run one after the other above.")
    return_save(ret=ret, user=bob, values=workforce_values())
    url = reverse("returns:return_submit", args=[ret.pk])
    pages = [opened(user, "returns:return_submit", ret) for user in (bob, bella)]
    answers = {}

    def submit(name, browser, version):
        try:
            answers[name] = browser.post(url, {"version": version}, follow=True).content.decode()
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(name, *page)) for name, page in zip("AB", pages, strict=True)]
    # Hold the return's row lock until both requests wait on it, so that they truly overlap.
    with transaction.atomic():
        Return.objects.select_for_update().get(pk=ret.pk)
        for thread in threads:
            thread.start()
        time.sleep(1.5)
    for thread in threads:
        thread.join(timeout=30)
    submitted = [name for name, content in answers.items() if "Submitted the" in content]
    refused = [name for name, content in answers.items() if "This return was already submitted by" in content]
    assert len(submitted) == 1 and len(refused) == 1, answers.keys()
    assert list(ret.revisions.values_list("status", flat=True)) == [Revision.Status.SUBMITTED]
    assert ret.status_changes.filter(to_status=S.SUBMITTED).count() == 1
