"""Back up the database and every uploaded file into one folder with a manifest of SHA-256s.

    manage.py backup /var/backups/clause5

See `qms/backup.py` for what the folder holds, and the README's "Backups" for the schedule.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qms.backup import backup_create
from qms.exceptions import ApplicationError


class Command(BaseCommand):
    help = "Write a backup folder (database dump, media files, manifest of SHA-256s) under OUTPUT."

    def add_arguments(self, parser):
        parser.add_argument("output", type=Path, help="Folder in which the backup's own folder is created.")
        parser.add_argument("--media-root", type=Path, help="Media folder to back up (default: MEDIA_ROOT).")

    def handle(self, *args, output: Path, media_root: Path | None = None, **options):
        try:
            folder = backup_create(output=output, media_root=media_root)
        except (ApplicationError, OSError) as exc:
            raise CommandError(f"Backup failed: {exc}") from exc
        self.stdout.write(str(folder))
