"""Many people at once on the embedded default: SQLite, ``manage.py runserver``, as ``make run``.

    .venv/bin/python bench/sqlite_concurrency.py                  # this code
    .venv/bin/python bench/sqlite_concurrency.py --before REV     # and a git revision's code first

The first run builds the demo (``migrate``, ``load_demo``: several minutes) in
``var/bench_sqlite/demo.sqlite3`` and adds 20 practice managers of NHS Dorset CCG's practices,
each with a workforce return for 2018/19 Q2 to fill in. Each case then starts from a copy of
that file and a fresh ``runserver`` (local settings, as ``make run``): 5, 10 or 20 people at
once, for ``--seconds``, each signing in through the real form (CSRF and all), then saving their
draft three times (the form, the save, the return's page it leads to), then signing in again
afresh; with or without a full metrics recompute running over and over in another process on
the same file, as the worker would. Reported: requests a second, the 95th percentile of a
request's time, the errors (answers of 500 or more, or no answer in 60 s), and whether every
draft that was said to be saved reads back with its figure.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _revisions import code_trees  # bench/ is the script's folder, first on sys.path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "var" / "bench_sqlite"
DEMO = FOLDER / "demo.sqlite3"
PEOPLE = 20
PERIOD = "2018-07-01"
CCG = "11J"
SAVES_PER_SIGN_IN = 3

sys.path.insert(0, str(ROOT))
from tests.http_clients import Person, form_fields  # noqa: E402

SETUP = f"""
import datetime as dt
from practices.demo.spec import DEMO_PASSWORD
from practices.models import CCG, Role, User
from returns.services import collection_open
ccg = CCG.objects.get(ods_code="{CCG}")
opener, _ = User.objects.get_or_create(username="bench.commissioner")
Role.objects.get_or_create(user=opener, kind=Role.Kind.COMMISSIONER, ccg=ccg)
collection = collection_open(ccg=ccg, return_type="workforce", period_start=dt.date.fromisoformat("{PERIOD}"),
                             due_date=dt.date(2018, 10, 15), user=opener)
for number, ret in enumerate(collection.returns.order_by("practice__ods_code")[:{PEOPLE}]):
    user = User.objects.create_user(f"bench.pm{{number}}", password=DEMO_PASSWORD)
    Role.objects.create(user=user, kind=Role.Kind.PRACTICE_MANAGER, practice=ret.practice)
    print(f"bench.pm{{number}} {{ret.pk}}")
"""

RECOMPUTE = """
import sys, time
from metrics.services import metrics_recompute
while True:
    started = time.perf_counter()
    metrics_recompute()
    print(f"{time.perf_counter() - started:.1f}", flush=True)
"""


def environment(database: Path, broker: Path) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{database}", DJANGO_SETTINGS_MODULE="config.settings.local",
        CELERY_BROKER_DIR=str(broker), DJANGO_ENV_FILE="/nonexistent", LOG_LEVEL="WARNING",
    )  # fmt: skip
    for name in ("out", "processed", "control"):
        (broker / name).mkdir(parents=True, exist_ok=True)
    return env


def build_demo() -> dict[str, int]:
    people = FOLDER / "people.txt"
    if DEMO.exists() and people.exists():
        return {line.split()[0]: int(line.split()[1]) for line in people.read_text().splitlines()}
    FOLDER.mkdir(parents=True, exist_ok=True)
    env = environment(DEMO, FOLDER / "celery")
    python = sys.executable
    if not DEMO.exists():
        print("Building the demo database (migrate, load_demo)...", flush=True)
        subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([python, "manage.py", "load_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    made = subprocess.run([python, "manage.py", "shell", "-c", SETUP], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True).stdout  # fmt: skip
    lines = [line for line in made.splitlines() if line.startswith("bench.pm")]
    people.write_text("\n".join(lines) + "\n")
    return {line.split()[0]: int(line.split()[1]) for line in lines}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server stopped")
        try:
            if Person("127.0.0.1", port, timeout=5).get("/accounts/login/").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the server did not start")


def one_case(code: Path, clients: int, recompute: bool, seconds: float, people: dict[str, int]) -> dict:
    from practices.demo.spec import DEMO_PASSWORD

    with tempfile.TemporaryDirectory(dir=FOLDER) as folder:
        database = Path(folder) / "portal.sqlite3"
        shutil.copy(DEMO, database)
        env = environment(database, Path(folder) / "celery")
        port = free_port()
        log = open(Path(folder) / "server.log", "w")  # noqa: SIM115
        server = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                                  cwd=code, env=env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
        worker = None
        try:
            wait_for(port, server)
            if recompute:
                worker = subprocess.Popen([sys.executable, "manage.py", "shell", "-c", RECOMPUTE], cwd=code, env=env,
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
                time.sleep(3)  # under way: reading the returns
            chosen = list(people.items())[:clients]
            persons: list[Person] = []
            said_saved: dict[str, int] = {}
            failures: list[str] = []
            stop = time.monotonic() + seconds

            def at_work(number: int, username: str, return_pk: int) -> None:
                figure = 0
                while time.monotonic() < stop:
                    person = Person("127.0.0.1", port)
                    persons.append(person)
                    try:
                        if not person.sign_in(username, DEMO_PASSWORD):
                            continue
                        for _ in range(SAVES_PER_SIGN_IN):
                            figure += 1
                            if person.save_draft(return_pk, {"gp_partner__headcount": str(figure)}):
                                said_saved[username] = figure
                                person.get(f"/returns/return/{return_pk}/")
                    except OSError as exc:  # no answer in time, or the connection refused
                        failures.append(f"{type(exc).__name__}: {exc}")

            threads = [threading.Thread(target=at_work, args=(n, *item)) for n, item in enumerate(chosen)]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wall = time.monotonic() - started
            answers = [answer for person in persons for answer in person.answers]
            errors = [a for a in answers if a.status >= 500]
            lost = unchecked = 0
            for username, figure in said_saved.items():
                shown = _figure_shown(port, username, people[username], DEMO_PASSWORD)
                if shown is None:
                    unchecked += 1  # the old code's sign-in kept failing: not known to be lost
                elif shown != str(figure):
                    lost += 1
            times = sorted(a.seconds for a in answers)
            sign_ins = [a for a in answers if a.method == "POST" and a.path == "/accounts/login/"]
            saves = [a for a in answers if a.method == "POST" and a.path.endswith("/edit/")]
            return {
                "clients": clients, "recompute": recompute, "requests": len(answers),
                "per_second": len(answers) / wall, "p50": statistics.median(times) if times else 0,
                "p95": times[int(0.95 * (len(times) - 1))] if times else 0, "errors": len(errors) + len(failures),
                "no_answer": len(failures), "sign_ins": len(sign_ins),
                "sign_ins_ok": sum(a.status == 302 for a in sign_ins), "saves": len(saves),
                "saved": sum(a.status == 302 for a in saves), "lost": lost, "unchecked": unchecked,
                "locked": sum("database is locked" in a.body for a in errors),
                "recomputes": _recomputes(worker),
            }  # fmt: skip
        finally:
            for process in (worker, server):
                if process is not None:
                    process.terminate()
                    try:
                        process.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        process.kill()
            log.close()


def _figure_shown(port: int, username: str, return_pk: int, password: str) -> str | None:
    """The figure the return's form shows now, read by a new sign-in (tried a few times)."""
    for _ in range(5):
        checker = Person("127.0.0.1", port)
        if checker.sign_in(username, password):
            page = checker.get(f"/returns/return/{return_pk}/edit/")
            if page.status == 200:
                return form_fields(page.body, "return-form").get("gp_partner__headcount")
        time.sleep(1)
    return None


def _recomputes(worker) -> str:
    if worker is None:
        return "-"
    worker.terminate()
    out, err = worker.communicate(timeout=30)
    done = [float(line) for line in out.splitlines() if re.fullmatch(r"\d+\.\d", line.strip())]
    failed = "Traceback" in err
    text = f"{len(done)} done" + (f" ({statistics.mean(done):.1f} s each)" if done else "")
    return text + (", then failed: " + err.strip().splitlines()[-1][:80] if failed else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="A git revision whose code to measure first (exported to a temporary folder).")
    parser.add_argument("--seconds", type=float, default=20, help="How long each case runs (default 20).")
    parser.add_argument("--clients", default="5,10,20", help="People at once, comma-separated (default 5,10,20).")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    people = build_demo()
    with tempfile.TemporaryDirectory() as folder:
        codes = code_trees(args.before, folder)
        print(f"Load average at the start: {os.getloadavg()[0]:.1f}")
        print("| Code | People | Recompute | Requests/s | p50 | p95 | Errors (locked) | Sign-ins ok | Drafts saved | "
              "Saved but lost | Recomputes |")  # fmt: skip
        print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|")
        for label, code in codes:
            for clients in [int(c) for c in args.clients.split(",")]:
                for recompute in (False, True):
                    r = one_case(code, clients, recompute, args.seconds, people)
                    unchecked = f" ({r['unchecked']} unchecked)" if r["unchecked"] else ""
                    print(
                        f"| {label} | {clients} | {'yes' if recompute else 'no'} | {r['per_second']:.1f} |"
                        f" {r['p50'] * 1000:,.0f} ms | {r['p95'] * 1000:,.0f} ms | {r['errors']} ({r['locked']}) |"
                        f" {r['sign_ins_ok']}/{r['sign_ins']} | {r['saved']}/{r['saves']} |"
                        f" {r['lost']}{unchecked} |"
                        f" {r['recomputes']} |",
                        flush=True,
                    )
        print(f"Load average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
