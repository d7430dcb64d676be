"""Demo of resource requests and the quality budget (5.1.1.e, 7.1)."""

from leadership.models import Person


def seed(people: dict[str, Person]) -> dict[str, int]:
    """Create this area's demo records (idempotent); `people` maps demo usernames to people."""
    return {}
