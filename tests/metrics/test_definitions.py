"""The metric registry and the models that store its codes."""

import dataclasses

from django.apps import apps
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.questioner import NonInteractiveMigrationQuestioner
from django.db.migrations.state import ProjectState

from metrics import definitions as d
from metrics.models import MetricDeciles, MetricValue


def _changes() -> dict:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    autodetector = MigrationAutodetector(
        loader.project_state(), ProjectState.from_apps(apps), NonInteractiveMigrationQuestioner()
    )
    return autodetector.changes(graph=loader.graph, trim_to_apps={"metrics"})


def test_a_new_metric_needs_no_migration(monkeypatch):
    new = dataclasses.replace(d.METRICS[0], code="new_metric_for_test", name="A metric added later")
    monkeypatch.setattr(d, "METRICS", [*d.METRICS, new])

    assert ("new_metric_for_test", "A metric added later") in MetricValue._meta.get_field("metric").choices
    assert ("new_metric_for_test", "A metric added later") in MetricDeciles._meta.get_field("metric").choices
    assert _changes() == {}


def test_every_metric_code_is_a_choice_of_the_stored_values():
    codes = {code for code, _ in MetricValue._meta.get_field("metric").choices}
    assert codes == set(d.BY_CODE)
