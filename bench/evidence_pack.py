"""Benchmark of an evidence pack (evidence.services.packs): gathering the data, laying out the PDF.

Builds a throwaway database (Django's test database: a temporary SQLite file, or test_<name> on
the PostgreSQL server of DATABASE_URL), fills it, then gathers and renders a 12-month pack the
way the "pdf" worker does, and prints wall time, SQL queries, pages, size and the process's peak
memory. The database is dropped at the end.

    .venv/bin/python bench/evidence_pack.py --demo          # the demo organisation (seed_demo)
    .venv/bin/python bench/evidence_pack.py                 # a large organisation (defaults below)
    .venv/bin/python bench/evidence_pack.py --objectives 200 --measurements 36 --meetings 100 --actions 2000

See bench/README.md for what the figures mean.
"""

import argparse
import datetime
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from common import NoMigrations, bulk_objectives  # bench/ is on sys.path: these scripts run as files

ROOT = Path(__file__).resolve().parent.parent


def seed_demo() -> str:
    """The demo organisation, seeded as `manage.py seed_demo` does."""
    import io

    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    return "demo organisation (seed_demo)"


def build_large(objectives: int, measurements: int, meetings: int, actions: int, today: datetime.date) -> str:
    """A large organisation with bulk inserts: objectives with monthly values, signed meetings, an action register."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from leadership.models import Department, Person
    from qms.models import Signature
    from reviews.models.actions import Action
    from reviews.models.meetings import AgendaItem, Attendee, Decision, Meeting, MeetingType

    user_model = get_user_model()
    people_n, departments_n = 300, 20
    users = user_model.objects.bulk_create(
        user_model(username=f"bench{i}", first_name="Bench", last_name=f"Person {i}") for i in range(people_n)
    )
    departments = Department.objects.bulk_create(
        Department(name=f"Bench department {i:02d}", code=f"B{i}") for i in range(departments_n)
    )
    people = Person.objects.bulk_create(
        Person(user=u, department=departments[i % departments_n], job_title="Engineer") for i, u in enumerate(users)
    )

    created = bulk_objectives(
        count=objectives, people=people, departments=departments, months=measurements, today=today, entered_by=users[0]
    )

    meeting_type = MeetingType.objects.create(name="Monthly quality meeting", category=MeetingType.Category.QUALITY)
    chair_type = ContentType.objects.get_for_model(Meeting)
    held = [timezone.now() - datetime.timedelta(days=3 * (k + 1)) for k in range(meetings)]
    signatures = Signature.objects.bulk_create(
        Signature(
            signer=users[1],
            signer_name="Bench Person 1",
            signer_title="Managing Director",
            meaning=Signature.Meaning.APPROVED,
            statement="I approve these minutes as a true record",
            content_type=chair_type,
            object_id="0",
            content_sha256="0" * 64,
            signed_at=held[k] + datetime.timedelta(hours=2),
        )
        for k in range(meetings)
    )
    meeting_rows = Meeting.objects.bulk_create(
        Meeting(
            reference=f"MTG-B-{k:04d}",
            type=meeting_type,
            title=f"Quality meeting {k}",
            planned_start=held[k],
            held_at=held[k],
            department=departments[k % departments_n],
            chair=people[1],
            minute_taker=people[2],
            status=Meeting.Status.SIGNED,
            signed_at=held[k] + datetime.timedelta(hours=2),
            signature=signatures[k],
            general_notes="Scrap, delivery and customer complaints reviewed.",
        )
        for k in range(meetings)
    )
    Attendee.objects.bulk_create(
        Attendee(meeting=m, person=people[(k + j) % people_n], status=Attendee.Status.PRESENT)
        for k, m in enumerate(meeting_rows)
        for j in range(8)
    )
    items = AgendaItem.objects.bulk_create(
        AgendaItem(meeting=m, order=j + 1, title=f"Item {j + 1}", minutes="Discussed; see the decisions.")
        for m in meeting_rows
        for j in range(4)
    )
    decisions = Decision.objects.bulk_create(
        Decision(
            meeting=m,
            agenda_item=items[k * 4],
            number=j + 1,
            text=f"Decision {j + 1} of meeting {k}: contain the scrap at cell {j}.",
            owner=people[(k + j) % people_n],
            recorded_by=users[2],
        )
        for k, m in enumerate(meeting_rows)
        for j in range(3)
    )
    statuses = [Action.Status.OPEN, Action.Status.IN_PROGRESS, Action.Status.DONE, Action.Status.VERIFIED]
    Action.objects.bulk_create(
        (
            Action(
                reference=f"ACT-B-{n:05d}",
                title=f"Bench action {n}",
                source=Action.Source.MEETING_DECISION if n < len(decisions) else Action.Source.OBJECTIVE,
                decision=decisions[n] if n < len(decisions) else None,
                objective=None if n < len(decisions) else created[n % len(created)],
                owner=people[n % people_n],
                department=departments[n % departments_n],
                due_date=today + datetime.timedelta(days=(n % 60) - 30),
                status=statuses[n % 4],
                completed_at=timezone.now() if n % 4 >= 2 else None,
                verified_at=timezone.now() if n % 4 == 3 else None,
                verified_by=people[(n + 1) % people_n] if n % 4 == 3 else None,
                created_by=users[0],
            )
            for n in range(actions)
        ),
        batch_size=2000,
    )
    return (
        f"large organisation: {objectives} objectives x {measurements} measurements, {meetings} signed meetings "
        f"(8 attendees, 4 items, 3 decisions each), {actions} actions"
    )


def run_pack(today: datetime.date) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from evidence.models import EvidencePack
    from evidence.selectors.packs import pack_data
    from evidence.services.packs import render_pack

    start = today.replace(year=today.year - 1) + datetime.timedelta(days=1)
    pack = EvidencePack(
        reference="EP-BENCH-001", period_start=start, period_end=today, requested_by=get_user_model().objects.first()
    )
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        data = pack_data(period_start=start, period_end=today, reference=pack.reference, generated_by="Bench")
    gathered = time.perf_counter() - started
    content, pages = render_pack(pack, data)
    total = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    counts = data["counts"]
    print(
        f"Gathering: {gathered:.2f} s, {len(queries)} queries "
        f"({counts['objectives']} objectives, {counts['measurements']} measurements, "
        f"{counts['signed_meetings']} meetings, {counts['decisions']} decisions)"
    )
    print(f"Gathering and rendering: {total:.2f} s, {pages} pages, {len(content) / 1e6:.1f} MB")
    print(f"Peak memory of the process: {peak:.0f} MiB (at {timezone.now():%Y-%m-%d %H:%M})")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", action="store_true", help="the demo organisation instead of a large one")
    parser.add_argument("--objectives", type=int, default=200)
    parser.add_argument("--measurements", type=int, default=36, help="monthly measurements per objective")
    parser.add_argument("--meetings", type=int, default=100)
    parser.add_argument("--actions", type=int, default=2000)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qms.settings.local")
    import logging

    import django
    from django.conf import settings

    django.setup()
    settings.MIGRATION_MODULES = NoMigrations()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEBUG = False
    # Static files from the source folders, as in development and tests (no collectstatic manifest needed).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # pygal's charts and WeasyPrint's layout log at INFO/WARNING for things that do not matter here.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    from django.apps import apps
    from django.db import connection
    from django.utils import timezone

    workdir = tempfile.TemporaryDirectory(prefix="clause5-bench-")
    settings.MEDIA_ROOT = Path(workdir.name) / "media"
    if connection.vendor == "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(Path(workdir.name) / "bench.sqlite3")
    print(f"Database: {connection.vendor}, building a throwaway copy ...", flush=True)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        # Without migrations the clause catalogue and the roles are loaded as `migrate` would.
        import importlib

        importlib.import_module("evidence.migrations.0003_load_clause_catalogue").load_catalogue(apps, None)
        from leadership.services.people import roles_sync

        roles_sync()
        today = timezone.localdate()
        started = time.perf_counter()
        if args.demo:
            label = seed_demo()
        else:
            label = build_large(args.objectives, args.measurements, args.meetings, args.actions, today)
        print(f"Data: {label} (built in {time.perf_counter() - started:.1f} s)", flush=True)
        run_pack(today)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        workdir.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
