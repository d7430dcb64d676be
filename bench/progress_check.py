"""Benchmark of the daily progress check (objectives.services.progress.progress_check_run).

Builds a throwaway database (Django's test database: a temporary SQLite file, or
test_<name> on the PostgreSQL server of DATABASE_URL), fills it with bulk inserts, runs the
check twice (the first run writes every objective's cached fields; the second is a normal
day, when little changes) and prints wall time and queries of each run. The database is
dropped at the end.

    .venv/bin/python bench/progress_check.py --objectives 10000 --measurements 36
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clause5_bench .venv/bin/python bench/progress_check.py

See bench/README.md for what the figures mean.
"""

import argparse
import datetime
import logging
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from common import NoMigrations, months_back  # bench/ is on sys.path: these scripts run as files

ROOT = Path(__file__).resolve().parent.parent


def build(objectives: int, measurements: int, today: datetime.date) -> dict:
    """Departments with heads, owners, objectives, their monthly measurements and some revisions."""
    from django.contrib.auth import get_user_model

    from leadership.models import Department, Person
    from objectives.models import Measurement, Objective, TargetRevision

    user_model = get_user_model()
    departments_n, owners_n = 20, 200
    users = user_model.objects.bulk_create(
        user_model(username=f"bench{i}", email=f"bench{i}@example.com", first_name="Bench", last_name=f"Owner {i}")
        for i in range(owners_n + departments_n)
    )
    departments = Department.objects.bulk_create(
        Department(name=f"Bench department {i}", code=f"B{i}") for i in range(departments_n)
    )
    people = Person.objects.bulk_create(
        Person(user=user, department=departments[i % departments_n]) for i, user in enumerate(users)
    )
    heads = people[owners_n:]
    for department, head in zip(departments, heads, strict=True):
        department.head = head
    Department.objects.bulk_update(departments, ["head"])

    # Monthly objectives whose last `measurements` months have ended: all of them are due.
    last_month = months_back(today, 1)
    start = months_back(today, measurements)
    directions = [Objective.Direction.LOWER, Objective.Direction.HIGHER, Objective.Direction.BAND]
    rows = []
    for i in range(objectives):
        direction = directions[i % 3]
        rows.append(
            Objective(
                reference=f"OBJ-B-{i:05d}",
                title=f"Bench objective {i}",
                status=Objective.Status.ACTIVE,
                category=Objective.Category.PROCESS,
                owner=people[i % owners_n],
                department=departments[i % departments_n],
                metric_name="Bench metric",
                unit=Objective.Unit.PERCENT,
                direction=direction,
                baseline=Decimal("50"),
                target=Decimal("40") if direction == Objective.Direction.LOWER else Decimal("60"),
                target_upper=Decimal("70") if direction == Objective.Direction.BAND else None,
                tolerance=Decimal("2"),
                frequency=Objective.Frequency.MONTHLY,
                start_date=start,
                due_date=datetime.date(today.year + 1, 6, 30),
            )
        )
    created = Objective.objects.bulk_create(rows, batch_size=2000)

    # Shapes: most drift slowly around the target; 5% miss their last two months (overdue and
    # escalated), one in ten trends the wrong way, one in twenty has an approved revision.
    periods = [months_back(today, measurements - k) for k in range(measurements)]
    assert periods[-1] == last_month
    entered_by = users[0]
    batch = []
    count = 0
    for i, objective in enumerate(created):
        missing = 2 if i % 20 == 0 else 0
        wrong_way = i % 10 == 1
        base = 38.0 if objective.direction == Objective.Direction.LOWER else 65.0
        for k, period in enumerate(periods[: len(periods) - missing]):
            drift = (k * 0.4) if wrong_way else ((k * 7 + i) % 5) * 0.3
            if objective.direction == Objective.Direction.HIGHER:
                drift = -drift
            batch.append(
                Measurement(
                    objective=objective,
                    period_start=period,
                    value=Decimal(f"{base + drift:.2f}"),
                    entered_by=entered_by,
                )
            )
        if len(batch) >= 20000:
            Measurement.objects.bulk_create(batch, batch_size=5000)
            count += len(batch)
            batch = []
    Measurement.objects.bulk_create(batch, batch_size=5000)
    count += len(batch)

    revisions = TargetRevision.objects.bulk_create(
        TargetRevision(
            objective=objective,
            status=TargetRevision.Status.APPROVED,
            reason="Bench revision",
            effective_from=periods[len(periods) // 2],
            old_target=objective.target,
            new_target=objective.target,
            old_target_upper=objective.target_upper,
            new_target_upper=objective.target_upper,
            old_tolerance=objective.tolerance,
            new_tolerance=Decimal("3"),
            old_due_date=objective.due_date,
            new_due_date=objective.due_date,
            proposed_by=users[1],
            decided_by=users[2],
        )
        for i, objective in enumerate(created)
        if i % 20 == 3
    )
    return {"objectives": len(created), "measurements": count, "revisions": len(revisions)}


def timed_run(batch_size: int, today: datetime.date) -> tuple[float, int, dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from objectives.services.progress import progress_check_run

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = progress_check_run(today=today, batch_size=batch_size)
        elapsed = time.perf_counter() - started
    return elapsed, len(queries), result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objectives", type=int, default=10000)
    parser.add_argument("--measurements", type=int, default=36, help="monthly measurements per objective")
    parser.add_argument("--batch-size", type=int, default=1000)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qms.settings.local")
    import django
    from django.conf import settings

    django.setup()
    # The check logs its totals; the benchmark prints them itself.
    logging.getLogger("objectives.services.progress").setLevel(logging.WARNING)
    settings.MIGRATION_MODULES = NoMigrations()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEBUG = False
    from django.db import connection
    from django.utils import timezone

    workdir = tempfile.TemporaryDirectory(prefix="clause5-bench-")
    if connection.vendor == "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(Path(workdir.name) / "bench.sqlite3")
    print(f"Database: {connection.vendor}, building a throwaway copy ...", flush=True)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        today = timezone.localdate()
        started = time.perf_counter()
        sizes = build(args.objectives, args.measurements, today)
        print(
            f"Data: {sizes['objectives']:,} active objectives, {sizes['measurements']:,} measurements, "
            f"{sizes['revisions']:,} approved revisions (built in {time.perf_counter() - started:.1f} s)"
        )
        for label in ("first run (every cached field written)", "second run (a normal day)"):
            elapsed, queries, result = timed_run(args.batch_size, today)
            sent = {k.removeprefix("sent_"): v for k, v in result.items() if k.startswith("sent_")}
            print(
                f"{label}: {elapsed:.2f} s, {queries} queries, {result['batches']} batches, "
                f"{result['updated']:,} rows updated, messages sent {sent or 'none'}"
            )
        health = {k.removeprefix("health_"): v for k, v in result.items() if k.startswith("health_")}
        print(f"Health: {health}; projected to miss: {result.get('projected_to_miss', 0)}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        workdir.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
