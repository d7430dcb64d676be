"""The demo organisation: a small manufacturer of precision machined parts.

Each area of the app seeds its records through its services, in an order where what a
record points at already exists. Every seeder is idempotent.
"""

from django.db import transaction

from leadership.demo import commitment, customers, feedback, people, policy, positions, resources


@transaction.atomic
def seed() -> dict[str, int]:
    created = people.seed_organisation()
    staff = people.people_by_username()
    for area in (positions, policy, resources, commitment, customers, feedback):
        created.update(area.seed(staff))
    return created


logins = people.demo_logins
