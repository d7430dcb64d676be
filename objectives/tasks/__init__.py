# Celery's autodiscovery imports this package; importing each module registers its tasks.
from objectives.tasks import measurements, objectives, risks  # noqa: F401
