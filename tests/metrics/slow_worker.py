"""Imported by the worker that tests/metrics/test_worker_death.py starts (``celery worker -I``):
each area of a recompute waits ``SLOW_RECOMPUTE_SECONDS`` first, so that the test can kill the
worker while the run is going on."""

import os
import time

from metrics import services

SECONDS = float(os.environ.get("SLOW_RECOMPUTE_SECONDS", "0"))
_compute_area = services.compute_area


def _slow_compute_area(area, **kwargs):
    time.sleep(SECONDS)
    return _compute_area(area, **kwargs)


services.compute_area = _slow_compute_area
