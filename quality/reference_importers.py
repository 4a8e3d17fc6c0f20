"""The national publication whose rows the quality app owns: QOF prevalence
(``practices.reference.DATASETS``)."""

from practices.reference import register

from .qof_prevalence_import import QOFPrevalenceImporter

register(QOFPrevalenceImporter)
