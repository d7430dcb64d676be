"""Backups of the whole of Clause5 (database and uploaded files) and their restore into an empty place.

A backup is one folder:

    clause5-backup-20261125T080000Z/
        database.dump        PostgreSQL: pg_dump's custom format
        database.sqlite3     SQLite: a copy made with SQLite's online backup API
        media/...            every file under MEDIA_ROOT, same paths
        manifest.json        the SHA-256 and size of every file above, and the rows in every table

On PostgreSQL the row counts and the dump come from one snapshot (`pg_export_snapshot`), so they
agree even while people keep working. The media files are copied after the dump: files are
only ever added (a replaced PDF is stored under a new name), so every file the dump refers to is
in the copy.

A restore checks the backup against its manifest first, then refuses a database that has any
table or a media folder that has any file, restores, and checks every table's rows and every
file's SHA-256 against the manifest. `manage.py verify_integrity` then checks the restored copy's
signatures and hashes.
"""

import datetime
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import environ
from django.conf import settings
from django.db import connections
from django.db.utils import ConnectionHandler

from qms.exceptions import ApplicationError

FORMAT = "clause5-backup/1"
MANIFEST = "manifest.json"
MEDIA = "media"
DUMP_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Restored:
    """What a restore put back: rows per table and files, all checked against the manifest."""

    tables: int
    rows: int
    files: int


def _sha256_copy(source: Path, target: Path | None = None) -> tuple[str, int]:
    """SHA-256 and size of `source`, copying it to `target` on the way when given."""
    digest, size = hashlib.sha256(), 0
    out = target.open("xb") if target else None
    try:
        with source.open("rb") as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                digest.update(chunk)
                size += len(chunk)
                if out:
                    out.write(chunk)
    finally:
        if out:
            out.close()
    if target:
        shutil.copystat(source, target)
    return digest.hexdigest(), size


def _target_connection(database_url: str | None):
    """A connection to `database_url` (a separate handler), or the project's own database."""
    if not database_url:
        return connections["default"], None
    # A handler of its own, whose "default" is the target: the project's connections stay as they are.
    handler = ConnectionHandler({"default": environ.Env.db_url_config(database_url)})
    return handler["default"], handler


def _row_counts(cursor, tables: list[str], quote) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (names from the catalogue)
        counts[table] = cursor.fetchone()[0]
    return counts


def _pg_env(connection) -> dict[str, str]:
    """libpq's environment for pg_dump and pg_restore: the same server, user and database as Django."""
    params = connection.settings_dict
    env = {**os.environ, "PGDATABASE": params["NAME"]}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if params.get(key):
            env[var] = str(params[key])
    if params.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = params["OPTIONS"]["sslmode"]
    return env


def _pg_tool(name: str, server_version: int) -> str:
    """The path of pg_dump or pg_restore, refusing one older than the server (it would fail half-way)."""
    path = shutil.which(name)
    if path is None:
        raise ApplicationError(f"{name} is not installed: install Debian's postgresql-client (scripts/system-deps.sh).")
    output = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout  # noqa: S603
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    major = int(match.group(1)) if match else 0
    if major < server_version // 10000:
        raise ApplicationError(
            f"{name} {major} cannot handle PostgreSQL {server_version // 10000}: "
            f"install postgresql-client-{server_version // 10000}."
        )
    return path


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True)  # noqa: S603 (fixed programs)
    if result.returncode != 0:
        raise ApplicationError(f"{Path(args[0]).name} failed: {result.stderr.strip() or result.stdout.strip()}")


def _dump_postgresql(connection, target: Path) -> dict[str, int]:
    """pg_dump and the row counts from one snapshot."""
    connection.ensure_connection()
    server_version = connection.pg_version
    pg_dump = _pg_tool("pg_dump", server_version)
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _row_counts(cursor, connection.introspection.table_names(), connection.ops.quote_name)
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    "--file",
                    target,
                ],
                _pg_env(connection),
            )
            cursor.execute("COMMIT")
    finally:
        raw.close()
    return counts


def _dump_sqlite(connection, target: Path) -> dict[str, int]:
    """SQLite's online backup API: a consistent copy while others write; counts taken from the copy."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        tables = [row[0] for row in cursor.fetchall()]
        return _row_counts(cursor, tables, connection.ops.quote_name)
    finally:
        copy.close()


def backup_create(*, output: Path, media_root: Path | None = None) -> Path:
    """Write a backup folder under `output` and return it."""
    connection = connections["default"]
    vendor = connection.vendor
    if vendor not in DUMP_FILES:
        raise ApplicationError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    if connection.in_atomic_block:
        # The dump would miss this transaction's writes (PostgreSQL), or wait for it forever (SQLite).
        raise ApplicationError("A backup runs outside any transaction: call it from its own command or task.")
    media_root = Path(media_root or settings.MEDIA_ROOT)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = Path(output) / f"clause5-backup-{stamp}"
    folder.mkdir(parents=True)
    dump = folder / DUMP_FILES[vendor]
    counts = _dump_postgresql(connection, dump) if vendor == "postgresql" else _dump_sqlite(connection, dump)

    files = {}
    digest, size = _sha256_copy(dump)
    files[dump.name] = {"sha256": digest, "size": size}
    if media_root.is_dir():
        for source in sorted(p for p in media_root.rglob("*") if p.is_file()):
            relative = source.relative_to(media_root).as_posix()
            target = folder / MEDIA / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            digest, size = _sha256_copy(source, target)
            files[f"{MEDIA}/{relative}"] = {"sha256": digest, "size": size}

    manifest = {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "database": {"vendor": vendor, "file": dump.name, "tables": counts},
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return folder


def _read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError as exc:
        raise ApplicationError(f"{folder} is not a Clause5 backup: it has no {MANIFEST}.") from exc
    except json.JSONDecodeError as exc:
        raise ApplicationError(f"{folder / MANIFEST} is damaged: {exc}.") from exc
    if manifest.get("format") != FORMAT:
        raise ApplicationError(f"{folder / MANIFEST} is of format {manifest.get('format')!r}, not {FORMAT}.")
    return manifest


def backup_problems(folder: Path, manifest: dict) -> list[str]:
    """Every file of the manifest that is missing from the backup or no longer has its SHA-256."""
    problems = []
    for name, expected in sorted(manifest["files"].items()):
        path = folder / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif _sha256_copy(path)[0] != expected["sha256"]:
            problems.append(f"{name}: SHA-256 differs from the manifest")
    return problems


def _tables(connection) -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def backup_restore(*, folder: Path, database_url: str | None = None, media_root: Path | None = None) -> Restored:
    """Restore the backup in `folder` into an empty database and an empty media folder, and check it.

    Raises ApplicationError, before anything is written, when the backup is damaged or the
    database or media folder is not empty; and after, when what was restored differs.
    """
    folder = Path(folder)
    manifest = _read_manifest(folder)
    problems = backup_problems(folder, manifest)
    if problems:
        raise ApplicationError("The backup is damaged; nothing was restored: " + "; ".join(problems) + ".")
    media_root = Path(media_root or settings.MEDIA_ROOT)
    if media_root.exists() and any(p.is_file() for p in media_root.rglob("*")):
        raise ApplicationError(f"The media folder {media_root} is not empty: restore only into an empty folder.")
    connection, handler = _target_connection(database_url)
    try:
        vendor = manifest["database"]["vendor"]
        if connection.vendor != vendor:
            raise ApplicationError(f"The backup is of a {vendor} database; the target is {connection.vendor}.")
        existing = _tables(connection)
        if existing:
            raise ApplicationError(
                f"The database {connection.settings_dict['NAME']} is not empty ({len(existing)} tables): "
                "restore only into a new, empty database."
            )

        dump = folder / manifest["database"]["file"]
        if vendor == "postgresql":
            connection.ensure_connection()
            pg_restore = _pg_tool("pg_restore", connection.pg_version)
            connection.close()
            # One transaction: a restore that fails leaves the database as empty as it was.
            _run(
                [
                    pg_restore,
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    "--dbname",
                    connection.settings_dict["NAME"],
                    dump,
                ],
                _pg_env(connection),
            )
        else:
            connection.close()
            source, target = sqlite3.connect(dump), sqlite3.connect(connection.settings_dict["NAME"])
            try:
                source.backup(target)
            finally:
                source.close()
                target.close()

        media_files = {name: meta for name, meta in manifest["files"].items() if name.startswith(f"{MEDIA}/")}
        for name, expected in sorted(media_files.items()):
            target = media_root / name.removeprefix(f"{MEDIA}/")
            target.parent.mkdir(parents=True, exist_ok=True)
            _sha256_copy(folder / name, target)
            if _sha256_copy(target)[0] != expected["sha256"]:
                problems.append(f"{name}: SHA-256 of the restored file differs from the manifest")

        expected_counts = manifest["database"]["tables"]
        with connection.cursor() as cursor:
            counts = _row_counts(cursor, _tables(connection), connection.ops.quote_name)
        for table, rows in sorted(expected_counts.items()):
            if counts.get(table) != rows:
                problems.append(f"table {table}: {counts.get(table)} rows restored, {rows} backed up")
        if problems:
            raise ApplicationError("The restored copy differs from the backup: " + "; ".join(problems) + ".")
        return Restored(tables=len(expected_counts), rows=sum(expected_counts.values()), files=len(media_files))
    finally:
        if handler is not None:
            handler.close_all()
