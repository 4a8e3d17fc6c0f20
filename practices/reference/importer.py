"""The entry point: import one reference file in one transaction, or not at all."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from .appointments import AppointmentsImporter
from .base import Importer
from .columns import ReferenceFileError
from .epraccur import EpraccurImporter
from .imd import DeprivationImporter
from .list_sizes import ListSizeImporter
from .payments import PaymentsImporter, PaymentsListSizeImporter
from .pcn_designations import PCNDesignationImporter
from .practice_map import PracticeMapImporter
from .qof_list_sizes import QOFListSizeImporter
from .qof_organisations import QOFOrganisationImporter
from .qof_prevalence import QOFPrevalenceImporter
from .report import ImportReport

DATASETS: dict[str, type[Importer]] = {
    importer.dataset: importer
    for importer in (
        EpraccurImporter,
        QOFOrganisationImporter,
        ListSizeImporter,
        PracticeMapImporter,
        PaymentsImporter,
        QOFPrevalenceImporter,
        QOFListSizeImporter,
        PaymentsListSizeImporter,
        DeprivationImporter,
        PCNDesignationImporter,
        AppointmentsImporter,
    )
}


def import_reference(
    dataset: str,
    path: Path | str,
    *,
    dry_run: bool = False,
    only_ccgs: set[str] | None = None,
    user=None,
) -> ImportReport:
    """Import one reference file and say what happened, row by row.

    The file is read and checked first: if it cannot be read, or lacks a required column,
    :class:`ReferenceFileError` is raised and nothing is written. Otherwise every row is
    imported except the rejected ones, which the report lists with their line numbers; all
    of it in one transaction, so a failure part-way leaves the database as it was.
    ``only_ccgs`` (ODS codes such as ``{"06P"}``) imports only the rows of those CCGs, and
    ``dry_run`` does everything and then rolls back. History rows name ``user``.
    """
    try:
        importer_class = DATASETS[dataset]
    except KeyError:
        raise ReferenceFileError(f"There is no dataset '{dataset}'. The datasets are: {', '.join(DATASETS)}.") from None
    path = Path(path)
    report = ImportReport(dataset=dataset, file_name=path.name, dry_run=dry_run)
    importer = importer_class(report=report, only_ccgs=only_ccgs, user=user)
    table = importer.read(path)
    with transaction.atomic():
        importer.run(table)
        if dry_run:
            transaction.set_rollback(True)
    return report
