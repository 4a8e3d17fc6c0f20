"""The import-linter contract (``.importlinter``, run by ``make test``) covers every app of the
project, each in one layer; docs/architecture.md shows the same layers."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[1]


def contract() -> configparser.ConfigParser:
    parser = configparser.ConfigParser()
    parser.read(ROOT / ".importlinter")
    return parser


def layers() -> list[set[str]]:
    raw = contract()["importlinter:contract:layers"]["layers"]
    return [set(re.split(r"\s*[|:]\s*", line.strip())) for line in raw.strip().splitlines()]


def test_every_app_of_the_project_is_a_root_package_in_one_layer():
    ours = {config.name.split(".")[0] for config in apps.get_app_configs() if Path(config.path).parent == ROOT}
    roots = set(contract()["importlinter"]["root_packages"].split())
    assert ours | {"config"} == roots
    placed = [name for layer in layers() for name in layer]
    assert sorted(placed) == sorted(roots), "each root package in exactly one layer"


def test_the_architecture_page_lists_the_layers_of_the_contract():
    page = (ROOT / "docs" / "architecture.md").read_text()
    table = re.search(r"<!-- layers -->\n(.*?)<!-- /layers -->", page, re.S).group(1)
    rows = [set(re.findall(r"`([a-z_]+)/`", line)) for line in table.splitlines() if line.startswith("|")]
    assert [row for row in rows if row] == layers()
