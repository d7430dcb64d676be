"""Electronic signatures, made the same way for every record that is signed.

A signature is made only by the signed-in user, for themselves, after typing their password
again. It stores the signer's printed name, the time, the meaning and a SHA-256 of a
canonical text of the record, so that any later change to the record is detectable.
"""

import hashlib
import json

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from qms.models import Signature

SIGNING_REFUSED = "The password is not correct. Nothing was signed."


def canonical_text(data: dict) -> str:
    """A stable text of the signed fields: the same data always gives the same hash."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def content_hash(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


@transaction.atomic
def signature_sign(*, actor, record, meaning: str, password: str, content: str, statement: str) -> Signature:
    """Sign `record` as `actor`, who must re-enter their password.

    Raises ValidationError on the `password` field when it is wrong.
    """
    if actor is None or not actor.is_authenticated or not password or not actor.check_password(password):
        raise ValidationError({"password": SIGNING_REFUSED})
    if meaning not in Signature.Meaning.values:
        raise ValueError(f"unknown signature meaning {meaning!r}")
    person = getattr(actor, "person", None)
    signature = Signature(
        signer=actor,
        signer_name=actor.get_full_name() or actor.get_username(),
        signer_title=getattr(person, "job_title", "") or "",
        meaning=meaning,
        statement=statement,
        content_type=ContentType.objects.get_for_model(record),
        object_id=str(record.pk),
        content_sha256=content_hash(content),
    )
    signature.full_clean()
    signature.save()
    return signature


def signatures_for(record):
    """The signatures made on a record, oldest first."""
    return Signature.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=str(record.pk)
    ).select_related("signer")


def signature_matches(signature: Signature, content: str) -> bool:
    """Whether the record, as it is now, is still what was signed."""
    return signature.content_sha256 == content_hash(content)
