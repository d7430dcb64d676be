"""Reads of the leadership commitment log (5.1.1)."""

import datetime
from collections import Counter

from django.db.models import QuerySet
from django.utils import timezone

from leadership.models import Person
from leadership.models.commitment import CommitmentEntry
from leadership.roles import Role
from qms.iso import REQUIREMENTS

COMMITMENT_ITEMS = [r for r in REQUIREMENTS if r.id.startswith("5.1.1.")]


def commitment_list() -> QuerySet[CommitmentEntry]:
    return CommitmentEntry.objects.select_related("person__user", "recorded_by", "source_type")


def top_managers() -> QuerySet[Person]:
    return (
        Person.objects.filter(user__groups__name=Role.TOP_MANAGEMENT, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )


def commitment_coverage(*, person: Person | None = None, months: int = 12, today: datetime.date | None = None) -> dict:
    """Entries per 5.1.1 item over the last `months` months, and the items with none.

    One query whatever the number of entries: the ids are counted from the JSON lists.
    """
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=round(months * 365.25 / 12))
    entries = CommitmentEntry.objects.filter(date__gt=since, date__lte=today)
    if person is not None:
        entries = entries.filter(person=person)
    counts = Counter()
    total = 0
    for ids in entries.values_list("requirement_ids", flat=True):
        total += 1
        counts.update(set(ids))
    rows = [{"requirement": r, "count": counts.get(r.id, 0)} for r in COMMITMENT_ITEMS]
    return {
        "since": since,
        "until": today,
        "months": months,
        "entries": total,
        "rows": rows,
        "missing": [row["requirement"] for row in rows if row["count"] == 0],
    }
