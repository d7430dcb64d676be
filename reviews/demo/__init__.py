"""Demo meetings, management reviews, actions and an internal audit of the demo organisation."""

from django.db import transaction

from leadership.demo.people import people_by_username
from reviews.demo import actions, audits, management_reviews, meetings


@transaction.atomic
def seed() -> dict[str, int]:
    staff = people_by_username()
    created = {}
    for area in (meetings, audits, management_reviews, actions):
        created.update(area.seed(staff))
    return created
