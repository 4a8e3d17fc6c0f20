"""The entry point: import one reference file in one transaction, or not at all."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from portal.registry import Registry

from .base import Importer
from .columns import ReferenceFileError
from .epraccur import EpraccurImporter
from .imd import DeprivationImporter
from .list_sizes import ListSizeImporter
from .pcn_designations import PCNDesignationImporter
from .practice_map import PracticeMapImporter
from .qof_list_sizes import QOFListSizeImporter
from .qof_organisations import QOFOrganisationImporter
from .report import ImportReport

#: Every dataset the portal imports, by name. Those whose rows belong to ``practices`` are
#: here; an app above it that owns a publication's rows registers its importer in its own
#: ``<app>/reference_importers.py`` (found at start-up by ``PracticesConfig.ready``): payments
#: (``commissioning``), QOF prevalence (``quality``), appointments in general practice (``access``).
DATASETS: Registry[str, type[Importer]] = Registry("dataset importer")


def register(importer: type[Importer]) -> type[Importer]:
    """Make ``importer`` one of the ``DATASETS`` (by its ``dataset``)."""
    return DATASETS.add(importer.dataset, importer)


for _importer in (
    EpraccurImporter,
    QOFOrganisationImporter,
    ListSizeImporter,
    PracticeMapImporter,
    QOFListSizeImporter,
    DeprivationImporter,
    PCNDesignationImporter,
):
    register(_importer)


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
    except LookupError:
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
