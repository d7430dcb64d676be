"""Publish the task outbox's waiting messages, in a loop, as a process of its own."""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from qms import outbox


class Command(BaseCommand):
    help = (
        "Publish the background tasks that the broker did not take when their change was committed "
        "(for example while Redis was down). Runs until stopped; --once makes a single pass."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Make one pass and exit.")
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between passes (default 5).")
        parser.add_argument("--batch", type=int, default=200, help="Messages per pass (default 200).")

    def handle(self, *args, once=False, interval=5.0, batch=200, **options):
        if interval <= 0:
            self.stderr.write("--interval must be a positive number of seconds.")
            raise SystemExit(2)
        stopping = []
        if not once:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stopping.append(True))
            self.stdout.write(f"Relaying the task outbox every {interval:g} s.")
        first = True
        while True:
            if not first:
                # A database restarted meanwhile leaves a dead connection; the health check replaces it.
                close_old_connections()
            first = False
            try:
                result = outbox.relay(batch=batch)
                # A full batch means more wait: go on at once rather than after the interval.
                busy = result["sent"] == batch
                if result["sent"] or once:
                    self.stdout.write(f"Sent {result['sent']}; {result['waiting']} waiting.")
            except DatabaseError as exc:
                self.stderr.write(f"Database unavailable ({exc.__class__.__name__}); retrying.")
                busy = False
                if once:
                    raise
            if once or stopping:
                return
            if not busy:
                # Sleep in small steps so that a stop signal is honoured promptly.
                deadline = time.monotonic() + interval
                while not stopping and time.monotonic() < deadline:
                    time.sleep(min(0.5, interval))
            if stopping:
                return
