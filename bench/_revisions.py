"""The code trees a benchmark compares: this checkout, and with ``--before REV`` a copy of that
revision (``git archive``) in ``folder``, first, so each table reads "before" then "this code"."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def code_trees(before: str | None, folder: Path | str) -> list[tuple[str, Path]]:
    trees = [("this code", ROOT)]
    if before:
        copy = Path(folder) / "before"
        copy.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", before], cwd=ROOT, capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(copy, filter="data")
        (copy / "var").mkdir(exist_ok=True)
        trees.insert(0, (f"before ({before})", copy))
    return trees
