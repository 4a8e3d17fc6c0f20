"""The national publication whose rows the commissioning app owns: NHS Payments to General
Practice (``practices.reference.DATASETS``)."""

from practices.reference import register

from .funding.payments_import import PaymentsImporter, PaymentsListSizeImporter

register(PaymentsImporter)
register(PaymentsListSizeImporter)
