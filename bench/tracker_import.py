"""A 4.9 MB action tracker (15,000 actions, as in issue 13) uploaded to a plan: how long the
request takes and how long the import itself takes, for this code and a git revision's.

    .venv/bin/python bench/tracker_import.py                 # this code
    .venv/bin/python bench/tracker_import.py --before main   # and a revision's, in a copy of it

The file is made by ``bench/upload_memory.py``'s ``legit_tracker`` (a CSV laid out like the
export), with a reason for each Amber rating so that every row is good (``--invalid`` leaves
them out: every row is then refused, and the old code stops after its check pass). Each code
runs in a process of its own on a new SQLite file (``var/bench_tracker*.sqlite3``) after
``migrate``. Timed: the import page's POST (before: the check and the import, inside the
request; now: the upload kept and the job queued) and the import's own work (before: what the
request did; now: ``commissioning.services.tracker_import_run``, as the worker runs it).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _revisions import code_trees  # bench/ is the script's folder, first on sys.path

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


def measure(code_root: Path, file: Path, label: str) -> dict:
    """Run in ``code_root`` on a fresh SQLite file; return the timings."""
    database = ROOT / "var" / f"bench_tracker_{label}.sqlite3"
    for leftover in database.parent.glob(database.name + "*"):
        leftover.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    sys.path.insert(0, str(code_root))
    os.chdir(code_root)
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    settings.ALLOWED_HOSTS = ["*"]
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-media-")
    call_command("migrate", verbosity=0)

    from commissioning.models import Action
    from commissioning.services import plan_create
    from practices.models import CCG, STP, Role, User

    stp = STP.objects.create(ons_code="E54000024", name="Bedfordshire, Luton and Milton Keynes")
    ccg = CCG.objects.create(ods_code="06P", name="NHS Luton CCG", stp=stp)
    plan = plan_create(ccg=ccg, title="Luton GPFV plan", first_year=2017, last_year=2018)
    user = User.objects.create_user("bench.commissioner", password="x")
    Role.objects.create(user=user, kind=Role.Kind.COMMISSIONER, ccg=ccg)
    client = Client()
    client.force_login(user)

    queued = []
    try:
        from commissioning import tasks

        tasks.import_tracker.apply_async = lambda args=(), kwargs=None, **options: queued.append(args[0])
    except ImportError:
        pass
    content = file.read_bytes()
    started = time.perf_counter()
    response = client.post(
        reverse("commissioning:tracker_import", args=[plan.pk]),
        {"file": SimpleUploadedFile(file.name, content), "import": "Import"},
    )
    request_seconds = time.perf_counter() - started
    result = {"label": label, "status": response.status_code, "request_seconds": round(request_seconds, 1)}
    try:
        from commissioning.models import TrackerImportRun

        queued = queued or [TrackerImportRun.objects.latest("pk").pk]
    except ImportError:
        pass
    if queued:
        from commissioning.services import tracker_import_run

        started = time.perf_counter()
        run = tracker_import_run(run_id=queued[0])
        result["job_seconds"] = round(time.perf_counter() - started, 1)
        result["job"] = f"{run.status}: {run.created} added, {len(run.errors)} problems"
    result["actions"] = Action.objects.filter(plan=plan).count()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="a git revision to time as well")
    parser.add_argument("--actions", type=int, default=15_000, help="rows of the file (15,000: about 4.9 MB)")
    parser.add_argument("--invalid", action="store_true", help="leave out the RAG reasons: every row is refused")
    parser.add_argument("--child", nargs=3, metavar=("ROOT", "FILE", "LABEL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(Path(args.child[0]), Path(args.child[1]), args.child[2])))
        return

    sys.path.insert(0, str(ROOT / "bench"))
    from upload_memory import legit_tracker

    kind = "invalid" if args.invalid else "valid"
    file = ROOT / "var" / "bench_uploads" / f"tracker-{args.actions}-{kind}.csv"
    file.parent.mkdir(parents=True, exist_ok=True)
    if not file.exists():
        # The reasons added below take about 28 bytes a row: leave room for them under 4.9 MB.
        target = int(4.9 * MB * args.actions / 15_000) - (0 if args.invalid else 28 * args.actions)
        legit_tracker(file, target=target, file_format="csv", actions=args.actions)
        if not args.invalid:  # an Amber rating needs its reason (a constraint of the action)
            lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
            rows = [lines[0].rstrip("\r\n") + ",RAG reason\r\n"]
            rows += [line.rstrip("\r\n") + ",Hub staffing not yet agreed\r\n" for line in lines[1:]]
            file.write_text("".join(rows), encoding="utf-8")
    print(f"{file.name}: {file.stat().st_size / MB:.2f} MB, {sum(1 for _ in file.open()) - 1:,} actions")
    roots = code_trees(args.before, tempfile.mkdtemp(prefix="bench-before-"))
    for label, root in roots:
        safe = "before" if label.startswith("before") else "now"
        out = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "tracker_import.py"), "--child", str(root), str(file), safe],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
        if not lines:
            print(label, "failed:", out.stderr[-2000:])
            continue
        print(label, lines[-1])


if __name__ == "__main__":
    main()
