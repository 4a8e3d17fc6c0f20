"""One cache for every process: Redis (in the database after the broker's) when REDIS_URL is
set, else a database table, never a per-process memory cache (portal.outbox's debounce
relies on it). Each case imports the settings in a subprocess with the environment it sets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache

BASE_DIR = Path(__file__).resolve().parent.parent
PRINT_CACHES = (
    "import django, json; django.setup(); from django.conf import settings; print(json.dumps(settings.CACHES))"
)


def caches_with(redis_url: str | None) -> dict:
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.test", DJANGO_ENV_FILE=os.devnull)
    if redis_url is not None:
        env["REDIS_URL"] = redis_url
    result = subprocess.run(
        [sys.executable, "-c", PRINT_CACHES], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])["default"]


def test_without_redis_the_cache_is_a_database_table():
    assert caches_with(None) == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_cache",
    }


@pytest.mark.parametrize(
    ("broker", "cache_location"),
    [("redis://redis:6379/0", "redis://redis:6379/1"), ("redis://:secret@10.0.0.5:6380/3", "redis://:secret@10.0.0.5:6380/4"),
     ("redis://redis:6379", "redis://redis:6379/1")],
)  # fmt: skip
def test_with_redis_the_cache_is_the_next_redis_database(broker, cache_location):
    caches = caches_with(broker)
    assert caches["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert caches["LOCATION"] == cache_location


@pytest.mark.django_db
def test_the_cache_this_suite_runs_on_is_shared_and_adds_once():
    cache.delete("shared-cache-probe")
    assert cache.add("shared-cache-probe", 1, 30) is True
    assert cache.add("shared-cache-probe", 2, 30) is False
    assert cache.get("shared-cache-probe") == 1
    assert "LocMemCache" not in type(cache).__name__
