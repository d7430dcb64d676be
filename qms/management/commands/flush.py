"""`flush`, as Django's, but allowed to empty the append-only history tables too.

Emptying the whole database is the one operation that must remove past versions with everything
else (the test suite does it between transactional tests), so it lifts the guard of
`qms.history` for its own session while it runs.
"""

from django.core.management.commands.flush import Command as FlushCommand

from qms.history import history_rewrite_allowed


class Command(FlushCommand):
    def handle(self, **options):
        with history_rewrite_allowed(using=options["database"]):
            return super().handle(**options)
