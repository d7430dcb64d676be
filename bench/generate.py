"""Benchmark data at three scales, on top of the demo organisation.

    generate("S")   the demo organisation (seed_demo), through the project's services
    generate("M")   S plus 300 people, 200 objectives x 36 monthly measurements, 100 signed meetings with
                    minutes, 2,000 actions, 5,000 customer feedback records
    generate("L")   S plus 3,000 people, 2,000 objectives x 36 measurements, 1,000 meetings, 20,000 actions,
                    50,000 customer feedback records

The demo organisation is always seeded first, through its services (every rule applies, and its users,
roles and permissions are the ones the benchmark signs in with). The volume on top is plain rows written
with bulk_create: people of no role, active objectives with their measurements and plan steps, signed
meetings with attendees, minutes and decisions, actions and customer feedback. Going through the services
row by row would only be slower (each writes history, notifications and audit records), so those rows are
built already in the state the services would leave them in (references, statuses, time stamps and
signatures filled in consistently). M takes well under a minute on PostgreSQL.

Run inside Django (bench/run.py does it against a throwaway database):

    DATABASE_URL=postgres://... .venv/bin/python bench/generate.py M
"""

import datetime
import io
import json
import os
import sys
import time
from pathlib import Path

from common import bulk_objectives  # bench/ is on sys.path: these scripts run as files

ROOT = Path(__file__).resolve().parent.parent

SCALES = {
    "S": None,
    "M": {"people": 300, "objectives": 200, "measurements": 36, "meetings": 100, "actions": 2000, "feedback": 5000},
    "L": {
        "people": 3000,
        "objectives": 2000,
        "measurements": 36,
        "meetings": 1000,
        "actions": 20000,
        "feedback": 50000,
    },
}
# The demo user the benchmark signs in as (chief executive: sees every page and list).
LOGIN_USERNAME = "margaret"
LOGIN_PASSWORD = "clause5-demo"  # noqa: S105 (the published demo password)
BATCH = 5000


def _seed_demo() -> None:
    from django.core.management import call_command

    call_command("seed_demo", "--quiet-logins", stdout=io.StringIO())


def _bulk(scale: dict, today: datetime.date) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from leadership.models import Department, Person
    from leadership.models.customers import Customer, CustomerFeedback
    from qms.models import Signature
    from reviews.models.actions import Action
    from reviews.models.meetings import AgendaItem, Attendee, Decision, Meeting, MeetingType

    now = timezone.now()
    user_model = get_user_model()
    entered_by = user_model.objects.get(username=LOGIN_USERNAME)

    # People: users without roles in 20 departments of their own.
    n_people, n_departments = scale["people"], 20
    users = user_model.objects.bulk_create(
        (
            user_model(username=f"bench{i:05d}", first_name="Bench", last_name=f"Person {i}", email=f"b{i}@example.com")
            for i in range(n_people)
        ),
        batch_size=BATCH,
    )
    departments = Department.objects.bulk_create(
        Department(name=f"Cell {i:02d} machining", code=f"BC{i:02d}") for i in range(n_departments)
    )
    people = Person.objects.bulk_create(
        (
            Person(user=u, department=departments[i % n_departments], job_title="CNC machinist")
            for i, u in enumerate(users)
        ),
        batch_size=BATCH,
    )

    # Objectives (active, monthly) with their measurements and two plan steps each.
    objectives = bulk_objectives(
        count=scale["objectives"],
        people=people,
        departments=departments,
        months=scale["measurements"],
        today=today,
        entered_by=entered_by,
        batch_size=BATCH,
    )

    # Signed meetings with attendees, minuted agenda items and decisions.
    n_meetings = scale["meetings"]
    meeting_type = MeetingType.objects.create(name="Cell quality meeting", category=MeetingType.Category.QUALITY)
    meeting_ct = ContentType.objects.get_for_model(Meeting)
    held = [now - datetime.timedelta(days=(k + 1) * 3 % 700 + 1, hours=k % 7) for k in range(n_meetings)]
    signatures = Signature.objects.bulk_create(
        (
            Signature(
                signer=users[1],
                signer_name=users[1].get_full_name(),
                signer_title="Cell leader",
                meaning=Signature.Meaning.APPROVED,
                statement="I approve these minutes as a true record",
                content_type=meeting_ct,
                object_id="0",
                content_sha256="0" * 64,
                signed_at=held[k] + datetime.timedelta(hours=2),
            )
            for k in range(n_meetings)
        ),
        batch_size=BATCH,
    )
    meetings = Meeting.objects.bulk_create(
        (
            Meeting(
                reference=f"MTG-B-{k:05d}",
                type=meeting_type,
                title=f"Cell {k % 40} quality meeting",
                planned_start=held[k],
                held_at=held[k],
                department=departments[k % n_departments],
                chair=people[1],
                minute_taker=people[2],
                status=Meeting.Status.SIGNED,
                signed_at=held[k] + datetime.timedelta(hours=2),
                signature=signatures[k],
                general_notes="Scrap, on-time delivery and customer complaints reviewed.",
            )
            for k in range(n_meetings)
        ),
        batch_size=BATCH,
    )
    for signature, meeting in zip(signatures, meetings, strict=True):
        signature.object_id = str(meeting.pk)
    Signature.objects.bulk_update(signatures, ["object_id"], batch_size=BATCH)
    Attendee.objects.bulk_create(
        (
            Attendee(meeting=m, person=people[(k + j) % n_people], status=Attendee.Status.PRESENT)
            for k, m in enumerate(meetings)
            for j in range(8)
        ),
        batch_size=BATCH,
    )
    items = AgendaItem.objects.bulk_create(
        (
            AgendaItem(
                meeting=m,
                order=j + 1,
                title=["Safety", "Scrap and rework", "Delivery", "Customer feedback"][j],
                minutes="Figures reviewed against target; causes discussed, see the decisions.",
            )
            for m in meetings
            for j in range(4)
        ),
        batch_size=BATCH,
    )
    decisions = Decision.objects.bulk_create(
        (
            Decision(
                meeting=m,
                agenda_item=items[k * 4 + 1],
                number=j + 1,
                text=f"Contain the scrap at machine {j + 1} of cell {k % 40} and report back.",
                owner=people[(k + j) % n_people],
                recorded_by=users[2],
            )
            for k, m in enumerate(meetings)
            for j in range(3)
        ),
        batch_size=BATCH,
    )

    # The action register: decision actions first, then objective actions, in every status.
    statuses = [Action.Status.OPEN, Action.Status.IN_PROGRESS, Action.Status.DONE, Action.Status.VERIFIED]
    Action.objects.bulk_create(
        (
            Action(
                reference=f"ACT-B-{n:06d}",
                title=f"Re-qualify fixture {n % 97} and brief the operators",
                source=Action.Source.MEETING_DECISION if n < len(decisions) else Action.Source.OBJECTIVE,
                decision=decisions[n] if n < len(decisions) else None,
                objective=None if n < len(decisions) else objectives[n % len(objectives)],
                owner=people[n % n_people],
                department=departments[n % n_departments],
                due_date=today + datetime.timedelta(days=(n % 60) - 30),
                status=statuses[n % 4],
                completed_at=now if n % 4 >= 2 else None,
                verified_at=now if n % 4 == 3 else None,
                verified_by=people[(n + 1) % n_people] if n % 4 == 3 else None,
                created_by=entered_by,
            )
            for n in range(scale["actions"])
        ),
        batch_size=BATCH,
    )

    # Customer feedback: closed survey responses and compliments, complaints in every state.
    customers = Customer.objects.bulk_create(
        Customer(name=f"Bench customer {i:03d}", account_code=f"BENCH-{i:03d}") for i in range(100)
    )
    kinds = [
        (CustomerFeedback.Type.SURVEY_RESPONSE, ""),
        (CustomerFeedback.Type.COMPLAINT, CustomerFeedback.Severity.MEDIUM),
        (CustomerFeedback.Type.COMPLIMENT, ""),
        (CustomerFeedback.Type.RETURN, CustomerFeedback.Severity.HIGH),
    ]
    # As in a well-run system: feedback older than 10 days is answered and closed, newer feedback is
    # open within its targets, and 1 record in 500 is open and late (a finding on the readiness page).
    rows = []
    for n in range(scale["feedback"]):
        kind, severity = kinds[n % 4]
        age = n % 1000
        received = today - datetime.timedelta(days=age)
        late = n % 500 == 0 and age > 30
        if late or age <= 10:
            status = CustomerFeedback.Status.ASSESSED if n % 2 else CustomerFeedback.Status.NEW
        else:
            status = CustomerFeedback.Status.CLOSED
        assessed = status != CustomerFeedback.Status.NEW
        closed = status == CustomerFeedback.Status.CLOSED
        responded = closed and kind in CustomerFeedback.SEVERITY_TYPES
        rows.append(
            CustomerFeedback(
                reference=f"CF-{received.year}-B{n:06d}",
                type=kind,
                customer=customers[n % 100],
                channel=CustomerFeedback.Channel.EMAIL,
                received_date=received,
                product=f"Machined housing P/N {1000 + n % 300}",
                severity=severity,
                satisfaction_score=(n % 11) if kind == CustomerFeedback.Type.SURVEY_RESPONSE else None,
                description="Received through the customer portal and logged by the quality team.",
                department=departments[n % n_departments],
                owner=people[n % n_people],
                status=status,
                response_due_on=received + datetime.timedelta(days=10),
                close_due_on=received + datetime.timedelta(days=30),
                assessment_note="Checked against the drawing and the inspection record." if assessed else "",
                assessed_on=received + datetime.timedelta(days=1) if assessed else None,
                assessed_by=entered_by if assessed else None,
                response="Containment and corrective action agreed with the customer." if responded else "",
                responded_on=received + datetime.timedelta(days=3) if responded else None,
                responded_by=entered_by if responded else None,
                effectiveness_check="No repeat in the following deliveries." if closed else "",
                closed_on=received + datetime.timedelta(days=5) if closed else None,
                closed_by=entered_by if closed else None,
            )
        )
    CustomerFeedback.objects.bulk_create(rows, batch_size=BATCH)


def generate(scale: str) -> dict:
    """Fill the current database at `scale` ("S", "M" or "L"); return what the benchmark needs to sign in and browse."""
    from django.db import connection, transaction
    from django.utils import timezone

    from reviews.models.meetings import Meeting

    scale = scale.upper()
    if scale not in SCALES:
        raise ValueError(f"Unknown scale {scale!r}: choose S, M or L.")
    started = time.perf_counter()
    _seed_demo()
    if SCALES[scale]:
        with transaction.atomic():
            _bulk(SCALES[scale], timezone.localdate())
    # Planner statistics, as autovacuum keeps them on a live database: without them PostgreSQL
    # plans the first minutes after a bulk load for empty tables (sorting whole tables for one page).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    meeting = Meeting.objects.filter(status=Meeting.Status.SIGNED).order_by("-held_at").first()
    meeting = meeting or Meeting.objects.order_by("-planned_start").first()
    return {
        "scale": scale,
        "seconds": round(time.perf_counter() - started, 1),
        "username": LOGIN_USERNAME,
        "password": LOGIN_PASSWORD,
        "meeting_pk": meeting.pk if meeting else None,
    }


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0].upper() not in SCALES:
        print("usage: bench/generate.py S|M|L", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qms.settings.local")
    import django

    django.setup()
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    print(json.dumps(generate(args[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
