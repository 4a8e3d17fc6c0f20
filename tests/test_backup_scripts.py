"""scripts/backup.sh and scripts/restore.sh, run against the PostgreSQL test database: a backup
restored into a new database and media folder has every row and file, and a restore refuses a
database that is not empty. Skipped on SQLite (the scripts are for PostgreSQL)."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from practices.models import Practice

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="the scripts are for PostgreSQL"
    ),
    pytest.mark.skipif(shutil.which("pg_dump") is None, reason="needs PostgreSQL's client tools"),
]

SCRIPTS = Path(settings.BASE_DIR) / "scripts"


def url_of(name: str) -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"


def run(script: str, *args: str, database: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["/bin/bash", str(SCRIPTS / script), *args],
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": url_of(database)},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


@pytest.fixture
def fresh_database():
    name = f"restore_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_new_database_and_media_folder_with_every_row_and_file(
    luton_practice, wolverhampton_practice, tmp_path, fresh_database
):
    media = tmp_path / "media"
    (media / "imports" / "tracker").mkdir(parents=True)
    (media / "imports" / "tracker" / "plan.xlsx").write_bytes(b"PK\x03\x04 a tracker")

    backup = run("backup.sh", str(tmp_path / "backups"), str(media), database=connection.settings_dict["NAME"])

    assert backup.returncode == 0, backup.stderr
    [folder] = (tmp_path / "backups").iterdir()
    assert {p.name for p in folder.iterdir()} == {"database.dump", "media.tar.gz", "counts.tsv", "SHA256SUMS"}
    counts = dict(line.split("\t") for line in (folder / "counts.tsv").read_text().splitlines())
    assert counts["practices_practice"] == str(Practice.objects.count()) == "2"

    restored_media = tmp_path / "restored-media"
    restore = run("restore.sh", str(folder), str(restored_media), database=fresh_database)

    assert restore.returncode == 0, restore.stdout + restore.stderr
    assert "every count as backed up" in restore.stdout
    assert (restored_media / "imports" / "tracker" / "plan.xlsx").read_bytes() == b"PK\x03\x04 a tracker"

    again = run("restore.sh", str(folder), str(tmp_path / "elsewhere"), database=fresh_database)

    assert again.returncode == 1
    assert "restore into a new, empty database" in again.stderr


def test_a_damaged_backup_is_refused_before_anything_is_restored(luton_practice, tmp_path, fresh_database):
    assert run("backup.sh", str(tmp_path / "backups"), str(tmp_path / "no-media"),
               database=connection.settings_dict["NAME"]).returncode == 0  # fmt: skip
    [folder] = (tmp_path / "backups").iterdir()
    with (folder / "database.dump").open("r+b") as dump:
        dump.seek(100)
        dump.write(b"\x00" * 16)

    restore = run("restore.sh", str(folder), str(tmp_path / "media"), database=fresh_database)

    assert restore.returncode != 0
    assert "FAILED" in restore.stdout + restore.stderr
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")  # the test database is untouched
