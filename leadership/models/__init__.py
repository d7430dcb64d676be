"""Leadership records (ISO 9001 clause 5), one module per area."""

# Importing each module registers its models with Django.
from leadership.models import commitment, customers, feedback, policy, positions, resources  # noqa: F401
from leadership.models.people import Department, Person

__all__ = ["Department", "Person"]
