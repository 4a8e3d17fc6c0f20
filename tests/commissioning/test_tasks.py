"""The tracker import job: it reads the file once, checks and saves in one pass, shows its
progress, reports every bad cell and saves nothing then, and runs a run only once."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.test import TestCase

from commissioning import services
from commissioning.models import Action, Chapter, TrackerImportRun
from commissioning.services import plan_create, tracker_import_queue
from commissioning.tasks import import_tracker
from portal.models import BackgroundJob

pytestmark = pytest.mark.django_db

HEADER = "Local code,Title,Chapter,Status\n"


@pytest.fixture
def plan(luton):
    return plan_create(ccg=luton, title="Luton GPFV plan", first_year=2017, last_year=2018)


def _csv(rows: int, *, bad_rows=()) -> bytes:
    lines = [
        f"PC{n:05},Action {n},{'Nowhere' if n in bad_rows else 'Workforce'},In progress" for n in range(1, rows + 1)
    ]
    return (HEADER + "\n".join(lines) + "\n").encode()


def _queue(plan, user, content, *, dry_run=False, name="tracker.csv"):
    """Queue a run as the page does, without the worker taking it yet."""
    with mock.patch("commissioning.tasks.import_tracker.apply_async"):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return tracker_import_queue(plan=plan, upload=SimpleUploadedFile(name, content), user=user, dry_run=dry_run)


def test_a_good_tracker_is_imported_and_the_run_says_what_was_saved(plan, alice):
    run = _queue(plan, alice, _csv(3))
    assert import_tracker(run.pk) == "done"
    run.refresh_from_db()
    assert (run.status, run.saved, run.created, run.updated, run.unchanged) == ("done", True, 3, 0, 0)
    assert (run.errors, run.error, run.percent_done, run.step) == ([], "", 100, "Finished")
    assert run.started_at and run.finished_at
    assert Action.objects.filter(plan=plan).count() == 3


def test_the_file_is_read_once_and_every_row_is_checked_and_saved_in_one_pass(plan, alice):
    run = _queue(plan, alice, _csv(3))
    with (
        mock.patch("commissioning.tracker.read_rows", wraps=services_read_rows()) as read,
        mock.patch(
            "commissioning.tracker.ActionResource.import_data", autospec=True, side_effect=_real_import_data
        ) as import_data,
    ):
        import_tracker(run.pk)
    assert read.call_count == 1
    assert import_data.call_count == 1
    assert Action.objects.filter(plan=plan).count() == 3


def services_read_rows():
    from portal.spreadsheets import read_rows

    return read_rows


def _real_import_data(self, *args, **kwargs):
    from import_export.resources import ModelResource

    return ModelResource.import_data(self, *args, **kwargs)


def test_a_run_reports_its_progress_every_few_hundred_rows(plan, alice, monkeypatch):
    monkeypatch.setattr(services, "TRACKER_PROGRESS_EVERY", 100)
    run = _queue(plan, alice, _csv(450))
    seen = []
    real = BackgroundJob.report_progress

    def spy(self, **kwargs):
        real(self, **kwargs)
        seen.append((self.steps_done, self.steps_total, self.step))

    with mock.patch.object(BackgroundJob, "report_progress", spy):
        import_tracker(run.pk)
    assert ("Reading the file: 400 rows read") in [step for _, _, step in seen]
    importing = [(done, total) for done, total, step in seen if step.startswith("Checking and importing row")]
    assert importing == [(100, 450), (200, 450), (300, 450), (400, 450)]
    assert (0, 450, "Checking and importing 450 rows") in seen


@pytest.mark.django_db(transaction=True)
def test_progress_is_written_where_the_run_page_reads_it(plan, alice):
    run = _queue(plan, alice, _csv(1))
    run.report_progress(done=5, total=10, step="Halfway")
    assert TrackerImportRun.objects.values_list("steps_done", "steps_total", "step").get(pk=run.pk) == (
        5, 10, "Halfway",
    )  # fmt: skip
    assert TrackerImportRun.objects.get(pk=run.pk).percent_done == 50


@pytest.mark.django_db(transaction=True)
def test_progress_inside_the_import_transaction_is_seen_at_once_on_postgresql(plan, alice):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer: there progress inside the transaction waits for its end.")
    run = _queue(plan, alice, _csv(1))
    with transaction.atomic():
        chapter = Chapter.objects.first()
        Action.objects.create(plan=plan, local_code="X", title="Held by the transaction", chapter=chapter)
        run.report_progress(done=3, total=4, step="Checking and importing row 3 of 4")
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT steps_done, step FROM commissioning_trackerimportrun WHERE id = %s", [run.pk])
                assert cursor.fetchone() == (3, "Checking and importing row 3 of 4")
        finally:
            other.close()


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_saved(plan, alice):
    run = _queue(plan, alice, _csv(5, bad_rows={2, 4}))
    import_tracker(run.pk)
    run.refresh_from_db()
    assert (run.status, run.saved) == ("done", False)
    assert [(e["row"], e["column"]) for e in run.errors] == [(3, "Chapter"), (5, "Chapter")]
    assert "There is no chapter called 'Nowhere'." in run.errors[0]["message"]
    assert not Action.objects.exists()


def test_a_check_reports_what_an_import_would_do_and_saves_nothing(plan, alice):
    run = _queue(plan, alice, _csv(2), dry_run=True)
    import_tracker(run.pk)
    run.refresh_from_db()
    assert (run.status, run.saved, run.created, run.errors) == ("done", False, 2, [])
    assert not Action.objects.exists()


def test_a_file_that_cannot_be_read_fails_the_run_with_the_reason(plan, alice):
    run = _queue(plan, alice, b"Title\nNo code column\n")
    assert import_tracker(run.pk) == "failed"
    run.refresh_from_db()
    assert run.status == "failed"
    assert run.error == "The file has no column called 'Local code', 'Chapter', 'Status'."
    assert not Action.objects.exists()


def test_an_unexpected_error_fails_the_run_saves_nothing_and_is_raised_for_the_log(plan, alice):
    run = _queue(plan, alice, _csv(3))
    with mock.patch("commissioning.tracker.ActionResource.import_data", side_effect=RuntimeError("disk")):
        with pytest.raises(RuntimeError):
            import_tracker(run.pk)
    run.refresh_from_db()
    assert run.status == "failed"
    assert run.error == "The import stopped with an error (RuntimeError); nothing was saved."
    assert not Action.objects.exists()


def test_a_run_is_run_once_however_often_its_job_is_delivered(plan, alice):
    run = _queue(plan, alice, _csv(2))
    assert import_tracker(run.pk) == "done"
    finished = TrackerImportRun.objects.get(pk=run.pk).finished_at
    Action.objects.all().delete()
    assert import_tracker(run.pk) == "skipped"
    assert not Action.objects.exists()
    assert TrackerImportRun.objects.get(pk=run.pk).finished_at == finished


def test_a_run_already_running_elsewhere_is_left_to_it(plan, alice):
    run = _queue(plan, alice, _csv(2))
    TrackerImportRun.objects.filter(pk=run.pk).update(status=TrackerImportRun.Status.RUNNING)
    assert import_tracker(run.pk) == "skipped"
    assert not Action.objects.exists()


def test_a_second_upload_of_the_same_file_changes_nothing(plan, alice):
    import_tracker(_queue(plan, alice, _csv(3)).pk)
    history = Action.history.count()
    second = _queue(plan, alice, _csv(3))
    import_tracker(second.pk)
    second.refresh_from_db()
    assert (second.saved, second.created, second.updated, second.unchanged) == (True, 0, 0, 3)
    assert Action.history.count() == history


def test_a_missing_run_is_skipped(db):
    assert import_tracker(999_999) == "skipped"
