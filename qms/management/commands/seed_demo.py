from django.core.management.base import BaseCommand
from django.db import transaction

from qms.demo import seeders


class Command(BaseCommand):
    help = "Load the demo organisation (idempotent: existing records are kept) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins table.")

    def handle(self, *args, quiet_logins=False, **options):
        with transaction.atomic():
            for seeder in seeders():
                created = seeder.seed()
                summary = ", ".join(f"{n} {what}" for what, n in created.items()) or "nothing"
                self.stdout.write(self.style.SUCCESS(f"Demo {seeder.app}: created {summary} (existing records kept)."))
        if quiet_logins:
            return
        rows = [row for seeder in seeders() for row in seeder.logins()]
        if not rows:
            return
        width = max(len(u) for u, _, _ in rows)
        self.stdout.write("\nDemo logins (username, roles, who):")
        for username, who, roles in rows:
            self.stdout.write(f"  {username.ljust(width)}  {roles:<46} {who}")
        self.stdout.write("")
