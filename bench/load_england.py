"""Time loading every release in data/reference into one fresh database, in publication order.

    .venv/bin/python bench/load_england.py                      # a new SQLite file, var/bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/load_england.py
    .venv/bin/python bench/load_england.py --only epraccur,qof-organisations   # some datasets only
    .venv/bin/python bench/load_england.py --once                # without the second run

Migrates the database, then imports each release in ``FILES`` one after another in the order
they were published (QOF 2016-17 of October 2017 before the ODS file of mid-2018, and so on),
then each again to time the unchanged second run. For each file it prints the time, the rows
(created, updated, unchanged, rejected, skipped), the notes and any reconciliation the import
wrote. A dataset whose importer this portal does not have yet is skipped and said so. The
database must hold no practices yet; ``--flush`` empties it first.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "reference"
QOF = DATA / "qof-prevalence"
PAYMENTS = DATA / "nhs-payments-to-general-practice"
GPAD = DATA / "gp-appointments-gpad"
#: (dataset, file, when it was published), in publication order. One release can feed several datasets.
FILES = [
    ("qof-organisations", QOF / "ORGANISATION_REFERENCE_1617.csv", "QOF 2016-17, Oct 2017"),
    ("qof-prevalence", QOF / "PREVALENCE_1617.csv", "QOF 2016-17, Oct 2017"),
    ("qof-list-sizes", QOF / "PREVALENCE_1617.csv", "QOF 2016-17, Oct 2017"),
    ("payments", PAYMENTS / "nhs-payments-gp-2016-17.csv", "Payments 2016-17, Dec 2017"),
    ("payments-list-sizes", PAYMENTS / "nhs-payments-gp-2016-17.csv", "Payments 2016-17, Dec 2017"),
    ("epraccur", DATA / "epraccur" / "epraccur-2018.csv", "ODS, mid-2018"),
    ("qof-organisations", QOF / "ORGANISATION_REFERENCE_1819_v2.csv", "QOF 2018-19, Oct 2019"),
    ("qof-prevalence", QOF / "PREVALENCE_1819_v2.csv", "QOF 2018-19, Oct 2019"),
    ("qof-list-sizes", QOF / "PREVALENCE_1819_v2.csv", "QOF 2018-19, Oct 2019"),
    ("payments", PAYMENTS / "nhs-payments-gp-2018-19.csv", "Payments 2018-19, Nov 2019"),
    ("payments-list-sizes", PAYMENTS / "nhs-payments-gp-2018-19.csv", "Payments 2018-19, Nov 2019"),
    ("pcn-designations", DATA / "pcn-core-list" / "ePCN_2019-12-04.xlsx", "ODS ePCN, 4 Dec 2019"),
    ("epraccur", DATA / "epraccur" / "epraccur.csv", "ODS, Dec 2019"),
    ("imd", DATA / "imd-by-practice" / "fingertips_93553_IMD2019_gp_practices.csv", "IMD 2019 (Fingertips)"),
    ("payments", PAYMENTS / "nhs-payments-gp-2019-20.csv", "Payments 2019-20, Oct 2020"),
    ("payments-list-sizes", PAYMENTS / "nhs-payments-gp-2019-20.csv", "Payments 2019-20, Oct 2020"),
    ("list-sizes", DATA / "gp-reg-pat-prac-all" / "gp-reg-pat-prac-all.csv", "Registered patients, Jan 2021"),
    *(
        ("appointments", path, "Appointments in General Practice, 2021")
        for path in sorted(GPAD.glob("Regional_CSV_*.csv"))
    ),
    ("practice-map", DATA / "gp-reg-pat-prac-map" / "gp-reg-pat-prac-map.csv", "Registered patients map, Oct 2025"),
]


def print_outcome(report) -> None:
    """The notes and any reconciliation an import wrote, indented under its summary line."""
    for note in report.notes:
        print(f"      {note}")
    reconciliation = getattr(report, "reconciliation", None)
    if reconciliation:
        england = reconciliation["england"]
        differing = [c["code"] for c in reconciliation["ccgs"] if c["difference"] != "0.00"]
        years = ", ".join(reconciliation["financial_years"])
        print(
            f"      reconciliation {years}: England file £{england['file_total']},"
            f" portal £{england['portal_total']}, lines £{england['lines_total']},"
            f" difference £{england['difference']}; {len(reconciliation['ccgs'])} CCGs,"
            f" {len(differing)} differing{': ' + ', '.join(differing) if differing else ''}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flush", action="store_true", help="Empty the database first (it is not dropped).")
    parser.add_argument("--only", default="", help="Comma-separated datasets: load only their files.")
    parser.add_argument("--once", action="store_true", help="Load each file once, without the second run.")
    args = parser.parse_args()
    only = {name.strip() for name in args.only.split(",") if name.strip()}

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
    from practices.reference import DATASETS, import_reference

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if args.flush:
        call_command("flush", interactive=False, verbosity=0)
    if Practice.objects.exists():
        print("The database already holds practices: use a fresh database, or --flush.", file=sys.stderr)
        return 2
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"migrate: {time.perf_counter() - started:.1f} s")

    files = [(dataset, path, published) for dataset, path, published in FILES if not only or dataset in only]
    total = 0.0
    for label in ("first run", "second run (nothing changes)")[: 1 if args.once else 2]:
        print(f"\n{label}")
        for dataset, path, published in files:
            name = f"{dataset} {path.name}"
            if dataset not in DATASETS:
                print(f"  {name}: skipped, this portal has no '{dataset}' importer yet ({published})")
                continue
            if not path.exists():
                print(f"  {name}: skipped, the file is not in data/reference ({published})")
                continue
            started = time.perf_counter()
            report = import_reference(dataset, path)
            took = time.perf_counter() - started
            total += took
            print(f"  {took:6.1f} s  [{published}] {report.summary()}")
            print_outcome(report)
    print(f"\nimports in all: {total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
