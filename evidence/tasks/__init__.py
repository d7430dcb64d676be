# Celery's autodiscovery imports this package; importing each module registers its tasks.
from evidence.tasks import documents, packs, reports  # noqa: F401
