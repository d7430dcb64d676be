"""Integrity checks: every signature against the record it signed, every stored file against its SHA-256.

`qms` sits below the apps and cannot import them, so each app tells this registry, from its
`AppConfig.ready()`, how to recompute what its records sign (`register_signed_content`), which
files it stores with a hash (`register_stored_file`) and any check of its own (`register_check`).
`manage.py verify_integrity` runs them all and prints one row per thing checked.

A signature whose record's kind no app registered is reported as UNKNOWN, which counts as a
failure: a signed record that nothing can verify is a gap to close, not a pass.
"""

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet

from qms.models import Signature
from qms.signatures import content_hash

OK = "OK"
MISMATCH = "MISMATCH"
MISSING = "MISSING"
UNKNOWN = "UNKNOWN"
# An issued PDF whose file was rendered again later: its hash stays on record, the file does not.
REPLACED = "REPLACED"
PASSING = {OK, REPLACED}

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Finding:
    """One thing checked: a signature, a stored file or an issued document, and what was found."""

    area: str
    subject: str
    status: str
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.status not in PASSING


SignedContent = Callable[[Model, Signature], str]


@dataclass(frozen=True)
class StoredFile:
    """A model that keeps a file with the SHA-256 it had when it was stored."""

    model: type[Model]
    file_field: str
    hash_field: str
    # Which rows have a file to check; by default those whose file field is set.
    rows: Callable[[], QuerySet] | None = None

    def queryset(self) -> QuerySet:
        if self.rows is not None:
            return self.rows()
        return self.model._default_manager.exclude(Q(**{self.file_field: ""}) | Q(**{self.file_field: None}))


_signed: dict[str, SignedContent] = {}
_files: dict[tuple[str, str], StoredFile] = {}
_checks: dict[str, Callable[[], Iterable[Finding]]] = {}


def register_signed_content(model: type[Model], content: SignedContent) -> None:
    """Say how to recompute the canonical text a signature on a `model` record covers.

    `content(record, signature)` returns the text as `qms.signatures.signature_sign` was given it.
    """
    _signed[model._meta.label_lower] = content


def register_stored_file(stored: StoredFile) -> None:
    _files[(stored.model._meta.label_lower, stored.file_field)] = stored


def register_check(name: str, check: Callable[[], Iterable[Finding]]) -> None:
    """Add a check of an app's own; `check()` yields Findings. Registering a name again replaces it."""
    _checks[name] = check


def stored_file_sha256(field_file) -> str | None:
    """The SHA-256 of a stored file as it is now, or None when it is not in storage."""
    if not field_file or not field_file.storage.exists(field_file.name):
        return None
    digest = hashlib.sha256()
    with field_file.storage.open(field_file.name, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _describe(record) -> str:
    return f"{record._meta.verbose_name} {record}"


def signature_findings() -> Iterator[Finding]:
    """Each signature: is the record it signed still there, and does it still hash to what was signed?"""
    by_type = defaultdict(list)
    for signature in Signature.objects.select_related("content_type").order_by("content_type_id", "pk"):
        by_type[signature.content_type].append(signature)
    for content_type, signatures in by_type.items():
        label = f"{content_type.app_label}.{content_type.model}"
        model = content_type.model_class()
        records = model._default_manager.in_bulk({s.object_id for s in signatures}) if model else {}
        records = {str(pk): record for pk, record in records.items()}
        content = _signed.get(label)
        for signature in signatures:
            subject = (
                f"{signature.get_meaning_display()} by {signature.signer_name} "
                f"on {signature.signed_at:%Y-%m-%d %H:%M} UTC"
            )
            record = records.get(signature.object_id)
            if record is None:
                yield Finding("signature", f"{label} #{signature.object_id}: {subject}", MISSING, "record not found")
                continue
            subject = f"{_describe(record)}: {subject}"
            if content is None:
                yield Finding("signature", subject, UNKNOWN, f"no app says how to recompute what a {label} signs")
                continue
            actual = content_hash(content(record, signature))
            if actual == signature.content_sha256:
                yield Finding("signature", subject, OK)
            else:
                yield Finding(
                    "signature",
                    subject,
                    MISMATCH,
                    f"signed {signature.content_sha256[:12]}, now {actual[:12]}: the record changed after signing",
                )


def file_findings() -> Iterator[Finding]:
    """Each stored file: is it in storage, and does it still hash to the SHA-256 kept with it?"""
    for stored in _files.values():
        for row in stored.queryset().iterator(chunk_size=500):
            field_file = getattr(row, stored.file_field)
            expected = getattr(row, stored.hash_field)
            subject = f"{_describe(row)} ({field_file.name})"
            actual = stored_file_sha256(field_file)
            if actual is None:
                yield Finding("file", subject, MISSING, "not in storage")
            elif actual != expected:
                yield Finding("file", subject, MISMATCH, f"stored {expected[:12]}, file {actual[:12]}")
            else:
                yield Finding("file", subject, OK)


def integrity_findings() -> Iterator[Finding]:
    """Every registered check, signatures first, then stored files, then the apps' own."""
    yield from signature_findings()
    yield from file_findings()
    for check in _checks.values():
        yield from check()
