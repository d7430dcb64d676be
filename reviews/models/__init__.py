"""Meetings, management reviews, actions and internal audits (ISO 9001 9.2, 9.3, 10), one module per area."""

# Importing each module registers its models with Django.
from reviews.models import actions, audits, calendar, management_reviews, meetings  # noqa: F401
