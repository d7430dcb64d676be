"""What `manage.py verify_integrity` checks in this app: attachments, the PDFs it keeps, and issued documents.

An issued document is a PDF handed out and registered by its SHA-256 (the verification page
trusts that register). Evidence packs and weekly reports are written once, so every issue of
one must hash to the file kept. Signed minutes, review reports and policy PDFs may be rendered
again (a later amendment, a repaired rendering), so an earlier issue that no longer matches the
file kept is REPLACED, not a failure; its hash stays on record for the verification page.
"""

from collections.abc import Iterator

from django.contrib.contenttypes.models import ContentType

from evidence.models import Attachment, EvidencePack, IssuedDocument, RecordPdf, WeeklyReport
from leadership.models.policy import PolicyVersion
from qms.integrity import (
    MISMATCH,
    MISSING,
    OK,
    REPLACED,
    Finding,
    StoredFile,
    register_check,
    register_stored_file,
    stored_file_sha256,
)

Kind = IssuedDocument.Kind
WRITTEN_ONCE = {Kind.PACK, Kind.WEEKLY_REPORT}


def _kept_files() -> dict[tuple[int, str, str], object]:
    """(content type id, object id, issued kind) -> the file Clause5 keeps for that record now."""
    kept = {}
    owners = [
        (Kind.PACK, EvidencePack, "file"),
        (Kind.WEEKLY_REPORT, WeeklyReport, "file"),
        (Kind.POLICY, PolicyVersion, "pdf"),
    ]
    for kind, model, field in owners:
        content_type = ContentType.objects.get_for_model(model)
        for row in model._default_manager.exclude(**{field: ""}).only("pk", field):
            kept[(content_type.pk, str(row.pk), kind)] = getattr(row, field)
    for pdf in RecordPdf.objects.exclude(file=""):
        kept[(pdf.content_type_id, pdf.object_id, pdf.kind)] = pdf.file
    return kept


def issued_document_findings() -> Iterator[Finding]:
    """Each issued document: is the file it registered still the one kept for its record?"""
    kept = _kept_files()
    hashes: dict[str, str | None] = {}
    for issued in IssuedDocument.objects.order_by("issued_at", "pk").iterator(chunk_size=500):
        subject = f"{issued.get_kind_display()} “{issued.title}”, issued {issued.issued_at:%Y-%m-%d %H:%M} UTC"
        field_file = kept.get((issued.content_type_id, issued.object_id, issued.kind))
        if field_file is None:
            yield Finding("issued document", subject, MISSING, "no file is kept for its record")
            continue
        if field_file.name not in hashes:
            hashes[field_file.name] = stored_file_sha256(field_file)
        actual = hashes[field_file.name]
        if actual is None:
            yield Finding("issued document", subject, MISSING, f"{field_file.name} is not in storage")
        elif actual == issued.sha256:
            yield Finding("issued document", subject, OK)
        elif issued.kind in WRITTEN_ONCE:
            yield Finding("issued document", subject, MISMATCH, f"issued {issued.sha256[:12]}, file {actual[:12]}")
        else:
            yield Finding("issued document", subject, REPLACED, "rendered again since; the hash stays on record")


def register() -> None:
    register_stored_file(StoredFile(model=Attachment, file_field="file", hash_field="sha256"))
    register_stored_file(StoredFile(model=EvidencePack, file_field="file", hash_field="sha256"))
    register_stored_file(
        StoredFile(
            model=RecordPdf,
            file_field="file",
            hash_field="sha256",
            # Being rendered again, a row still has its previous file and that file's hash.
            rows=lambda: RecordPdf.objects.exclude(file="").select_related("content_type"),
        )
    )
    register_stored_file(StoredFile(model=WeeklyReport, file_field="file", hash_field="sha256"))
    register_check("evidence.issued_documents", issued_document_findings)
