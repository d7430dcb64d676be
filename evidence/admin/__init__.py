# Importing each module registers its ModelAdmins.
from evidence.admin import access, attachments, clauses, documents, packs, reports  # noqa: F401
