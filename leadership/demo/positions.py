"""Demo of positions, holders and the management representative (5.3)."""

from leadership.models import Person


def seed(people: dict[str, Person]) -> dict[str, int]:
    """Create this area's demo records (idempotent); `people` maps demo usernames to people."""
    return {}
