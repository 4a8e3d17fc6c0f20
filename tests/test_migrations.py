"""Migrations from now on: each is schema or data, never both; data steps can be undone; and
every one can be unapplied and applied again.

``BASELINE`` is each app's last migration when this rule began (issue 16): the older ones are
history and are left as they are (``metrics/0004`` mixes schema and data, ``estates/0002``
dropped two fields). Every migration after its app's baseline is checked.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.migrations import operations as ops
from django.db.migrations.loader import MigrationLoader

BASELINE = {
    "portal": "0001_outbox_message",
    "practices": "0014_pay15b_practice_setting",
    "accounts": "0001_initial",
    "returns": "0002_revision_history",
    "workforce": "0002_delete_workforce_summary",
    "estates": "0004_scheme_status_in_history",
    "access": "0003_appt15b_published_appointments",
    "commissioning": "0010_payment_lines_2015_to_2022",
    "metrics": "0007_worker_job_heartbeat",
    "quality": "0003_cqc_import_run",
    "dashboards": "0005_board_report_meeting_date_required",
    "api": "0001_drop_plain_api_tokens",
}
DATA_OPERATIONS = (ops.RunPython, ops.RunSQL)


def since_baseline() -> list[tuple[str, str]]:
    """Our migrations after their app's baseline, in the order they apply."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    newer = []
    for app, baseline in BASELINE.items():
        names = sorted(name for label, name in loader.disk_migrations if label == app)
        assert baseline in names, f"{app}'s baseline {baseline} is not on disk"
        newer += [(app, name) for name in names if name > baseline]
    return newer


def test_every_app_with_migrations_has_a_baseline():
    root = Path(__file__).resolve().parents[1]
    loader = MigrationLoader(None, ignore_no_migrations=True)
    ours = {label for label, _ in loader.disk_migrations if Path(apps.get_app_config(label).path).parent == root}
    assert ours == set(BASELINE)


def test_each_new_migration_is_schema_or_data_and_its_data_steps_can_be_undone():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for key in since_baseline():
        operations = loader.disk_migrations[key].operations
        data = [op for op in operations if isinstance(op, DATA_OPERATIONS)]
        assert not data or len(data) == len(operations), f"{key} mixes schema and data: split it in two"
        for op in data:
            reverse = op.reverse_code if isinstance(op, ops.RunPython) else op.reverse_sql
            assert reverse is not None, f"{key} cannot be undone: give its {type(op).__name__} a reverse"


@pytest.mark.django_db(transaction=True)
def test_each_new_migration_unapplies_and_applies_again():
    newer = since_baseline()
    try:
        for app, _name in reversed(newer):
            call_command("migrate", app, BASELINE[app], verbosity=0)
        for app, name in newer:
            call_command("migrate", app, name, verbosity=0)
    finally:
        call_command("migrate", verbosity=0)
    assert newer, "nothing since the baseline: the test checks estates 0005 at least"
