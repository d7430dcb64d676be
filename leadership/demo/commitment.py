"""Demo of the leadership commitment log (5.1.1): actions taken outside Clause5, entered by hand.

Actions taken in Clause5 (approvals, decisions, signatures) are logged by their own services.
5.1.1.d (promoting the process approach and risk-based thinking) is left without an entry on
purpose: it is a gap the readiness check must find.
"""

import datetime

from django.utils import timezone

from leadership.models import Person
from leadership.models.commitment import CommitmentEntry
from leadership.services import commitment as services

# (days ago, username, description, items)
ENTRIES = [
    (
        330,
        "margaret",
        "Presented the quality policy and this year's quality objectives at the all-staff town hall "
        "in the canteen, both shifts.",
        ["5.1.1.f", "5.1.1.b"],
    ),
    (
        300,
        "margaret",
        "Tied 20% of the Production Manager's annual bonus to the scrap-rate objective (letter on the HR file).",
        ["5.1.1.j", "5.1.1.g"],
    ),
    (
        250,
        "david",
        "Visited Halden Automotive with the Sales manager after their complaint about burrs on valve "
        "bodies; agreed a containment plan with their supplier quality engineer.",
        ["5.1.1.c", "5.1.1.g"],
    ),
    (
        190,
        "margaret",
        "Opened the quality improvement day: shop-floor teams presented six improvement ideas; "
        "three were funded on the spot.",
        ["5.1.1.i", "5.1.1.h"],
    ),
    (
        120,
        "david",
        "Walked line 2 with the QA inspectors after the coolant-contamination report from the "
        "feedback box; stopped the line for two hours to clean the sump.",
        ["5.1.1.h", "5.1.1.a"],
    ),
    (
        75,
        "margaret",
        "Added a standing quality item (objective status, complaints) to the agenda of the monthly operations meeting.",
        ["5.1.1.c", "5.1.1.g"],
    ),
    (
        30,
        "david",
        "Coached the new Supply Chain Manager on setting her department's supplier on-time objective.",
        ["5.1.1.j"],
    ),
    (
        12,
        "margaret",
        "Spoke at the November town hall on why the complaint rate matters to the company's aerospace ambitions.",
        ["5.1.1.f"],
    ),
]


def seed(people: dict[str, Person]) -> dict[str, int]:
    created = 0
    today = timezone.localdate()
    for days_ago, username, description, items in ENTRIES:
        person = people[username]
        if CommitmentEntry.objects.filter(person=person, description=description).exists():
            continue
        services.commitment_record(
            actor=people["priya"].user,
            person=person,
            date=today - datetime.timedelta(days=days_ago),
            description=description,
            requirement_ids=items,
        )
        created += 1
    return {"commitment entries": created}
