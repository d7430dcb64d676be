# Importing each module registers its ModelAdmins.
from evidence.admin import attachments, clauses  # noqa: F401
