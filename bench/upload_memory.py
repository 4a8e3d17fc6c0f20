"""Peak memory and time of each upload path on hostile files and on legitimate ~5 MB ones.

    .venv/bin/python bench/upload_memory.py                   # this code
    .venv/bin/python bench/upload_memory.py --before REV      # and the code of a git revision, side by side

Writes the files to ``var/bench_uploads/`` (the hostile ones from ``tests/spreadsheets.py``,
the legitimate ones generated here), then reads each through each path in a fresh process:
the return upload (``returns.upload.read_upload``), the action tracker
(``commissioning.tracker.tracker_read``) and the CQC ratings import (its ``_read``, every row
taken). Each case runs twice: once for the peak RSS of the process (``VmHWM``, less its RSS
before reading) and the time, once under tracemalloc for the peak of Python's own allocations.
Every process is capped at ``--cap-mb`` of address space and ``--seconds`` of time (the old
code's runs on hostile files end there), so the benchmark cannot take the shared machine.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _revisions import code_trees  # bench/ is the script's folder, first on sys.path

ROOT = Path(__file__).resolve().parent.parent
FILES = ROOT / "var" / "bench_uploads"
MB = 1024 * 1024
WORDS = (
    "practice patients appointments extended access hub evening weekend GP nurse pharmacist cluster CCG "
    "workforce recruitment retention estates premises online consultation training funding plan milestone "
    "review committee federation locality care navigation social prescribing demand capacity indemnity"
).split()


# The files


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def _text(rng: random.Random, characters: int) -> str:
    """Made-up words: text that packs about as tightly as a person's own writing in an XLSX."""
    words = []
    while sum(len(w) + 1 for w in words) < characters:
        words.append("".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 9))))
    return " ".join(words)


def legit_tracker(path: Path, *, target: int, file_format: str, actions: int = 15_000) -> None:
    """A tracker laid out like the export: ``actions`` rows, descriptions long enough to make ``target`` bytes."""
    description = 300
    for _ in range(3):  # write, then scale the descriptions to the size it came to
        _write_tracker(path, file_format=file_format, actions=actions, description=description)
        size = path.stat().st_size
        if abs(size - target) < target * 0.03:
            return
        description = max(10, int(description * (target - actions * 60) / max(1, size - actions * 60)))


def _write_tracker(path: Path, *, file_format: str, actions: int, description: int) -> None:
    from openpyxl import Workbook

    rng = random.Random(2018)
    headers = ["Local code", "Title", "Chapter", "Status", "Lead", "Start date", "Due date", "RAG", "Description"]
    rows = [
        [f"PC{number:05d}", _words(rng, 8), "Workforce", "In progress", "Head of Primary Care", "2017-04-01",
         "2019-03-31", "Amber", _text(rng, rng.randint(description // 2, description * 3 // 2))]
        for number in range(1, actions + 1)
    ]  # fmt: skip
    if file_format == "csv":
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(headers)
            writer.writerows(rows)
        return
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Actions")
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    book.save(path)


def legit_cqc(path: Path, *, target: int) -> None:
    """The CQC's ratings in its published layout: seven rows a key question a location, ``target`` bytes."""
    rng = random.Random(2018)
    groups = [
        "Overall",
        "Older people",
        "People with long-term conditions",
        "Families, children and young people",
        "Working age people",
        "People whose circumstances may make them vulnerable",
        "People experiencing poor mental health",
    ]
    ratings = ["Good", "Good", "Good", "Outstanding", "Requires improvement", "Inadequate"]
    with path.open("w", encoding="utf-8") as out:
        out.write(
            "Location ID,Location Name,Location ODS Code,Provider ID,Service / Population Group,Domain,"
            "Latest Rating,Publication Date,Inherited Rating (Y/N),URL\n"
        )
        number = 0
        while out.tell() < target:
            number += 1
            name = f"The {rng.choice(WORDS).title()} Medical Centre"
            for group in groups:
                for domain in ("Overall", "Safe", "Effective", "Caring", "Responsive", "Well-led"):
                    out.write(
                        f'1-{number:09d},{name},E8{number % 10000:04d},1-{number:09d},"{group}",{domain},'
                        f"{rng.choice(ratings)},14/06/2018,N,https://www.cqc.org.uk/location/1-{number:09d}\n"
                    )


def _workforce_return(path: Path) -> None:
    from returns.registry import return_type
    from returns.upload import write_table
    from tests.returns.helpers import workforce_values

    headers, rows = return_type("workforce").template_table(workforce_values())
    path.write_bytes(write_table(headers=headers, rows=[list(r) for r in rows], file_format="xlsx"))


def write_files() -> dict[str, Path]:
    """Each file by its label, written once into ``var/bench_uploads/``."""
    from tests.spreadsheets import declared_everything, declared_with_a_far_row, far_cell, zip_bomb

    header = ["Local code", "Title", "Chapter", "Status"]
    small = [header, ["PC01", "One", "Workforce", "In progress"]]
    files = {
        "hostile: declares A1:XFD1048576, a value on the last row": (
            "far-row.xlsx", lambda p: p.write_bytes(declared_with_a_far_row(small))
        ),
        "hostile: a value in XFD1048576": ("far-cell.xlsx", lambda p: p.write_bytes(far_cell(small))),
        "hostile: declares A1:XFD1048576, holds 3,000 rows": (
            "declared-3000-rows.xlsx", lambda p: p.write_bytes(declared_everything(small + small[1:] * 2_999))
        ),
        "hostile: zip bomb, 150 MB unpacked": ("zip-bomb.xlsx", lambda p: p.write_bytes(zip_bomb(small))),
        "hostile: CSV, one line of 15 M commas": (
            "commas.csv", lambda p: p.write_bytes(b"Local code,Title\n" + b"," * (15 * MB))
        ),
        "legitimate: workforce return (template)": ("workforce.xlsx", _workforce_return),
        "legitimate: tracker XLSX, ~5 MB": (
            "tracker-5mb.xlsx", lambda p: legit_tracker(p, target=5 * MB, file_format="xlsx")
        ),
        "legitimate: tracker CSV, ~5 MB": (
            "tracker-5mb.csv", lambda p: legit_tracker(p, target=int(4.9 * MB), file_format="csv")
        ),
        "legitimate: CQC ratings CSV, ~5 MB": ("cqc-5mb.csv", lambda p: legit_cqc(p, target=5 * MB)),
    }  # fmt: skip
    FILES.mkdir(parents=True, exist_ok=True)
    paths = {}
    for label, (name, write) in files.items():
        path = FILES / name
        if not path.exists():
            write(path)
        paths[label] = path
    return paths


# Which files each path is given: a return upload and a tracker take XLSX and CSV, the CQC import CSV.
HOSTILE = ["far-row.xlsx", "far-cell.xlsx", "declared-3000-rows.xlsx", "zip-bomb.xlsx", "commas.csv"]
PATHS = {
    "return upload": [*HOSTILE, "workforce.xlsx", "tracker-5mb.xlsx"],
    "tracker import": [*HOSTILE, "tracker-5mb.xlsx", "tracker-5mb.csv"],
    "CQC import": ["far-cell.xlsx", "commas.csv", "cqc-5mb.csv"],
}


# One case, in its own process


def child(code: Path, path_name: str, file: Path, trace: bool) -> dict:
    """Read ``file`` through ``path_name`` with the code in ``code``; what it cost."""
    os.chdir(code)
    sys.path.insert(0, str(code))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = file.read_bytes()

    def run():
        if path_name == "return upload":
            from returns.upload import read_upload

            table = read_upload(content=content, filename=file.name)
            return f"{len(table.rows):,} rows"
        if path_name == "tracker import":
            from commissioning.tracker import tracker_read

            return f"{len(tracker_read(content=content, filename=file.name)):,} rows"
        from quality.cqc_import import _read

        table = _read(SimpleUploadedFile("ratings.csv", content))
        return f"{sum(1 for _ in table.rows):,} rows"

    import tracemalloc

    before = _status("VmRSS")
    if trace:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    try:
        outcome = "read " + run()
    except MemoryError:
        outcome = "MemoryError"
    except Exception as exc:
        outcome = f"refused: {exc}"
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    growth = _status("VmHWM") - before
    return {"outcome": outcome, "seconds": seconds, "cpu": cpu, "rss_growth": growth, "traced": peak}


def _status(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def measure(code: Path, path_name: str, file: Path, *, trace: bool, cap_mb: int, seconds: int) -> dict:
    def limits():
        resource.setrlimit(resource.RLIMIT_AS, (cap_mb * MB, cap_mb * MB))
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))

    command = [sys.executable, __file__, "--child", str(code), path_name, str(file)] + (["--trace"] if trace else [])
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, preexec_fn=limits)
    except subprocess.TimeoutExpired:
        return {"outcome": f"stopped after {seconds + 30} s"}
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["?"])[-1]
        if done.returncode in (-9, -24) or "CPU" in tail:
            return {"outcome": f"killed at the {seconds} s CPU cap"}
        return {"outcome": f"crashed ({done.returncode}): {tail[:80]}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _mb(value) -> str:
    return "-" if value is None else f"{value / MB:,.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="A git revision whose code to measure too (exported to a temporary folder).")
    parser.add_argument("--cap-mb", type=int, default=2048, help="Address space of each process (default 2 GB).")
    parser.add_argument("--seconds", type=int, default=60, help="CPU seconds of each process (default 60).")
    parser.add_argument("--child", nargs=3, metavar=("CODE", "PATH", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        code, path_name, file = args.child
        print(json.dumps(child(Path(code), path_name, Path(file), args.trace)))
        return 0

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    files = write_files()
    with tempfile.TemporaryDirectory() as folder:
        codes = code_trees(args.before, folder)
        print("| Path | File | Size | Code | Outcome | CPU (wall) | RSS growth (MB) | Python peak (MB) |")
        print("|---|---|---:|---|---|---:|---:|---:|")
        for path_name, names in PATHS.items():
            for label, file in files.items():
                if file.name not in names:
                    continue
                for code_label, code in codes:
                    plain = measure(code, path_name, file, trace=False, cap_mb=args.cap_mb, seconds=args.seconds)
                    traced = {}
                    if "seconds" in plain:
                        traced = measure(code, path_name, file, trace=True, cap_mb=args.cap_mb, seconds=args.seconds)
                    outcome = plain["outcome"]
                    outcome = outcome if len(outcome) <= 90 else outcome[:87] + "..."
                    took = f"{plain['cpu']:.2f} s ({plain['seconds']:.1f} s)" if "seconds" in plain else "-"
                    print(
                        f"| {path_name} | {label} | {_size(file)} | {code_label} | {outcome} | {took} |"
                        f" {_mb(plain.get('rss_growth'))} | {_mb(traced.get('traced'))} |",
                        flush=True,
                    )
    return 0


def _size(file: Path) -> str:
    size = file.stat().st_size
    return f"{size / MB:.1f} MB" if size >= MB else f"{size / 1024:.0f} KB"


if __name__ == "__main__":
    sys.exit(main())
