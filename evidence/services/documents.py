"""Services of issued documents and the download log: what Clause5 handed out, to whom, when.

Every PDF Clause5 produces for someone (an evidence pack, signed minutes, a management review
report, the quality policy, the weekly report) is registered by its SHA-256 with
`document_issue`, so that the verification page can tell whether a file is unaltered. Every
download of evidence (packs, attachments, issued documents) is written to the log with
`download_log_record`.
"""

import datetime
import hashlib
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from evidence.models import DownloadLog, IssuedDocument, RecordPdf
from evidence.selectors import documents as selectors
from qms import outbox
from qms.exceptions import ApplicationError
from reviews.models.meetings import Meeting


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def document_issue(*, kind: str, record, content: bytes, title: str, issued_to=None) -> IssuedDocument:
    """Register a PDF that is about to be handed out; returns the row (one per issue, never changed)."""
    return IssuedDocument.objects.create(
        kind=kind,
        title=title[:300],
        sha256=sha256_of(content),
        size=len(content),
        content_type=ContentType.objects.get_for_model(record),
        object_id=str(record.pk),
        issued_to=issued_to if getattr(issued_to, "is_authenticated", False) else None,
    )


def download_log_record(*, request, kind: str, record, file_name: str, sha256: str = "") -> DownloadLog:
    """Log that the signed-in user of `request` downloaded `file_name` of `record`."""
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client says unless a trusted proxy set it.
    ip = request.META.get("REMOTE_ADDR") or None
    return DownloadLog.objects.create(
        user=request.user,
        kind=kind,
        content_type=ContentType.objects.get_for_model(record),
        object_id=str(record.pk),
        file_name=file_name[:255],
        sha256=sha256,
        ip_address=ip,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )


# Single-record PDFs --------------------------------------------------------------------------------
#
# A page asks for the PDF of a record (`record_pdf_request`); the "pdf" queue renders it
# (`record_pdf_render`, through `evidence.tasks.documents.record_pdf_render_task`), stores it under
# MEDIA documents/ and registers it as issued; the browser polls, then downloads it through
# `document_hand_out`, which checks the viewer's permission and the file's integrity.

logger = logging.getLogger(__name__)

# A render still marked as running after this long is taken to have died with its worker.
RENDER_RECLAIM_AFTER = datetime.timedelta(minutes=5)


@dataclass(frozen=True)
class HandOut:
    """A file about to be downloaded: its bytes, the name the browser saves it under, its SHA-256."""

    content: bytes
    file_name: str
    sha256: str


def _require_view(actor, kind: str, record) -> None:
    permission = selectors.VIEW_PERMISSIONS.get(kind)
    if permission is None:
        raise ValidationError({"kind": f"Unknown document kind {kind!r}: use minutes, review or policy."})
    if actor is None or not actor.is_authenticated or not actor.has_perm(permission):
        raise PermissionDenied(f"You may not see this {record._meta.verbose_name}, so you may not have its PDF.")


def _ensure_issued(*, kind: str, record, content: bytes, issued_to) -> IssuedDocument:
    """Register a file as issued unless this very file (same record, same SHA-256) already is."""
    digest = sha256_of(content)
    existing = (
        IssuedDocument.objects.filter(
            sha256=digest, content_type=ContentType.objects.get_for_model(record), object_id=str(record.pk)
        )
        .order_by("issued_at", "pk")
        .first()
    )
    if existing is not None:
        return existing
    return document_issue(
        kind=selectors.ISSUED_KINDS[kind],
        record=record,
        content=content,
        title=selectors.document_title(kind, record),
        issued_to=issued_to,
    )


@transaction.atomic
def record_pdf_request(*, actor, kind: str, record) -> RecordPdf:
    """Ask for the PDF of signed minutes or of a management review; returns its row.

    An unchanged record reuses the PDF made before (or the one being made); a changed one, a
    failed one or one whose file went missing is rendered again in the background.
    """
    if kind not in RecordPdf.Kind.values:
        raise ValidationError({"kind": f"No PDF of kind {kind!r} is made here: use minutes or review."})
    _require_view(actor, kind, record)
    if kind == RecordPdf.Kind.MINUTES and record.status != Meeting.Status.SIGNED:
        raise ApplicationError(
            f"Only signed minutes are issued as a PDF: {record.reference} is {record.get_status_display().lower()}."
        )
    source_hash = selectors.document_source_hash(kind, selectors.document_context(kind, record))
    content_type = ContentType.objects.get_for_model(record)
    pdf = (
        RecordPdf.objects.select_for_update()
        .filter(content_type=content_type, object_id=str(record.pk), kind=kind)
        .first()
    )
    if pdf is not None and pdf.source_hash == source_hash:
        if pdf.status == RecordPdf.Status.READY and pdf.file and pdf.file.storage.exists(pdf.file.name):
            return pdf
        if pdf.in_progress and pdf.updated_at > timezone.now() - RENDER_RECLAIM_AFTER:
            return pdf
    if pdf is None:
        pdf = RecordPdf(content_type=content_type, object_id=str(record.pk), kind=kind)
    pdf.status = RecordPdf.Status.QUEUED
    pdf.source_hash = source_hash
    pdf.requested_by = actor
    pdf.requested_at = timezone.now()
    pdf.error = ""
    pdf._history_user = actor
    pdf.full_clean()
    pdf.save()
    from evidence.tasks.documents import record_pdf_render_task

    pdf_id = pdf.pk
    outbox.enqueue(record_pdf_render_task, pdf_id)
    return pdf


def _fail(pdf_id: int, message: str) -> None:
    RecordPdf.objects.filter(pk=pdf_id, status=RecordPdf.Status.RENDERING).update(
        status=RecordPdf.Status.FAILED, error=message[:2000], updated_at=timezone.now()
    )


def record_pdf_render(*, pdf_id: int) -> bool:
    """Render a queued PDF, store it, register it as issued to whoever asked. Returns whether a file was stored.

    Runs only on the "pdf" queue. Idempotent by compare-and-set: only a queued row (or one left
    rendering by a worker that died) is claimed, so a duplicated task renders nothing twice.
    """
    # Imported here: WeasyPrint is heavy and only the pdf worker renders.
    from celery.exceptions import SoftTimeLimitExceeded

    from qms.pdf import render_pdf

    now = timezone.now()
    claimable = Q(status=RecordPdf.Status.QUEUED) | Q(
        status=RecordPdf.Status.RENDERING, updated_at__lt=now - RENDER_RECLAIM_AFTER
    )
    if not RecordPdf.objects.filter(claimable, pk=pdf_id).update(status=RecordPdf.Status.RENDERING, updated_at=now):
        return False
    pdf = RecordPdf.objects.select_related("requested_by", "content_type").get(pk=pdf_id)
    try:
        record = pdf.content_type.get_object_for_this_type(pk=pdf.object_id)
        context = selectors.document_context(pdf.kind, record)
        source_hash = selectors.document_source_hash(pdf.kind, context)
        produced_at = timezone.now()
        content = render_pdf(selectors.TEMPLATES[pdf.kind], selectors.render_context(context, produced_at=produced_at))
    except SoftTimeLimitExceeded:
        _fail(pdf_id, "Rendering took longer than the time allowed; ask for the PDF again.")
        return False
    except Exception as exc:  # Shown on the page: the user can ask again, the log has the details.
        logger.exception("PDF %s of %s #%s failed", pdf.kind, pdf.content_type.model, pdf.object_id)
        _fail(pdf_id, f"Rendering failed ({exc.__class__.__name__}); ask for the PDF again.")
        return False

    digest = sha256_of(content)
    old_name = pdf.file.name
    field = RecordPdf._meta.get_field("file")
    name = field.generate_filename(pdf, selectors.document_file_name(pdf.kind, record))
    name = field.storage.save(name, ContentFile(content))
    with transaction.atomic():
        stored = RecordPdf.objects.filter(pk=pdf_id, status=RecordPdf.Status.RENDERING).update(
            status=RecordPdf.Status.READY,
            file=name,
            sha256=digest,
            size=len(content),
            source_hash=source_hash,
            rendered_at=produced_at,
            error="",
            updated_at=timezone.now(),
        )
        if stored:
            _ensure_issued(kind=pdf.kind, record=record, content=content, issued_to=pdf.requested_by)
    if not stored:
        # Asked for again while rendering: the newer request renders its own file.
        field.storage.delete(name)
        return False
    if old_name and old_name != name:
        field.storage.delete(old_name)
    return True


def _read(file_field) -> bytes:
    try:
        with file_field.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, ValueError) as exc:
        raise ApplicationError("The PDF is missing from storage: ask for it again.", status_code=404) from exc


def document_hand_out(*, actor, kind: str, record) -> HandOut:
    """The PDF of a record for `actor` to download, after checking permission, freshness and integrity.

    The caller logs the download (`download_log_record`). Refused with ApplicationError when no
    current PDF is ready, or when the stored file no longer matches the SHA-256 recorded when it
    was made (it is then never handed out).
    """
    _require_view(actor, kind, record)
    if kind == "policy":
        return _policy_hand_out(actor=actor, version=record)
    pdf = selectors.record_pdf_for(kind, record)
    label = selectors.KIND_LABELS[kind].lower()
    if pdf is None or pdf.status != RecordPdf.Status.READY:
        raise ApplicationError(f"No PDF of the {label} is ready yet: ask for it on the record's page.", status_code=404)
    current = selectors.document_source_hash(kind, selectors.document_context(kind, record))
    if current != pdf.source_hash:
        raise ApplicationError(
            f"The record changed after its PDF was made, so that PDF is out of date: ask for the {label} PDF "
            "again on the record's page."
        )
    content = _read(pdf.file)
    if sha256_of(content) != pdf.sha256:
        logger.error("Stored PDF %s does not match its SHA-256 %s: not handed out", pdf.file.name, pdf.sha256)
        raise ApplicationError(
            "The stored PDF no longer matches the SHA-256 recorded when it was made, so it is not handed out. "
            "Ask for the PDF again and tell the management representative."
        )
    _ensure_issued(kind=kind, record=record, content=content, issued_to=pdf.requested_by)
    return HandOut(content=content, file_name=selectors.document_file_name(kind, record), sha256=pdf.sha256)


def _policy_hand_out(*, actor, version) -> HandOut:
    """The controlled PDF leadership rendered for a published policy version, registered as issued."""
    if not version.pdf:
        raise ApplicationError(
            f"Version {version.number} of the quality policy has no PDF yet: it is made when the version is published.",
            status_code=404,
        )
    content = _read(version.pdf)
    digest = sha256_of(content)
    if version.pdf_sha256 and digest != version.pdf_sha256:
        logger.error(
            "Policy PDF %s does not match its SHA-256 %s: not handed out", version.pdf.name, version.pdf_sha256
        )
        raise ApplicationError(
            "The stored policy PDF no longer matches the SHA-256 recorded when it was made, so it is not handed "
            "out. Tell the management representative."
        )
    _ensure_issued(kind="policy", record=version, content=content, issued_to=actor)
    return HandOut(content=content, file_name=selectors.document_file_name("policy", version), sha256=digest)


# Verification ----------------------------------------------------------------------------------------

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
PDF_MAGIC = b"%PDF-"


def verify_max_bytes() -> int:
    return int(getattr(settings, "CLAUSE5_VERIFY_MAX_BYTES", 200 * 1024 * 1024))


def normalise_sha256(value: str) -> str:
    """A pasted SHA-256 in lower case without spaces or line breaks; ValidationError on `sha256` if it is not one."""
    cleaned = "".join((value or "").split()).lower()
    if not SHA256_RE.match(cleaned):
        if cleaned and not re.fullmatch(r"[0-9a-f]*", cleaned):
            problem = "it contains characters other than 0-9 and a-f"
        else:
            problem = f"it has {len(cleaned)}"
        raise ValidationError({"sha256": f"A SHA-256 is 64 hexadecimal characters (0-9, a-f); {problem}."})
    return cleaned


def sha256_of_upload(uploaded) -> str:
    """SHA-256 of an uploaded PDF, read in chunks and never stored; ValidationError on `file` if refused."""
    limit = verify_max_bytes()
    if uploaded.size is None or uploaded.size == 0:
        raise ValidationError({"file": "The file is empty."})
    if uploaded.size > limit:
        raise ValidationError(
            {"file": f"The file is {uploaded.size / 1048576:.1f} MB; files up to {limit / 1048576:.0f} MB are checked."}
        )
    uploaded.seek(0)
    # The PDF header may follow a little junk, but must come within the first 1,024 bytes.
    if PDF_MAGIC not in uploaded.read(1024):
        raise ValidationError({"file": "This file is not a PDF (its content does not start as a PDF does)."})
    uploaded.seek(0)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def document_verify(*, sha256: str = "", file=None) -> selectors.Verification:
    """Whether a PDF (uploaded) or a SHA-256 (pasted) is a document Clause5 issued, unaltered, and when.

    Exactly one of `file` and `sha256` is given. Nothing is stored.
    """
    if file is not None and (sha256 or "").strip():
        raise ValidationError({"sha256": "Upload a PDF or paste its SHA-256, not both."})
    if file is not None:
        digest = sha256_of_upload(file)
    elif (sha256 or "").strip():
        digest = normalise_sha256(sha256)
    else:
        raise ValidationError({"file": "Upload the PDF to check, or paste its SHA-256."})
    return selectors.issued_document_verify(digest)
