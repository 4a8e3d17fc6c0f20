"""The national publication whose rows the access app owns: Appointments in General Practice
(``practices.reference.DATASETS``)."""

from practices.reference import register

from .appointments_import import AppointmentsImporter

register(AppointmentsImporter)
