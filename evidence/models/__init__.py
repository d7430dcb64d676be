"""Audit evidence (ISO 9001 7.5), one module per area: attachments, and the clause catalogue with its tags."""

from evidence.models.attachments import Attachment
from evidence.models.clauses import Clause, EvidenceTag

__all__ = ["Attachment", "Clause", "EvidenceTag"]
