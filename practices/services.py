"""Writes about practices and their organisations that touch several models or start a job."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from portal import outbox

from .models import ReferenceImport
from .reference import ImportReport, ReferenceFileError, import_reference


def file_sha256(path: Path | str) -> str:
    """The file's SHA-256, or '' if it cannot be read (the run then fails and says why)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


def reference_import_create(
    *,
    dataset: str,
    path: Path | str,
    user=None,
    dry_run: bool = False,
    only_ccgs: set[str] | None = None,
) -> ReferenceImport:
    """Record a reference import to run, with the file's fingerprint as it is now."""
    return ReferenceImport.objects.create(
        dataset=dataset,
        file_path=str(path),
        sha256=file_sha256(path),
        dry_run=dry_run,
        only_ccgs=sorted(only_ccgs or []),
        requested_by=user if user is not None and user.is_authenticated else None,
    )


def reference_import_queue(
    *,
    dataset: str,
    path: Path | str,
    user=None,
    dry_run: bool = False,
    only_ccgs: set[str] | None = None,
) -> ReferenceImport:
    """Record a reference import and have the worker run it once this transaction commits."""
    from .tasks import import_reference_file

    with transaction.atomic():
        run = reference_import_create(dataset=dataset, path=path, user=user, dry_run=dry_run, only_ccgs=only_ccgs)
        outbox.enqueue(import_reference_file, args=(run.pk,), about=run)
    return run


def reference_import_upload(*, dataset: str, upload, user, dry_run: bool = False) -> ReferenceImport:
    """Keep a reference file uploaded in the browser (media storage) and queue its import."""
    from django.core.files.storage import default_storage

    name = default_storage.save(f"imports/reference/{timezone.localdate():%Y/%m}/{Path(upload.name).name}", upload)
    return reference_import_queue(dataset=dataset, path=default_storage.path(name), user=user, dry_run=dry_run)


def reference_import_run(*, reference_import: ReferenceImport) -> ImportReport | None:
    """Run a recorded import and keep its outcome on the record.

    A finished run (done or failed) is not run again: returns ``None``. A file that cannot
    be read, lacks a required column or has changed since it was queued fails the run with
    the reason in ``error``, and nothing is imported. Any other error also fails the run and
    is raised again, for the worker's log.
    """
    with transaction.atomic():
        run = ReferenceImport.objects.select_for_update().get(pk=reference_import.pk)
        if run.is_finished:
            return None
        run.status = ReferenceImport.Status.RUNNING
        run.started_at = timezone.now()
        run.step = f"Importing {run.file_name}"
        run.save(update_fields=["status", "started_at", "step"])

    try:
        sha256 = file_sha256(run.file_path)
        if run.sha256 and sha256 and sha256 != run.sha256:
            raise ReferenceFileError(f"{run.file_name} has changed since this import was queued; queue it again.")
        report = import_reference(
            run.dataset,
            run.file_path,
            dry_run=run.dry_run,
            only_ccgs=set(run.only_ccgs) or None,
            user=run.requested_by,
        )
    except ReferenceFileError as exc:
        _finish(run, status=ReferenceImport.Status.FAILED, error=str(exc))
        return None
    except Exception as exc:
        _finish(run, status=ReferenceImport.Status.FAILED, error=f"The import stopped with an error: {exc!r}")
        raise

    outcome = report.as_dict()
    run.sha256 = run.sha256 or sha256
    run.created, run.updated, run.unchanged = report.created, report.updated, report.unchanged
    run.rejected, run.skipped = report.rejected, report.skipped
    run.rejections = outcome.pop("rejections")
    run.outcome = {
        key: outcome[key] for key in ("warnings", "notes", "records", "reconciliation") if outcome[key] is not None
    }
    run.summary = report.summary()
    _finish(run, status=ReferenceImport.Status.DONE)
    return report


def _finish(run: ReferenceImport, *, status: str, error: str = "") -> None:
    run.status = status
    run.error = error
    run.finished_at = timezone.now()
    run.save()
