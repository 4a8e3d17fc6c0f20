"""A database fault while a recompute writes its values (in the COPY on PostgreSQL, in the
insert on SQLite): the live values and their deciles stay exactly as they were, and the retry
that follows writes the new ones.

Transactional tests, so that the run commits as in production (and, on PostgreSQL, a full
recompute writes its areas on threads of their own, as it does there).
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, connection

from metrics import definitions as d
from metrics import storage, tasks
from metrics.models import MetricDeciles, MetricValue, RecomputeRun
from metrics.services import metrics_recompute
from workforce.models import WorkforceLine

from .helpers import OCTOBER_2018, Q1_2018, accepted_access, accepted_workforce

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def retries_run_eagerly():
    conf = tasks.recompute_metrics.app.conf
    before = conf.task_eager_propagates
    conf.task_eager_propagates = False
    yield
    conf.task_eager_propagates = before


@pytest.fixture
def computed(luton_practice, wolverhampton_practice):
    """Workforce and access values and deciles computed once, then the returns changed so
    that the next recompute gives other values."""
    for practice, fte in ((luton_practice, 4.0), (wolverhampton_practice, 6.0)):
        accepted_workforce(practice, Q1_2018, 10_000, gp_partner=(4, fte, 0, 0))
        accepted_access(practice, OCTOBER_2018, 15_000)
    metrics_recompute()
    before = live()
    assert {d.metric(row[0]).area for row in before["values"]} == {d.Area.WORKFORCE, d.Area.ACCESS}
    assert {d.metric(row[0]).area for row in before["deciles"]} == {d.Area.WORKFORCE, d.Area.ACCESS}
    WorkforceLine.objects.update(fte=8)
    from access.models import AccessReturn

    AccessReturn.objects.update(extended_access_minutes=900)
    return before


def live() -> dict[str, list[tuple]]:
    return {
        "values": sorted(
            MetricValue.objects.values_list("metric", "level", "org_id", "frequency", "period", "value", "decile")
        ),
        "deciles": sorted(
            (row[0], row[1], row[2], tuple(row[3]), row[4])
            for row in MetricDeciles.objects.values_list("metric", "frequency", "period", "deciles", "computed_at")
        ),
    }


class SecondAreaWriteFault:
    """The database fails while the second area's values are being written, the first
    ``times`` times; the first area's values of the same run were written just before (so,
    before the fix, its deciles had already reached the live table)."""

    def __init__(self, monkeypatch, times: int):
        self.left = times
        self.faults = 0
        self.first_area = None
        self.first_area_written = threading.Event()
        self.lock = threading.Lock()
        if connection.vendor == "postgresql":
            real_copy = storage.copy
            monkeypatch.setattr(storage, "copy", lambda batches, table: real_copy(self._stream(batches), table))
        else:
            real_stage = storage.stage_rows
            monkeypatch.setattr(storage, "stage_rows", lambda batches, table: real_stage(self._stream(batches), table))

    def _stream(self, record_batches):
        mine = None
        for batch in record_batches:
            area = d.metric(batch.column("metric")[0].as_py()).area
            with self.lock:
                self.first_area = self.first_area or area
            if area != self.first_area and self.left:
                if mine != self.first_area:
                    # The first area is on another thread (a full recompute on PostgreSQL): let it land.
                    self.first_area_written.wait(timeout=10)
                    time.sleep(0.5)
                self.left -= 1
                self.faults += 1
                if connection.vendor == "postgresql":
                    import psycopg2

                    # psycopg2's own error in the middle of the COPY, as a dropped connection gives.
                    raise psycopg2.OperationalError("server closed the connection unexpectedly")
                raise OperationalError("disk I/O error")
            mine = area
            yield batch
        if mine == self.first_area:
            self.first_area_written.set()


def test_a_fault_in_every_attempt_fails_the_run_and_leaves_the_live_values_and_deciles_as_they_were(
    computed, monkeypatch, retries_run_eagerly
):
    fault = SecondAreaWriteFault(monkeypatch, times=99)
    run = RecomputeRun.objects.create(trigger=RecomputeRun.Trigger.COMMAND)

    tasks.recompute_metrics.apply(args=[run.pk])

    run.refresh_from_db()
    assert run.status == RecomputeRun.Status.FAILED
    assert "OperationalError" in run.error
    assert fault.faults == tasks.MAX_RETRIES + 1  # retried, then given up
    assert live() == computed


def test_a_fault_in_a_recompute_of_some_periods_leaves_them_as_they_were_and_the_retry_writes_them(
    computed, monkeypatch, retries_run_eagerly
):
    fault = SecondAreaWriteFault(monkeypatch, times=1)
    scope = {"workforce": {"quarterly": [Q1_2018.isoformat()]}, "access": {"monthly": [OCTOBER_2018.isoformat()]}}
    run = RecomputeRun.objects.create(trigger=RecomputeRun.Trigger.ACCEPTANCE, scope=scope)
    real = tasks.metrics_recompute
    seen_by_the_retry = []

    def recompute(**kwargs):
        if fault.faults:
            seen_by_the_retry.append(live())
        return real(**kwargs)

    monkeypatch.setattr(tasks, "metrics_recompute", recompute)
    tasks.recompute_metrics.apply(args=[run.pk])

    run.refresh_from_db()
    assert fault.faults == 1
    assert seen_by_the_retry == [computed]  # after the fault, before the retry: as they were
    assert run.status == RecomputeRun.Status.DONE, run.error
    after = live()
    assert after["values"] != computed["values"] and after["deciles"] != computed["deciles"]
    assert len(after["values"]) == len(computed["values"])
