"""Yearly record references (RR-2026-007, ACT-2026-042): allocated on save, unique, race-safe."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from qms.exceptions import ApplicationError


def next_reference(model, prefix: str, year: int) -> str:
    """The next free reference of the year, e.g. RR-2026-007 after RR-2026-006."""
    start = f"{prefix}-{year}-"
    numbers = [
        int(ref[len(start) :])
        for ref in model.objects.filter(reference__startswith=start).values_list("reference", flat=True)
        if ref[len(start) :].isdigit()
    ]
    return f"{start}{max(numbers, default=0) + 1:03d}"


def save_with_reference(instance, actor, prefix: str) -> None:
    """Validate and save a new record under the next reference of the year.

    Two requests saved at the same moment may pick the same number; the unique constraint
    refuses the second, which then takes the next one.
    """
    year = timezone.localdate().year
    for _attempt in range(5):
        instance.reference = next_reference(type(instance), prefix, year)
        instance.full_clean(exclude=["reference"])
        instance._history_user = actor
        try:
            with transaction.atomic():
                instance.save()
            return
        except IntegrityError:
            instance.pk = None
            if not type(instance).objects.filter(reference=instance.reference).exists():
                raise
    raise ApplicationError("Could not allocate a reference; please try again.")
