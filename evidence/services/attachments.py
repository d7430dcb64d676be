"""Writes for audit evidence: adding attachments. Nothing here deletes a file."""

import hashlib
import os
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

import puremagic
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat

from evidence.models.attachments import Attachment

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_NAME_LENGTH = 150
# Enough for every signature puremagic knows about that the allow-list needs.
HEAD_BYTES = 8192
OLE2_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")


@dataclass(frozen=True)
class FileKind:
    label: str  # used as "is not a <label>"
    mime_by_extension: dict[str, str]


PDF = FileKind("PDF", {".pdf": "application/pdf"})
PNG = FileKind("PNG image", {".png": "image/png"})
JPEG = FileKind("JPEG image", {".jpg": "image/jpeg", ".jpeg": "image/jpeg"})
GIF = FileKind("GIF image", {".gif": "image/gif"})
WEBP = FileKind("WebP image", {".webp": "image/webp"})
WORD = FileKind("Word document", {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"})
EXCEL = FileKind("Excel workbook", {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
POWERPOINT = FileKind(
    "PowerPoint presentation",
    {".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
)
LEGACY_OFFICE = FileKind(
    "Word 97-2003 or Excel 97-2003 file", {".doc": "application/msword", ".xls": "application/vnd.ms-excel"}
)
TEXT = FileKind("text file", {".csv": "text/csv", ".txt": "text/plain"})

KINDS = (PDF, PNG, JPEG, GIF, WEBP, WORD, EXCEL, POWERPOINT, LEGACY_OFFICE, TEXT)
KIND_BY_EXTENSION = {ext: kind for kind in KINDS for ext in kind.mime_by_extension}
ACCEPTED_EXTENSIONS = tuple(KIND_BY_EXTENSION)

# puremagic's extension for a match -> the kind it proves (ZIP and OLE2 are confirmed separately).
_MAGIC_KINDS = {
    ".pdf": PDF,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".jpe": JPEG,
    ".jfif": JPEG,
    ".gif": GIF,
    ".webp": WEBP,
}
_ZIP_EXTENSIONS = {".zip", ".docx", ".xlsx", ".pptx", ".xlsb", ".jar", ".odt", ".ods", ".odp", ".epub"}
_PROGRAMS = (
    (b"MZ", "a Windows program (executable)"),
    (b"\x7fELF", "a Linux program (ELF executable)"),
    (b"\xcf\xfa\xed\xfe", "a macOS program (Mach-O executable)"),
    (b"#!", "a script"),
)
_OOXML_PARTS = (("word/", WORD), ("xl/", EXCEL), ("ppt/", POWERPOINT))


def _type_error(name: str, expected: FileKind, found: str) -> ValidationError:
    article = "an" if expected.label[0] in "AEIOU" else "a"
    return ValidationError({"file": f"The file {name} is not {article} {expected.label}: its content is {found}."})


def _too_large(name: str, size: int, max_bytes: int) -> ValidationError:
    limit = filesizeformat(max_bytes)
    return ValidationError(
        {"file": f"The file {name} is {filesizeformat(size)}; the largest file accepted is {limit}."}
    )


def sanitise_filename(name: str) -> str:
    """The uploaded name reduced to a safe display name: no folders, no control characters, 150 characters at most."""
    name = unicodedata.normalize("NFC", name or "")
    # Both separators: a name from Windows may carry backslashes.
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Category C covers control, format (e.g. right-to-left override, used to disguise
    # extensions), surrogate, private-use and unassigned characters.
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C")).strip().strip(".").strip()
    if not name:
        return ""
    stem, ext = os.path.splitext(name)
    if len(ext) > 16:
        stem, ext = name, ""
    if len(name) > MAX_NAME_LENGTH:
        name = stem[: MAX_NAME_LENGTH - len(ext)].rstrip() + ext
    return name


def _read_and_hash(uploaded_file) -> tuple[bytes, str, int]:
    """First bytes, SHA-256 hex and size of the upload, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        if len(head) < HEAD_BYTES:
            head += chunk[: HEAD_BYTES - len(head)]
        digest.update(chunk)
        size += len(chunk)
    uploaded_file.seek(0)
    return head, digest.hexdigest(), size


def _ooxml_kind(uploaded_file) -> FileKind | None:
    """The Office document a ZIP container holds, or None for any other ZIP."""
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        uploaded_file.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for prefix, kind in _OOXML_PARTS:
        if any(n.startswith(prefix) for n in names):
            return kind
    return None


def _is_plain_text(uploaded_file) -> bool:
    uploaded_file.seek(0)
    data = b"".join(uploaded_file.chunks())
    uploaded_file.seek(0)
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _detect(uploaded_file, head: bytes) -> tuple[FileKind | None, str]:
    """(the allowed kind the content is, or None; a description of what the content is)."""
    try:
        matches = puremagic.magic_string(head)
    except puremagic.PureError:
        matches = []
    for match in matches:
        ext = (match.extension or "").lower()
        if ext in _MAGIC_KINDS:
            kind = _MAGIC_KINDS[ext]
            return kind, f"a {kind.label}"
        if ext in _ZIP_EXTENSIONS:
            kind = _ooxml_kind(uploaded_file)
            return (kind, f"a {kind.label}") if kind else (None, "a ZIP archive that is not an Office document")
    if head.startswith(OLE2_SIGNATURE):
        return LEGACY_OFFICE, "a Word 97-2003 or Excel 97-2003 file"
    described = None
    # puremagic names the best match among many programs sharing these headers (a PE file may
    # come out as a "graphic filter"); say plainly that it is a program.
    for signature, program in _PROGRAMS:
        if head.startswith(signature):
            described = program
    if matches and not described:
        best = matches[0]
        found = best.name or best.mime_type or best.extension
        described = f"{found} ({best.mime_type})" if best.mime_type else found
    if _is_plain_text(uploaded_file):
        # Weak signatures match ordinary text ("BM," looks like a bitmap), so text is judged
        # as text; only markup, which a browser would render or run, is refused.
        markup = head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") or any(
            part in (m.mime_type or "") for m in matches for part in ("html", "xml", "svg")
        )
        if markup:
            return None, described or "HTML or XML markup"
        return TEXT, "plain text"
    return None, described or "binary data of an unknown type"


def attachment_can_add(*, user, record) -> bool:
    """Whoever may add or change a record may attach evidence to it."""
    opts = record._meta
    return user.has_perm(f"{opts.app_label}.change_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.add_{opts.model_name}"
    )


def attachment_can_view(*, user, record_model) -> bool:
    opts = record_model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


@transaction.atomic
def attachment_add(*, actor, record, uploaded_file, description: str = "") -> Attachment:
    """Attach a file to `record` after checking who adds it, its size and that its content is what its name says."""
    if record.pk is None:
        raise ValidationError({"file": "Save the record before attaching files to it."})
    if not attachment_can_add(user=actor, record=record):
        raise PermissionDenied(f"You may not attach files to this {record._meta.verbose_name}.")
    if uploaded_file is None:
        raise ValidationError({"file": "Choose a file to upload."})

    name = sanitise_filename(getattr(uploaded_file, "name", ""))
    if not name:
        raise ValidationError({"file": "The file has no usable name."})
    ext = os.path.splitext(name)[1].lower()
    expected = KIND_BY_EXTENSION.get(ext)
    if expected is None:
        accepted = ", ".join(ACCEPTED_EXTENSIONS)
        raise ValidationError(
            {"file": f"Files of type {ext or 'without an extension'} are not accepted ({name}). Accepted: {accepted}."}
        )

    max_bytes = getattr(settings, "CLAUSE5_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)
    declared = getattr(uploaded_file, "size", None)
    if declared is not None and declared > max_bytes:
        raise _too_large(name, declared, max_bytes)
    head, sha256, size = _read_and_hash(uploaded_file)
    if size > max_bytes:
        raise _too_large(name, size, max_bytes)
    if size == 0:
        raise ValidationError({"file": f"The file {name} is empty."})

    kind, found = _detect(uploaded_file, head)
    if kind is not expected:
        raise _type_error(name, expected, found)

    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(record),
        object_id=str(record.pk),
        original_name=name,
        content_type_detected=expected.mime_by_extension[ext],
        size=size,
        sha256=sha256,
        description=description.strip(),
        uploaded_by=actor,
    )
    # The stored name is random so that nothing the user typed reaches the file system.
    attachment.file.save(f"{uuid.uuid4().hex}{ext}", uploaded_file, save=False)
    try:
        attachment.full_clean()
        attachment._history_user = actor
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment
