"""Writes of the leadership commitment log (5.1.1)."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from leadership.models import Person
from leadership.models.commitment import CommitmentEntry
from leadership.roles import Role
from qms.iso import BY_ID

COMMITMENT_PREFIX = "5.1.1."


def _check(person: Person, requirement_ids: list[str], date: datetime.date) -> None:
    errors = {}
    if date > timezone.localdate():
        errors["date"] = "The log records actions already taken: the date cannot be in the future."
    if not person.user.groups.filter(name=Role.TOP_MANAGEMENT).exists():
        errors["person"] = f"{person} is not in top management; the commitment log records top management's actions."
    bad = [i for i in requirement_ids if i not in BY_ID or not i.startswith(COMMITMENT_PREFIX)]
    if bad:
        errors["requirement_ids"] = f"Not a 5.1.1 item: {', '.join(bad)}."
    elif not requirement_ids:
        errors["requirement_ids"] = "Name at least one 5.1.1 item this action evidences."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def commitment_record(
    *,
    actor,
    person: Person,
    date: datetime.date,
    description: str,
    requirement_ids: list[str],
) -> CommitmentEntry:
    """Log an action of a top manager entered by hand."""
    _check(person, requirement_ids, date)
    entry = CommitmentEntry(
        person=person,
        date=date,
        description=description,
        requirement_ids=sorted(set(requirement_ids)),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    entry.full_clean()
    entry._history_user = actor
    entry.save()
    return entry


@transaction.atomic
def commitment_record_from(
    *,
    person: Person,
    source: str,
    source_record,
    date: datetime.date,
    description: str,
    requirement_ids: list[str],
) -> CommitmentEntry | None:
    """Log an action that happened in Clause5 (an approval, a decision, a signature).

    Called by the service where the action happens, so nobody types it twice. Idempotent:
    a second call for the same source record and person returns the existing entry. People
    outside top management are not logged (returns None): the log is top management's.
    """
    if not person.user.groups.filter(name=Role.TOP_MANAGEMENT).exists():
        return None
    source_type = ContentType.objects.get_for_model(source_record)
    entry, _created = CommitmentEntry.objects.get_or_create(
        source=source,
        source_type=source_type,
        source_id=str(source_record.pk),
        person=person,
        defaults={"date": date, "description": description, "requirement_ids": sorted(set(requirement_ids))},
    )
    return entry
