"""Writes of the metrics area: running the engine, starting a run, asking for a recompute."""

from __future__ import annotations

import datetime as dt
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from django.core.cache import cache
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from portal import outbox

from . import definitions as d
from .engine import Hierarchy, Outcome, compute_area
from .models import PendingRecompute, RecomputeRun
from .storage import LiveTable, ShadowTable

logger = logging.getLogger(__name__)

#: Acceptances within this many seconds of each other are recomputed together.
DEBOUNCE_SECONDS = 30
DEBOUNCE_CACHE_KEY = "metrics:recompute-pending-queued"
#: Each area reads, computes and writes: three steps, plus the last one that closes the run.
STEPS_PER_AREA = 3

#: The advisory lock that lets one metrics run at a time write values ("MTRC").
RECOMPUTE_LOCK_ID = 0x4D545243

Scope = dict[str, dict[str, list[str]]]


def _area_scopes(scope: Scope | None) -> dict[d.Area, dict[str, list[dt.date]] | None]:
    """{area: {frequency: [dates]} or None for every period}; an empty scope means everything."""
    if not scope:
        return {area: None for area in d.Area}
    areas = {}
    for area, periods in scope.items():
        if periods is None:
            areas[d.Area(area)] = None
        else:
            areas[d.Area(area)] = {f: [dt.date.fromisoformat(p) for p in dates] for f, dates in periods.items()}
    return areas


@contextmanager
def _one_run_at_a_time():
    """Runs wait for each other (a PostgreSQL advisory lock): a period recomputed while a full
    recompute writes its new table would otherwise be lost when that table is swapped in."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [RECOMPUTE_LOCK_ID])
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [RECOMPUTE_LOCK_ID])
        except (OperationalError, InterfaceError) as exc:
            # The connection is gone, and the session's lock with it.
            logger.warning("Could not release the recompute lock: %s", exc)


def _on_own_connection(area, **kwargs) -> int:
    """``compute_area`` on a worker thread, closing the thread's database connection after."""
    try:
        return compute_area(area, **kwargs)
    finally:
        connection.close()


def metrics_recompute(*, run: RecomputeRun | None = None, scope: Scope | None = None) -> Outcome:
    """Compute every metric (or the areas and periods of ``scope``) and store the values.

    Safe to run twice: each metric's values for a period are deleted and written again in one
    transaction. The run, if given, shows the progress and the problems found.
    """
    scope = run.scope if run is not None and scope is None else scope
    areas = _area_scopes(scope)
    if run is not None:
        RecomputeRun.objects.filter(pk=run.pk).update(
            status=RecomputeRun.Status.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now(), steps_done=0,
            steps_total=STEPS_PER_AREA * len(areas) + 1, error="",
        )  # fmt: skip

    def progress(step: str) -> None:
        if run is not None:
            RecomputeRun.objects.filter(pk=run.pk).update(
                step=step, steps_done=F("steps_done") + 1, heartbeat_at=timezone.now()
            )

    outcome = Outcome()
    with _one_run_at_a_time():
        hierarchy = Hierarchy.load()
        # Everything at once on PostgreSQL: into a new table, swapped in at the end (see ShadowTable).
        target = ShadowTable() if not scope and connection.vendor == "postgresql" else LiveTable()
        try:
            # Each area on its own thread and connection when they can: one reads its returns
            # or computes while PostgreSQL takes the other's COPY. Inside a transaction (tests)
            # another connection would not see its data, so the areas take turns.
            parallel = isinstance(target, ShadowTable) and not connection.in_atomic_block and len(areas) > 1
            jobs = [
                {"area": area, "hierarchy": hierarchy, "outcome": outcome, "scope": periods, "progress": progress,
                 "target": target}
                for area, periods in areas.items()
            ]  # fmt: skip
            if parallel:
                with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
                    futures = [pool.submit(_on_own_connection, **job) for job in jobs]
                    outcome.values_written += sum(future.result() for future in futures)
            else:
                outcome.values_written += sum(compute_area(**job) for job in jobs)
            started = time.perf_counter()
            target.finish()
            outcome.timings["Indexing the new values and swapping them in"] = time.perf_counter() - started
        except BaseException:
            target.abandon()
            raise
    if outcome.problem_count:
        logger.warning("Metrics recompute left out %s returns it could not use.", outcome.problem_count)
    if run is not None:
        RecomputeRun.objects.filter(pk=run.pk).update(
            status=RecomputeRun.Status.DONE, finished_at=timezone.now(), steps_done=F("steps_total"),
            step="Finished", values_written=outcome.values_written, problems=outcome.problems,
        )  # fmt: skip
    return outcome


def recompute_run_start(*, user=None, trigger: str = RecomputeRun.Trigger.BROWSER, scope: Scope | None = None):
    """Queue a recompute (everything unless ``scope`` says otherwise) and return its run."""
    from .tasks import recompute_metrics

    with transaction.atomic():
        run = RecomputeRun.objects.create(trigger=trigger, scope=scope or {}, requested_by=user)
        outbox.enqueue(recompute_metrics, args=(run.pk,), about=run)
    return run


def recompute_request(*, area: str, frequency: str, period: dt.date) -> None:
    """Note that an accepted return touched ``area`` in ``period`` and queue the debounced job.

    Called from a return type's ``accepted`` hook, inside the acceptance's transaction. The job
    runs ``DEBOUNCE_SECONDS`` after it reaches the broker and takes every period noted by then,
    so a commissioner accepting forty returns in a row starts one recompute, not forty. The
    debounce is decided when the job is published, after commit (``portal.outbox``), so a
    rolled-back acceptance or a broker that was down holds no later one back.
    """
    from .tasks import recompute_pending

    try:
        with transaction.atomic():
            PendingRecompute.objects.get_or_create(area=area, frequency=frequency, period=period)
    except IntegrityError:  # another acceptance noted the same period at the same moment
        pass
    outbox.enqueue(recompute_pending, countdown=DEBOUNCE_SECONDS, unique=True, debounce_key=DEBOUNCE_CACHE_KEY)


def pending_take() -> Scope:
    """The noted periods as a scope, removing them; a workforce baseline touches every quarter."""
    cache.delete(DEBOUNCE_CACHE_KEY)
    with transaction.atomic():
        pending = list(PendingRecompute.objects.select_for_update().order_by("pk"))
        PendingRecompute.objects.filter(pk__in=[p.pk for p in pending]).delete()
    scope: Scope = {}
    for item in pending:
        periods = scope.setdefault(item.area, {})
        if periods is None:
            continue
        if item.area == d.Area.WORKFORCE and item.period == d.BASELINE_PERIOD:
            scope[item.area] = None  # every change since the baseline moves
            continue
        periods.setdefault(item.frequency, []).append(item.period.isoformat())
    return scope
