import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from openpyxl import Workbook

from commissioning.models import Action, Chapter, HighImpactAction, NationalCommitment, PlanVersion
from commissioning.services import plan_create, plan_version_submit
from commissioning.tracker import TrackerFileError, tracker_export, tracker_import, tracker_read
from tests.factories import ClusterFactory, PracticeFactory
from tests.spreadsheets import declared_everything, declared_with_a_far_row, far_cell, measured, zip_bomb

from .factories import ActionFactory, TaskGroupFactory

pytestmark = pytest.mark.django_db

HEADERS = ["Local code", "Title", "Chapter", "Status", "Due date", "National commitments", "Practices (ODS codes)"]


@pytest.fixture
def plan(luton):
    return plan_create(ccg=luton, title="Luton GPFV plan", first_year=2017, last_year=2018)


@pytest.fixture
def full_plan(plan, luton):
    cluster = ClusterFactory(ccg=luton, name="Luton South")
    practice = PracticeFactory(ods_code="E81002", ccg=luton)
    group = TaskGroupFactory(ccg=luton, name="Access task and finish group")
    action = ActionFactory(
        plan=plan,
        local_code="PC01/06",
        title="Extended access hub, evenings and weekends",
        chapter=Chapter.objects.get(code="care-redesign"),
        strategy_reference="Objective 1.3 - page 22",
        lead="Head of Primary Care",
        task_group=group,
        start_date=dt.date(2017, 4, 1),
        due_date=dt.date(2019, 3, 31),
        status=Action.Status.IN_PROGRESS,
        rag=Action.RAG.AMBER,
        rag_reason="Hub staffing for Sundays not yet agreed",
        description="Pre-bookable appointments 18:30-20:00 weekdays and at weekends.",
    )
    action.commitments.set(NationalCommitment.objects.filter(code__in=["extended-access", "online-tools"]))
    action.high_impact_actions.set(HighImpactAction.objects.filter(number__in=[1, 2]))
    action.clusters.set([cluster])
    action.practices.set([practice])
    ActionFactory(plan=plan, local_code="PC02", title="Clinical pharmacists in every cluster", rag="")
    return plan


def _snapshot(plan):
    return [
        (
            a.local_code, a.title, a.chapter.name, a.strategy_reference, a.lead, getattr(a.task_group, "name", None),
            a.start_date, a.due_date, a.status, a.rag, a.rag_reason, a.description,
            sorted(c.code for c in a.commitments.all()), sorted(h.number for h in a.high_impact_actions.all()),
            sorted(c.name for c in a.clusters.all()), sorted(p.ods_code for p in a.practices.all()),
        )
        for a in Action.objects.filter(plan=plan).order_by("local_code")
    ]  # fmt: skip


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_exported_tracker_imports_back_to_the_same_plan(full_plan, alice, file_format):
    before = _snapshot(full_plan)
    content = tracker_export(plan=full_plan, file_format=file_format)
    Action.objects.filter(plan=full_plan).delete()

    result = tracker_import(
        plan=full_plan, dataset=tracker_read(content=content, filename=f"t.{file_format}"), user=alice
    )

    assert result.ok, result.errors
    assert result.created == 2
    assert _snapshot(full_plan) == before


def test_importing_an_unchanged_tracker_changes_nothing(full_plan, alice):
    content = tracker_export(plan=full_plan, file_format="xlsx")
    history = Action.history.count()
    result = tracker_import(plan=full_plan, dataset=tracker_read(content=content, filename="t.xlsx"), user=alice)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert Action.history.count() == history


def _xlsx(rows, headers=HEADERS):
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_tracker_with_bad_rows_saves_nothing_and_names_each_row_and_column(plan, alice):
    content = _xlsx(
        [
            ["PC01", "Good action", "Workforce", "In progress", "2019-03-31", "5000-more-gps", ""],
            ["PC02", "Bad chapter", "Estates", "In progress", "2019-03-31", "", ""],
            ["PC03", "Bad status and date", "Workload", "Finished", "31st March", "", ""],
            ["PC04", "Unknown commitment and practice", "Workforce", "Not started", "", "10000-more-gps", "Z99999"],
        ]
    )
    result = tracker_import(plan=plan, dataset=tracker_read(content=content, filename="t.xlsx"), user=alice)

    assert not result.saved
    assert Action.objects.count() == 0
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (3, "Chapter"),
        (4, "Status"),
        (4, "Due date"),
        (5, "National commitments"),
        (5, "Practices (ODS codes)"),
    }
    assert any("no chapter called 'Estates'" in e.message for e in result.errors)
    assert any("10000-more-gps" in e.message for e in result.errors)


def test_the_same_local_code_twice_is_refused(plan, alice):
    content = _xlsx([["PC01", "One", "Workforce", "In progress", "", "", ""]] * 2)
    result = tracker_import(plan=plan, dataset=tracker_read(content=content, filename="t.xlsx"), user=alice)
    assert [(e.row, e.column) for e in result.errors] == [(3, "Local code")]
    assert Action.objects.count() == 0


def test_practices_of_another_ccg_cannot_be_named(plan, alice, wolverhampton_practice):
    content = _xlsx([["PC01", "One", "Workforce", "In progress", "", "", wolverhampton_practice.ods_code]])
    result = tracker_import(plan=plan, dataset=tracker_read(content=content, filename="t.xlsx"), user=alice)
    assert [(e.row, e.column) for e in result.errors] == [(2, "Practices (ODS codes)")]


def test_an_import_is_recorded_in_the_history_with_its_user(plan, alice):
    content = _xlsx([["PC01", "One", "Workforce", "In progress", "", "", ""]])
    tracker_import(plan=plan, dataset=tracker_read(content=content, filename="t.xlsx"), user=alice)
    assert Action.history.get().history_user == alice


def test_a_submitted_plan_refuses_an_import(plan, alice):
    plan_version_submit(version=plan.current_version, user=alice)
    content = _xlsx([["PC01", "One", "Workforce", "In progress", "", "", ""]])
    result = tracker_import(plan=plan, dataset=tracker_read(content=content, filename="t.xlsx"), user=alice)
    assert not result.saved and "submitted" in result.errors[0].message
    assert plan.current_version.status == PlanVersion.Status.SUBMITTED
    assert Action.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"not a spreadsheet", "t.xlsx", "could not be read"),
        (b"a,b\n1,2\n", "t.csv", "no column called 'Local code'"),
        (b"x", "t.xlsm", ".xlsx or .csv"),
        ("Local code,Title\n".encode("cp1252") + b"\x92", "t.csv", "UTF-8"),
    ],
)
def test_a_file_that_is_not_a_tracker_is_refused_with_a_reason(content, filename, message):
    with pytest.raises(TrackerFileError, match=message):
        tracker_read(content=content, filename=filename)


def test_formulas_are_read_as_values_and_never_run(plan, alice):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    sheet.append(["PC01", '=HYPERLINK("http://evil.example","x")', "Workforce", "In progress", "", "", ""])
    out = io.BytesIO()
    book.save(out)
    dataset = tracker_read(content=out.getvalue(), filename="t.xlsx")
    # No cached value was saved by a spreadsheet program, so the cell reads as empty, not as a formula result.
    assert dataset.dict[0]["Title"] in ("", None)


# Limits: a hostile spreadsheet is refused through the import page in little memory and time.

GOOD_ROW = ["PC01", "One", "Workforce", "In progress", "", "", ""]


def _post_tracker(client, user, plan, name, content):
    """Upload, have the worker's job run (as it does once the request commits) and open the run's page."""
    client.force_login(user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("commissioning:tracker_import", args=[plan.pk]),
            {"file": SimpleUploadedFile(name, content), "import": "Import"},
        )
    return client.get(response["Location"]) if response.status_code == 302 else response


@pytest.mark.parametrize("build", [declared_with_a_far_row, far_cell], ids=["declared-and-far-row", "far-cell"])
def test_a_6_kb_tracker_reaching_the_last_row_is_refused_through_the_page_in_little_memory(client, alice, plan, build):
    content = build([HEADERS, GOOD_ROW])
    assert len(content) < 8_000
    with measured(seconds=30) as memory:
        response = _post_tracker(client, alice, plan, "tracker.xlsx", content)
    assert response.status_code == 200
    assert "The file goes on past row 20,000: at most 20,000 rows are read." in response.content.decode()
    assert not Action.objects.exists()
    assert memory.peak_mb < 50, f"{memory.peak_mb:.0f} MB"


def test_a_tracker_zip_bomb_is_refused_through_the_page_before_it_is_unpacked(client, alice, plan):
    with measured(seconds=60) as memory:
        response = _post_tracker(client, alice, plan, "tracker.xlsx", zip_bomb([HEADERS, GOOD_ROW]))
    assert "The workbook unpacks to more than 100 MB, the most read" in response.content.decode()
    assert memory.peak_mb < 50, f"{memory.peak_mb:.0f} MB"


def test_a_tracker_declaring_the_whole_sheet_imports_the_rows_it_holds(client, alice, plan):
    with measured(seconds=30) as memory:
        response = _post_tracker(client, alice, plan, "tracker.xlsx", declared_everything([HEADERS, GOOD_ROW]))
    assert response.status_code == 200
    assert Action.objects.get().title == "One"
    assert memory.peak_mb < 50


def test_a_tracker_with_too_many_rows_or_columns_is_refused_naming_the_limit():
    rows = "\n".join(["PC01,One,Workforce,In progress"] * 20_000)
    with pytest.raises(TrackerFileError, match="goes on past row 20,000"):
        tracker_read(content=("Local code,Title,Chapter,Status\n" + rows).encode(), filename="t.csv")
    with pytest.raises(TrackerFileError, match="Row 2 goes on past column IV"):
        tracker_read(content=_xlsx([GOOD_ROW + ["x"] * 250]), filename="t.xlsx")


def test_a_tracker_larger_than_5_mb_is_refused_through_the_page_before_it_is_read(client, alice, plan):
    response = _post_tracker(client, alice, plan, "tracker.csv", b"x" * (5 * 1024 * 1024 + 1))
    assert "The file is larger than 5 MB." in response.content.decode()
