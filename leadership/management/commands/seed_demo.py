from django.core.management.base import BaseCommand

from leadership.demo import DEMO_PASSWORD, demo_logins, seed_organisation


class Command(BaseCommand):
    help = "Load the demo organisation (idempotent: existing records are kept) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins table.")

    def handle(self, *args, quiet_logins=False, **options):
        created = seed_organisation()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo organisation ready: {created['departments']} departments and "
                f"{created['people']} people created (existing records kept)."
            )
        )
        if quiet_logins:
            return
        rows = demo_logins()
        width = max(len(u) for u, _, _ in rows)
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})\n")
        for username, who, roles in rows:
            self.stdout.write(f"  {username.ljust(width)}  {roles:<45} {who}")
        self.stdout.write("")
