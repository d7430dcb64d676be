"""Demo of customer focus (5.1.2): customer feedback, requirements and figures."""

from leadership.models import Person


def seed(people: dict[str, Person]) -> dict[str, int]:
    """Create this area's demo records (idempotent); `people` maps demo usernames to people."""
    return {}
