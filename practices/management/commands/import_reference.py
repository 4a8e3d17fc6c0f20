"""Import a national reference file: ODS practices, the QOF organisation reference, list sizes
or the practice -> PCN -> sub-ICB -> ICB map.

    python manage.py import_reference epraccur data/reference/epraccur/epraccur.csv
    python manage.py import_reference list-sizes gp-reg-pat-prac-all.csv --dry-run

Prints every rejected row with its line number and reason, then one summary line. Rejected
rows are left out and the rest of the file is imported, in one transaction. If the file
cannot be read at all (missing, wrong format, a required column missing) nothing changes
and the command exits with an error. Each run is kept as a ReferenceImport record.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from practices.reference import DATASETS
from practices.services import reference_import_create, reference_import_run


class Command(BaseCommand):
    help = "Import a national reference file (epraccur, qof-organisations, list-sizes, practice-map)."

    def add_arguments(self, parser):
        parser.add_argument("dataset", choices=sorted(DATASETS), help="Which kind of file this is.")
        parser.add_argument("file", help="The CSV file as published.")
        parser.add_argument("--dry-run", action="store_true", help="Do everything, report, then roll back.")
        parser.add_argument(
            "--only-ccgs",
            default="",
            help="Comma-separated CCG ODS codes (e.g. 06P,06A): import only those CCGs' rows.",
        )

    def handle(self, *args, dataset: str, file: str, dry_run: bool, only_ccgs: str, **options):
        ccgs = {code.strip().upper() for code in only_ccgs.split(",") if code.strip()} or None
        run = reference_import_create(dataset=dataset, path=file, dry_run=dry_run, only_ccgs=ccgs)
        report = reference_import_run(reference_import=run)
        run.refresh_from_db()
        if report is None:
            raise CommandError(run.error or f"Reference import {run.pk} did not run.")
        for rejection in report.rejections:
            self.stdout.write(f"Rejected {rejection}")
        for warning in report.warnings:
            self.stdout.write(f"Warning {warning}")
        for note in report.notes:
            self.stdout.write(note)
        self.stdout.write(self.style.SUCCESS(report.summary()) if not report.rejected else report.summary())
