"""Importers for the national reference files: ODS practices, the QOF organisation
reference, registered list sizes, the practice -> PCN -> sub-ICB -> ICB map, the ODS ePCN
workbook of PCNs and their core practices, and each practice's IMD deprivation score.

Call :func:`import_reference` (or ``manage.py import_reference``); see ``importer.py``.
"""

from .columns import Column, ReferenceFileError, parse_date, read_table
from .importer import DATASETS, import_reference, register
from .report import ImportReport, Rejection

__all__ = [
    "DATASETS",
    "Column",
    "ImportReport",
    "ReferenceFileError",
    "Rejection",
    "import_reference",
    "parse_date",
    "read_table",
    "register",
]
