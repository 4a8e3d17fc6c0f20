"""Reference rows that data migrations load (the GPFV chapters and commitments, funding
streams, default scoring rules), and a way to put back what is missing.

Migrations run once; a database flushed since (as the test suite's browser and worker tests
do, and as ``manage.py flush`` does) has the tables but not the rows. An app that loads
reference data by migration gives its AppConfig an ``ensure_reference_data()`` method that
creates only what is missing and is cheap when nothing is. ``load_demo`` and the tests call
``ensure_reference_data()`` here.
"""

from __future__ import annotations

from django.apps import apps


def ensure_reference_data() -> list[str]:
    """Run every app's ``ensure_reference_data``; returns the labels of the apps asked."""
    asked = []
    for config in apps.get_app_configs():
        ensure = getattr(config, "ensure_reference_data", None)
        if ensure is not None:
            ensure()
            asked.append(config.label)
    return asked
