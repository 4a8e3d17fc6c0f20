"""The metrics jobs on a real Celery worker (Redis in CI, the filesystem broker otherwise): a
recompute run taken from the broker writes the values and finishes its run; a second run of
the same job changes nothing."""

from __future__ import annotations

import pytest

from metrics.models import MetricValue, RecomputeRun
from tests.test_celery_worker import run_on_worker, worker, worker_log_on_failure  # noqa: F401 - fixtures

from .helpers import Q1_2018, accepted_workforce

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_worker_recomputes_metrics_and_a_second_run_changes_nothing(
    worker,  # noqa: F811 - the fixture imported above
    worker_log_on_failure,  # noqa: F811
    luton_practice,
):
    accepted_workforce(luton_practice, Q1_2018, 10_000, gp_partner=(4, 4.0, 0, 0))
    run = RecomputeRun.objects.create(trigger=RecomputeRun.Trigger.COMMAND)

    result = run_on_worker(worker, "metrics.tasks.recompute_metrics", run.pk)

    assert result.status == "SUCCESS", result.traceback
    run.refresh_from_db()
    assert run.status == RecomputeRun.Status.DONE, run.error
    row = MetricValue.objects.for_practice(luton_practice).metric("gp_fte_per_1000").get()
    assert row.value == pytest.approx(0.4)
    values = sorted(MetricValue.objects.values_list("metric", "level", "org_id", "period", "value"))

    second = RecomputeRun.objects.create(trigger=RecomputeRun.Trigger.NIGHTLY)
    again = run_on_worker(worker, "metrics.tasks.recompute_metrics", second.pk)

    assert again.status == "SUCCESS", again.traceback
    second.refresh_from_db()
    assert second.status == RecomputeRun.Status.DONE
    assert sorted(MetricValue.objects.values_list("metric", "level", "org_id", "period", "value")) == values
