# Celery's autodiscovery imports this package; importing each module registers its tasks.
from reviews.tasks import actions, audits, calendar, management_reviews, meetings, minutes  # noqa: F401
