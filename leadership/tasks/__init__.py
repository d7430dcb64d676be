# Celery's autodiscovery imports this package; importing each module registers its tasks.
from leadership.tasks import customers, feedback, people, policy, positions, resources  # noqa: F401
