"""Reference import runs: queued for the worker, run once, outcome kept; and the command."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from practices import services
from practices.models import ListSize, Practice, ReferenceImport
from practices.services import reference_import_create, reference_import_queue, reference_import_run
from practices.tasks import import_reference_file

DATA = Path(settings.BASE_DIR) / "data" / "reference"
EPRACCUR = DATA / "epraccur" / "epraccur.csv"
LIST_SIZES = DATA / "gp-reg-pat-prac-all" / "gp-reg-pat-prac-all.csv"
EPRACCUR_SHA256 = "6f7a40f942a7be2005cf2f660e029768ff78e621039e90d1a981debf57b7640a"


@pytest.fixture
def luton_practices(db):
    run = reference_import_create(dataset="epraccur", path=EPRACCUR, only_ccgs={"06P"})
    reference_import_run(reference_import=run)


def test_queued_import_runs_in_the_worker_after_commit_and_keeps_its_outcome(root, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = reference_import_queue(dataset="epraccur", path=EPRACCUR, user=root, only_ccgs={"06P"})
        assert run.status == ReferenceImport.Status.QUEUED
    run.refresh_from_db()
    assert run.status == ReferenceImport.Status.DONE
    assert (run.sha256, run.only_ccgs, run.requested_by) == (EPRACCUR_SHA256, ["06P"], root)
    assert run.created == Practice.objects.count() > 0
    assert run.started_at <= run.finished_at
    assert run.outcome["records"]["practices"]["created"] == run.created
    assert "0 rejected" in run.summary
    assert Practice.objects.get(ods_code="E81001").history.get().history_user == root


def test_a_finished_run_is_not_run_again(luton_practices):
    run = ReferenceImport.objects.get()
    finished_at = run.finished_at
    assert import_reference_file(run.pk) == ReferenceImport.Status.DONE
    run.refresh_from_db()
    assert run.finished_at == finished_at
    assert Practice.history.count() == Practice.objects.count()


def test_run_keeps_each_rejected_row_with_its_line_and_reason(luton_practices, tmp_path):
    path = tmp_path / "sizes.csv"
    lines = LIST_SIZES.read_text().splitlines()
    path.write_text("\n".join([lines[0], *[line for line in lines if ",06P," in line], lines[1]]) + "\n")
    run = reference_import_create(dataset="list-sizes", path=path)
    assert import_reference_file(run.pk) == ReferenceImport.Status.DONE
    run.refresh_from_db()
    assert (run.created, run.rejected) == (26, 1)
    assert run.rejections == [{"line": 28, "reason": "CODE A84002 is not in the portal: import epraccur first"}]


def test_a_file_missing_a_column_fails_the_run_naming_the_column(luton_practices, tmp_path):
    path = tmp_path / "sizes.csv"
    path.write_text("EXTRACT_DATE,CODE\n01JAN2021,E81001\n")
    run = reference_import_create(dataset="list-sizes", path=path)
    assert import_reference_file(run.pk) == ReferenceImport.Status.FAILED
    run.refresh_from_db()
    assert "has no NUMBER_OF_PATIENTS column" in run.error
    assert not ListSize.objects.exists()


def test_a_file_changed_after_it_was_queued_is_not_imported(luton_practices, tmp_path):
    path = tmp_path / "sizes.csv"
    path.write_text(LIST_SIZES.read_text())
    run = reference_import_create(dataset="list-sizes", path=path)
    path.write_text(LIST_SIZES.read_text().replace("3492", "3493"))
    assert import_reference_file(run.pk) == ReferenceImport.Status.FAILED
    run.refresh_from_db()
    assert "has changed since this import was queued" in run.error
    assert not ListSize.objects.exists()


def test_an_unexpected_error_fails_the_run_and_reaches_the_worker_log(db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "import_reference", broken)
    run = reference_import_create(dataset="epraccur", path=EPRACCUR)
    with pytest.raises(RuntimeError):
        import_reference_file(run.pk)
    run.refresh_from_db()
    assert run.status == ReferenceImport.Status.FAILED
    assert "database went away" in run.error
    assert import_reference_file(run.pk) == ReferenceImport.Status.FAILED  # not retried by a second delivery


def test_a_deleted_run_is_reported_missing(db):
    assert import_reference_file(999_999) == "missing"


def test_command_prints_each_rejected_row_then_the_summary(luton_practices, tmp_path, capsys):
    path = tmp_path / "sizes.csv"
    lines = LIST_SIZES.read_text().splitlines()
    path.write_text("\n".join([lines[0], lines[1], *[line for line in lines if ",06P," in line]]) + "\n")
    call_command("import_reference", "list-sizes", str(path))
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Rejected line 2: CODE A84002 is not in the portal: import epraccur first"
    assert out[-1].startswith("list-sizes sizes.csv: 27 rows, 26 created, 0 updated, 0 unchanged, 1 rejected")
    assert ReferenceImport.objects.filter(dataset="list-sizes", status="done").exists()


def test_command_dry_run_saves_nothing_but_keeps_the_run(luton_practices, capsys):
    call_command("import_reference", "list-sizes", str(LIST_SIZES), "--dry-run", "--only-ccgs", "06P")
    assert "Dry run: nothing was saved." in capsys.readouterr().out
    assert not ListSize.objects.exists()
    assert ReferenceImport.objects.get(dataset="list-sizes").dry_run


def test_command_fails_when_the_file_cannot_be_read(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_reference", "epraccur", str(tmp_path / "missing.csv"))
    assert ReferenceImport.objects.get().status == ReferenceImport.Status.FAILED
