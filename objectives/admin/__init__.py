# Importing each module registers its ModelAdmins.
from objectives.admin import measurements, objectives, risks  # noqa: F401
