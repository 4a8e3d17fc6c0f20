"""The plan pages: who may read and change them, versioning through the browser, the
concurrent-edit guard, and the tracker upload."""

import datetime as dt
import io
import re
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from openpyxl import Workbook

from commissioning.models import Action, Chapter, PlanVersion, TrackerImportRun
from commissioning.services import plan_create, plan_version_approve, plan_version_submit, tracker_import_queue
from portal.concurrency import VERSION_FIELD, latest_history_id

from .factories import ActionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(luton):
    return plan_create(ccg=luton, title="Luton GP Forward View plan", first_year=2017, last_year=2018)


@pytest.fixture
def action(plan):
    return ActionFactory(plan=plan, local_code="PC01", title="Extended access hub", due_date=dt.date(2030, 3, 31))


def action_post(action, **changes):
    data = {
        "local_code": action.local_code,
        "title": action.title,
        "description": action.description,
        "chapter": action.chapter_id,
        "strategy_reference": "",
        "lead": action.lead,
        "start_date": action.start_date.isoformat() if action.start_date else "",
        "due_date": action.due_date.isoformat() if action.due_date else "",
        "status": action.status,
        "rag": action.rag,
        "rag_reason": action.rag_reason,
        VERSION_FIELD: latest_history_id(action),
    }
    data.update(changes)
    return data


def _pages(plan, action):
    version = plan.current_version
    return {
        "plan_detail": reverse("commissioning:plan_detail", args=[plan.pk]),
        "action_list": reverse("commissioning:action_list", args=[plan.pk]),
        "alignment": reverse("commissioning:alignment", args=[plan.pk]),
        "export": reverse("commissioning:plan_export", args=[plan.pk, "csv"]),
        "version_changes": reverse("commissioning:version_changes", args=[version.pk]),
        "action_detail": reverse("commissioning:action_detail", args=[action.pk]),
    }


def _forms(plan, action):
    version = plan.current_version
    return {
        "action_update": (
            reverse("commissioning:action_update", args=[action.pk]),
            action_post(action, title="Hacked"),
        ),
        "action_create": (
            reverse("commissioning:action_create", args=[plan.pk]),
            action_post(action, local_code="PC99", title="Hacked"),
        ),
        "tracker_import": (reverse("commissioning:tracker_import", args=[plan.pk]), {}),
        "version_submit": (reverse("commissioning:version_step", args=[version.pk, "submit"]), {}),
        "version_approve": (
            reverse("commissioning:version_approve", args=[version.pk]),
            {"committee": "PCCC", "decided_on": "2017-03-29"},
        ),
        "plan_create": (
            reverse("commissioning:plan_create", args=[plan.ccg_id]),
            {"title": "Another", "first_year": 2019, "last_year": 2020},
        ),
    }


@pytest.mark.parametrize(
    "page", ["plan_detail", "action_list", "alignment", "export", "version_changes", "action_detail"]
)
@pytest.mark.parametrize("person", ["dave", "erin", "bob"])
def test_people_outside_the_ccg_cannot_read_its_plan(client, request, plan, action, page, person):
    user = request.getfixturevalue(person)
    client.force_login(user)
    response = client.get(_pages(plan, action)[page])
    assert response.status_code == 404
    assert b"Extended access hub" not in response.content


@pytest.mark.parametrize("page", ["action_update", "action_create", "tracker_import", "version_submit",
                                  "version_approve", "plan_create"])  # fmt: skip
@pytest.mark.parametrize("person", ["dave", "erin", "bob", "carol"])
def test_only_the_ccgs_commissioners_can_change_its_plan(client, request, plan, action, page, person):
    user = request.getfixturevalue(person)
    client.force_login(user)
    url, data = _forms(plan, action)[page]
    response = client.post(url, data)
    assert response.status_code in (403, 404)
    action.refresh_from_db()
    assert action.title == "Extended access hub"
    assert Action.objects.count() == 1
    assert plan.versions.get().status == PlanVersion.Status.DRAFT
    assert plan.ccg.plans.count() == 1


def test_governing_body_member_reads_the_plan_without_edit_links(client, carol, plan, action):
    client.force_login(carol)
    response = client.get(reverse("commissioning:plan_detail", args=[plan.pk]))
    assert response.status_code == 200
    assert b"Progress by chapter" in response.content
    assert b"Submit version" not in response.content
    detail = client.get(reverse("commissioning:action_detail", args=[action.pk]))
    assert b"Edit this action" not in detail.content


def test_practice_manager_reads_an_action_naming_their_practice(client, bob, action, luton_practice):
    action.practices.set([luton_practice])
    client.force_login(bob)
    assert client.get(reverse("commissioning:action_detail", args=[action.pk])).status_code == 200
    mine = client.get(reverse("commissioning:my_actions"))
    assert b"Extended access hub" in mine.content
    assert client.get(reverse("commissioning:plan_detail", args=[action.plan_id])).status_code == 404
    assert client.post(reverse("commissioning:action_update", args=[action.pk]), action_post(action)).status_code == 403


def test_editing_an_action_changes_the_chapter_summary(client, alice, plan, action):
    client.force_login(alice)
    response = client.post(
        reverse("commissioning:action_update", args=[action.pk]), action_post(action, status="achieved")
    )
    assert response.status_code == 302
    summary = client.get(reverse("commissioning:plan_detail", args=[plan.pk])).context["totals"]
    assert (summary.achieved, summary.in_progress, summary.total) == (1, 0, 1)
    assert action.history.latest().history_user == alice


def test_a_second_save_over_someone_elses_change_is_refused_and_keeps_the_text(client, alice, plan, action):
    client.force_login(alice)
    url = reverse("commissioning:action_update", args=[action.pk])
    stale = action_post(action, title="Alice's title")
    action.title = "Bob's title, saved first"
    action.save()

    response = client.post(url, stale)

    assert response.status_code == 200
    assert "Someone else" in response.content.decode()
    assert response.context["form"]["title"].value() == "Alice's title"
    action.refresh_from_db()
    assert action.title == "Bob's title, saved first"


def test_an_edit_after_approval_opens_version_two_and_leaves_version_one_frozen(client, alice, plan, action):
    plan_version_submit(version=plan.current_version, user=alice)
    plan_version_approve(version=plan.current_version, committee="PCCC", decided_on=dt.date(2017, 3, 29), user=alice)
    client.force_login(alice)
    client.post(
        reverse("commissioning:action_update", args=[action.pk]), action_post(action, title="Hubs in 4 clusters")
    )

    assert [v.status for v in plan.versions.order_by("number")] == ["approved", "draft"]
    changes = client.get(reverse("commissioning:version_changes", args=[plan.current_version.pk]))
    assert "Hubs in 4 clusters" in changes.content.decode()
    assert "Extended access hub" in changes.content.decode()


def test_a_submitted_plan_refuses_an_edit_and_keeps_what_was_typed(client, alice, plan, action):
    plan_version_submit(version=plan.current_version, user=alice)
    client.force_login(alice)
    response = client.post(
        reverse("commissioning:action_update", args=[action.pk]), action_post(action, title="Typed while submitted")
    )
    assert response.status_code == 200
    assert "submitted for approval" in response.content.decode()
    assert response.context["form"]["title"].value() == "Typed while submitted"
    action.refresh_from_db()
    assert action.title == "Extended access hub"


def test_submit_and_approve_through_the_pages(client, alice, plan):
    client.force_login(alice)
    version = plan.current_version
    client.post(reverse("commissioning:version_step", args=[version.pk, "submit"]))
    response = client.post(
        reverse("commissioning:version_approve", args=[version.pk]),
        {
            "committee": "Primary Care Commissioning Committee",
            "decided_on": "2017-03-29",
            "minute_reference": "PCCC/17/03",
        },
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert (version.status, version.approved_by, version.minute_reference) == ("approved", alice, "PCCC/17/03")


def test_a_red_rating_without_a_reason_is_refused_with_the_form_kept(client, alice, action):
    client.force_login(alice)
    response = client.post(
        reverse("commissioning:action_update", args=[action.pk]), action_post(action, rag="red", title="Kept title")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["rag_reason"]
    assert response.context["form"]["title"].value() == "Kept title"


def test_a_duplicate_local_code_is_a_form_error(client, alice, plan, action):
    client.force_login(alice)
    response = client.post(reverse("commissioning:action_create", args=[plan.pk]), action_post(action, title="Dup"))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Action.objects.count() == 1


def test_action_list_filters_overdue_and_chapter(client, alice, plan):
    ActionFactory(plan=plan, local_code="OLD", due_date=dt.date(2018, 3, 31), status="in_progress")
    ActionFactory(
        plan=plan, local_code="NEW", due_date=dt.date(2030, 3, 31), chapter=Chapter.objects.get(code="workload")
    )
    client.force_login(alice)
    url = reverse("commissioning:action_list", args=[plan.pk])
    overdue = client.get(url, {"overdue": "yes"}).context["filter"].qs
    assert [a.local_code for a in overdue] == ["OLD"]
    workload = client.get(url, {"chapter": Chapter.objects.get(code="workload").pk}).context["filter"].qs
    assert [a.local_code for a in workload] == ["NEW"]


def test_action_list_query_count_does_not_grow_with_actions(client, alice, plan, django_assert_max_num_queries):
    ActionFactory.create_batch(30, plan=plan)
    client.force_login(alice)
    with django_assert_max_num_queries(16):
        client.get(reverse("commissioning:action_list", args=[plan.pk]))


def test_alignment_lists_commitments_without_actions_and_actions_without_commitments(client, alice, plan, action):
    client.force_login(alice)
    response = client.get(reverse("commissioning:alignment", args=[plan.pk]))
    assert [a.local_code for a in response.context["unaligned"]] == ["PC01"]
    assert len(response.context["unanswered"]) == 19


def _upload(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["Local code", "Title", "Chapter", "Status"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("tracker.xlsx", out.getvalue())


def test_tracker_upload_reports_bad_rows_and_saves_nothing(client, alice, plan, django_capture_on_commit_callbacks):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("commissioning:tracker_import", args=[plan.pk]),
            {"file": _upload([["PC01", "Good", "Workforce", "In progress"], ["PC02", "Bad", "Estates", "Done"]]),
             "import": "Import"},
        )  # fmt: skip
    response = client.get(response["Location"])
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nothing has been saved" in text and "no chapter called" in text
    assert Action.objects.count() == 0


def test_tracker_upload_imports_a_good_file(client, alice, plan, django_capture_on_commit_callbacks):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("commissioning:tracker_import", args=[plan.pk]),
            {"file": _upload([["PC01", "Good", "Workforce", "In progress"]]), "import": "Import"},
        )
    assert response.status_code == 302
    assert Action.objects.get().title == "Good"
    assert "1 action added, 0 changed, 0 unchanged" in client.get(response["Location"]).content.decode()


def test_exported_csv_is_a_download_of_the_plans_actions(client, carol, plan, action):
    client.force_login(carol)
    response = client.get(reverse("commissioning:plan_export", args=[plan.pk, "csv"]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Extended access hub" in response.content.decode("utf-8-sig")


def test_the_edit_page_carries_the_version_the_guard_checks(client, alice, action):
    """The form's own layout must render the guard's hidden field, or every save is refused."""
    client.force_login(alice)
    url = reverse("commissioning:action_update", args=[action.pk])
    page = client.get(url).content.decode()
    match = re.search(rf'name="{VERSION_FIELD}" value="(\d+)"', page)
    assert match and match.group(1) == latest_history_id(action)

    response = client.post(url, action_post(action, **{VERSION_FIELD: match.group(1), "title": "Saved"}))
    assert response.status_code == 302


def test_tracker_upload_returns_at_once_with_the_job_queued_and_its_page_shows_it_waiting(client, alice, plan):
    client.force_login(alice)
    with mock.patch("commissioning.tasks.import_tracker.apply_async") as delay:
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(
                reverse("commissioning:tracker_import", args=[plan.pk]),
                {"file": _upload([["PC01", "Good", "Workforce", "In progress"]]), "import": "Import"},
            )
    run = TrackerImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert list(delay.call_args.args[0]) == [run.pk]
    assert (run.status, run.dry_run, run.requested_by, run.file_name) == ("queued", False, alice, "tracker.xlsx")
    assert not Action.objects.exists()
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Queued" in page and "Refresh to see how far it has got" in page
    assert f'hx-get="{run.get_absolute_url()}"' in page
    fragment = client.get(run.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="job-progress"') and "<html" not in fragment


def test_tracker_check_is_a_job_that_saves_nothing_and_says_what_an_import_would_do(
    client, alice, plan, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("commissioning:tracker_import", args=[plan.pk]),
            {"file": _upload([["PC01", "Good", "Workforce", "In progress"]]), "check": "Check the file"},
        )
    page = client.get(response["Location"]).content.decode()
    assert "tracker.xlsx is good: importing it would add 1 action" in page
    assert "hx-get" not in page
    assert not Action.objects.exists()


def test_tracker_upload_of_the_wrong_type_is_refused_in_the_request(client, alice, plan):
    client.force_login(alice)
    response = client.post(
        reverse("commissioning:tracker_import", args=[plan.pk]),
        {"file": SimpleUploadedFile("tracker.pdf", b"%PDF"), "import": "Import"},
    )
    assert response.status_code == 200
    assert "Upload the tracker as an .xlsx or .csv file." in response.content.decode()
    assert not TrackerImportRun.objects.exists()


@pytest.mark.parametrize("person", ["carol", "erin", "bob"])
def test_only_the_ccgs_commissioners_and_administrators_see_a_tracker_import(client, request, plan, alice, person):
    with mock.patch("commissioning.tasks.import_tracker.apply_async"):
        run = tracker_import_queue(plan=plan, upload=_upload([["PC01", "A", "Workforce", "In progress"]]), user=alice)
    client.force_login(request.getfixturevalue(person))
    assert client.get(run.get_absolute_url()).status_code == 404
    client.force_login(request.getfixturevalue("root"))
    assert client.get(run.get_absolute_url()).status_code == 200
    client.force_login(alice)
    listed = client.get(reverse("commissioning:tracker_import", args=[plan.pk])).content.decode()
    assert "Import of tracker.xlsx" in listed
