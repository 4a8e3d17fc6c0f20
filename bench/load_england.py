"""Time loading all of England's reference data into a fresh database.

    .venv/bin/python bench/load_england.py                      # a new SQLite file, var/bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/load_england.py

Migrates the database, then imports epraccur, the QOF organisation reference, the list sizes
and the PCN map (each once, then each again to time the unchanged second run) and prints the
time of each. The database must hold no practices yet; ``--flush`` empties it first.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "reference"
FILES = [
    ("epraccur", DATA / "epraccur" / "epraccur.csv"),
    ("qof-organisations", DATA / "qof-prevalence" / "ORGANISATION_REFERENCE_1819_v2.csv"),
    ("list-sizes", DATA / "gp-reg-pat-prac-all" / "gp-reg-pat-prac-all.csv"),
    ("practice-map", DATA / "gp-reg-pat-prac-map" / "gp-reg-pat-prac-map.csv"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flush", action="store_true", help="Empty the database first (it is not dropped).")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    if "DATABASE_URL" not in os.environ:
        bench_db = ROOT / "var" / "bench.sqlite3"
        bench_db.parent.mkdir(exist_ok=True)
        for leftover in bench_db.parent.glob("bench.sqlite3*"):
            leftover.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{bench_db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from practices.models import Practice
    from practices.reference import import_reference

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if args.flush:
        call_command("flush", interactive=False, verbosity=0)
    if Practice.objects.exists():
        print("The database already holds practices: use a fresh database, or --flush.", file=sys.stderr)
        return 2
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"migrate: {time.perf_counter() - started:.1f} s")

    total = 0.0
    for label in ("first run", "second run (nothing changes)"):
        print(f"\n{label}")
        for dataset, path in FILES:
            started = time.perf_counter()
            report = import_reference(dataset, path)
            took = time.perf_counter() - started
            total += took
            print(f"  {dataset:<18} {took:6.1f} s  {report.summary()}")
    print(f"\nimports in all: {total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
