"""Demo quality objectives of the demo organisation, with 18 months of measurements and the risk register."""

from django.db import transaction

from leadership.demo.people import people_by_username
from objectives.demo import measurements, objectives, risks


@transaction.atomic
def seed() -> dict[str, int]:
    staff = people_by_username()
    created = {}
    for area in (objectives, measurements, risks):
        created.update(area.seed(staff))
    return created
