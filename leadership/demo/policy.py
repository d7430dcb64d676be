"""Demo of the quality policy (5.2): versions, approval, publication, acknowledgements, shared copies."""

from leadership.models import Person


def seed(people: dict[str, Person]) -> dict[str, int]:
    """Create this area's demo records (idempotent); `people` maps demo usernames to people."""
    return {}
