"""Restore a backup folder into an empty database and an empty media folder, checking every table and file.

    createdb clause5                          # a new, empty database
    DATABASE_URL=postgres://.../clause5 manage.py restore /var/backups/clause5/clause5-backup-20261125T020000Z
    manage.py migrate                         # only if this code is newer than the backup
    manage.py verify_integrity

Refuses a database with any table or a media folder with any file, so nothing is ever restored
over live data.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qms.backup import backup_restore
from qms.exceptions import ApplicationError


class Command(BaseCommand):
    help = "Restore a backup folder into an empty database and media folder, then check it against its manifest."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="The backup folder (the one holding manifest.json).")
        parser.add_argument("--database-url", help="Restore into this database instead of DATABASE_URL.")
        parser.add_argument("--media-root", type=Path, help="Restore the files here instead of MEDIA_ROOT.")

    def handle(self, *args, folder: Path, database_url: str | None = None, media_root: Path | None = None, **options):
        try:
            restored = backup_restore(folder=folder, database_url=database_url, media_root=media_root)
        except (ApplicationError, OSError) as exc:
            raise CommandError(f"Restore failed: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {restored.rows} rows in {restored.tables} tables and {restored.files} files; "
                "every table and file matches the manifest. Now run `manage.py verify_integrity`."
            )
        )
