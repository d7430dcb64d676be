"""Electronic signatures, made the same way for every record that is signed.

A signature is made only by the signed-in user, for themselves, after typing their password
again (and the code from their authenticator app when they use two-factor authentication). It
stores the signer's printed name, the time, the meaning and a SHA-256 of a canonical text of the
record, so that any later change to the record is detectable.
"""

import hashlib
import json

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qms.models import Signature
from qms.two_factor import devices as two_factor
from qms.two_factor.devices import signing_service

__all__ = ["signature_sign", "signing_service"]

SIGNING_REFUSED = "The password is not correct. Nothing was signed."
CODE_REFUSED_SUFFIX = " Nothing was signed."
# How long after a signature another one in the same act may rely on its code check.
SAME_ACT_SECONDS = 60


def canonical_text(data: dict) -> str:
    """A stable text of the signed fields: the same data always gives the same hash."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def content_hash(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


@transaction.atomic
def signature_sign(
    *,
    actor,
    record,
    meaning: str,
    password: str,
    content: str,
    statement: str,
    otp_code: str = "",
    same_act_as: Signature | None = None,
) -> Signature:
    """Sign `record` as `actor`, who must re-enter their password, and give a code when they use two-factor.

    Raises ValidationError on the `password` field when it is wrong, and on the `otp_code` field
    when the signer has two-factor authentication on and the code is missing or wrong. A wrong
    code counts against the signer's device: decorate the calling service with `signing_service`.
    `same_act_as` is the signature the actor made a moment ago in the same act (a management
    review signed with its minutes): its code check covers this one, since a code works only once.
    """
    if actor is None or not actor.is_authenticated or not password or not actor.check_password(password):
        raise ValidationError({"password": SIGNING_REFUSED})
    if not _same_act(same_act_as, actor) and two_factor.has_two_factor(actor):
        two_factor.code_verify(user=actor, code=otp_code, field="otp_code", suffix=CODE_REFUSED_SUFFIX)
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


def _same_act(signature: Signature | None, actor) -> bool:
    return bool(
        signature is not None
        and signature.pk is not None
        and signature.signer_id == actor.pk
        and (timezone.now() - signature.signed_at).total_seconds() < SAME_ACT_SECONDS
    )


def signatures_for(record):
    """The signatures made on a record, oldest first."""
    return Signature.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=str(record.pk)
    ).select_related("signer")


def signature_matches(signature: Signature, content: str) -> bool:
    """Whether the record, as it is now, is still what was signed."""
    return signature.content_sha256 == content_hash(content)
