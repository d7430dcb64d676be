"""Demo of the employee quality feedback box (5.1.1.h)."""

from leadership.models import Person


def seed(people: dict[str, Person]) -> dict[str, int]:
    """Create this area's demo records (idempotent); `people` maps demo usernames to people."""
    return {}
