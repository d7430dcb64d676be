"""`manage.py backup` and `restore`: a restored copy has every row and file, and still verifies.

Runs on the suite's database: PostgreSQL in CI (pg_dump and pg_restore), SQLite otherwise.
"""

import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import environ
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.utils import ConnectionHandler

from evidence.services.attachments import attachment_add
from tests.evidence.factories_documents import signed_meeting
from tests.leadership.factories import DepartmentFactory
from tests.leadership.factories_policy import published_version

CERTIFICATE = b"%PDF-1.7\n% calibration certificate, gauge 17\n%%EOF\n"
PHOTO = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


def _backup(output: Path) -> Path:
    out = io.StringIO()
    call_command("backup", str(output), stdout=out)
    return Path(out.getvalue().strip())


def _file_hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def _counts(conn) -> dict[str, int]:
    with conn.cursor() as cursor:
        tables = conn.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def empty_database(tmp_path):
    """The URL of a new, empty database of the suite's kind, dropped afterwards."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"{params['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {name}")
    auth = params["USER"] + (f":{params['PASSWORD']}" if params.get("PASSWORD") else "")
    yield f"postgres://{auth}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_has_every_record_and_file_and_verifies(ceo, mgmt_rep, tmp_path, empty_database):
    published_version(author=mgmt_rep, approver=ceo)
    signed_meeting(ceo)
    department = DepartmentFactory(name="Machining")
    for name, content in (("gauge-17.pdf", CERTIFICATE), ("notice-board.png", PHOTO)):
        attachment_add(actor=mgmt_rep, record=department, uploaded_file=SimpleUploadedFile(name, content))
    media = Path(settings.MEDIA_ROOT)
    originals = _file_hashes(media)
    assert len(originals) >= 3  # the two attachments and the published policy's PDF
    counts = _counts(connection)

    folder = _backup(tmp_path / "backups")

    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["database"]["tables"] == counts
    assert {f"media/{name}": sha for name, sha in originals.items()}.items() <= {
        name: meta["sha256"] for name, meta in manifest["files"].items()
    }.items()

    restored_media = tmp_path / "restored-media"
    out = io.StringIO()
    call_command(
        "restore", str(folder), "--database-url", empty_database, "--media-root", str(restored_media), stdout=out
    )

    assert "every table and file matches the manifest" in out.getvalue()
    assert _file_hashes(restored_media) == originals
    handler = ConnectionHandler({"default": environ.Env.db_url_config(empty_database)})
    try:
        assert _counts(handler["default"]) == counts
    finally:
        handler.close_all()

    # The restored copy's signatures and files, checked by a separate process as an operator would.
    env = {**os.environ, "DATABASE_URL": empty_database, "DJANGO_MEDIA_ROOT": str(restored_media)}
    result = subprocess.run(
        [sys.executable, "manage.py", "verify_integrity"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Integrity check passed" in result.stdout
    assert result.stdout.count(f"{'signature':<16} OK") == 3


@pytest.fixture
def backup_folder(transactional_db, tmp_path, mgmt_rep):
    attachment_add(
        actor=mgmt_rep, record=DepartmentFactory(), uploaded_file=SimpleUploadedFile("gauge-17.pdf", CERTIFICATE)
    )
    return _backup(tmp_path / "backups")


def _restore(folder, *args) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("restore", str(folder), *args, stdout=io.StringIO())
    return str(caught.value)


def test_restore_refuses_a_database_that_is_not_empty(backup_folder, tmp_path):
    # The suite's own database, fully migrated.
    message = _restore(backup_folder, "--media-root", str(tmp_path / "restored-media"))

    assert "is not empty" in message
    assert "restore only into a new, empty database" in message
    assert not (tmp_path / "restored-media").exists()


def test_restore_refuses_a_media_folder_that_is_not_empty(backup_folder, tmp_path):
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "left-over.pdf").write_bytes(b"%PDF")

    message = _restore(
        backup_folder, "--database-url", f"sqlite:///{tmp_path / 'new.sqlite3'}", "--media-root", str(occupied)
    )

    assert f"The media folder {occupied} is not empty: restore only into an empty folder." in message
    assert (occupied / "left-over.pdf").read_bytes() == b"%PDF"


def test_restore_refuses_a_damaged_backup_before_writing_anything(backup_folder, tmp_path):
    [pdf] = list((backup_folder / "media").rglob("*.pdf"))
    pdf.write_bytes(CERTIFICATE.replace(b"17", b"18"))
    target = tmp_path / "new.sqlite3"

    message = _restore(backup_folder, "--database-url", f"sqlite:///{target}", "--media-root", str(tmp_path / "m"))

    assert "The backup is damaged; nothing was restored" in message
    assert f"media/{pdf.relative_to(backup_folder / 'media').as_posix()}: SHA-256 differs" in message
    assert not target.exists()
    assert not (tmp_path / "m").exists()


@pytest.mark.django_db
def test_backup_refuses_to_run_inside_a_transaction(tmp_path):
    with pytest.raises(CommandError, match="A backup runs outside any transaction"):
        _backup(tmp_path / "backups")

    assert not (tmp_path / "backups").exists()
