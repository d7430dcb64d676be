"""Audit evidence (ISO 9001 7.5), one module per area: attachments, the clause catalogue with its
tags, packs with the issued documents and the download log, auditor access, the weekly report."""

from evidence.models.access import AuditorAccess
from evidence.models.attachments import Attachment
from evidence.models.clauses import Clause, EvidenceTag
from evidence.models.documents import RecordPdf
from evidence.models.packs import DownloadLog, EvidencePack, IssuedDocument
from evidence.models.reports import WeeklyReport

__all__ = [
    "Attachment",
    "AuditorAccess",
    "Clause",
    "DownloadLog",
    "EvidencePack",
    "EvidenceTag",
    "IssuedDocument",
    "RecordPdf",
    "WeeklyReport",
]
