"""Check every signature and every stored file, print what was found, and fail on any mismatch.

    manage.py verify_integrity               one row per check, then a summary
    manage.py verify_integrity --problems    only the rows that are not OK

Exits with status 1 when a signature no longer matches its record, a file no longer matches its
SHA-256, or a signed record or a file is missing. Run it after a restore and on a schedule.
"""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from qms.integrity import integrity_findings

COLUMNS = ("AREA", "STATUS", "WHAT", "DETAIL")


class Command(BaseCommand):
    help = "Check every signature and stored file against its SHA-256; exit 1 on any mismatch or missing item."

    def add_arguments(self, parser):
        parser.add_argument("--problems", action="store_true", help="Print only the rows that are not OK.")

    def handle(self, *args, problems: bool = False, **options):
        counts = Counter()
        failures = 0
        self.stdout.write(self._row(COLUMNS))
        for finding in integrity_findings():
            counts[finding.status] += 1
            failures += finding.failed
            if problems and not finding.failed:
                continue
            style = self.style.ERROR if finding.failed else self.style.SUCCESS
            self.stdout.write(self._row((finding.area, finding.status, finding.subject, finding.detail)), style)
        summary = ", ".join(f"{count} {status}" for status, count in sorted(counts.items())) or "nothing to check"
        if failures:
            raise CommandError(f"Integrity check failed: {summary}.", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"Integrity check passed: {summary}."))

    @staticmethod
    def _row(cells) -> str:
        area, status, subject, detail = cells
        return f"{area:<16} {status:<9} {subject}" + (f"  [{detail}]" if detail else "")
