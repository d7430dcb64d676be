"""Writes of the clause catalogue: tagging a record by hand as evidence of a requirement item, and removing a tag.

The catalogue itself is written by migrations only. Tags are for records the automatic mapping
(`evidence.mapping`) does not link to an item, e.g. a signed operational meeting that decided
on a change to the QMS. A tag is never deleted: its removal is stamped with who, when and why,
and stays in the clause's trail.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from evidence.mapping import kind_for_key, kind_for_model
from evidence.models.clauses import Clause, EvidenceTag
from qms.exceptions import ApplicationError

NOTE_MAX = 2000


def evidence_record_get(*, kind_key: str, object_id) -> object:
    """The record of a mapped kind named by its key and id, for the tagging form and the API.

    Raises ValidationError naming the field: an unknown kind, or no such record.
    """
    kind = kind_for_key(kind_key or "")
    if kind is None:
        named = kind_key or "An empty value"
        raise ValidationError({"kind": f"{named} is not a kind of record that evidences ISO items."})
    try:
        return kind.model._default_manager.get(pk=int(str(object_id).strip()))
    except (ValueError, TypeError, kind.model.DoesNotExist) as exc:
        raise ValidationError({"object_id": f"There is no {kind.label.lower()} with id {object_id}."}) from exc


@transaction.atomic
def evidence_tag_create(*, actor, clause: Clause, record, note: str) -> EvidenceTag:
    """Tag `record` as evidence of `clause`, with the tagger's reason.

    Only evidence-grade records of a mapped kind the actor may see can be tagged, once per item;
    a record the mapping already links to the item needs no tag.
    """
    if not actor.has_perm("evidence.add_evidencetag"):
        raise PermissionDenied("Your role cannot tag records as evidence.")
    kind = kind_for_model(record)
    if kind is None or record.pk is None:
        raise ValidationError(
            {"object_id": f"A {record._meta.verbose_name} is not a kind of record that evidences ISO items."}
        )
    if not actor.has_perm(kind.view_permission):
        raise PermissionDenied(f"Your role cannot see {kind.plural}, so it cannot tag them.")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": f"Say why this {kind.label.lower()} evidences {clause.pk}."})
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": f"Keep the note to {NOTE_MAX} characters (it has {len(note)})."})

    evidence = kind.model._default_manager.filter(kind.evidence, pk=record.pk)
    if not evidence.exists():
        raise ApplicationError(
            f"{kind.title(record)} does not count as evidence (yet). What counts: {kind.evidence_note}."
        )
    mapped = kind.clause_q(clause.pk)
    if mapped is not None and evidence.filter(mapped).exists():
        raise ApplicationError(f"{kind.title(record)} already evidences {clause.pk} by itself: it needs no tag.")
    content_type = ContentType.objects.get_for_model(record)
    existing = (
        EvidenceTag.objects.active()
        .filter(clause=clause, content_type=content_type, object_id=str(record.pk))
        .select_related("tagged_by")
        .first()
    )
    if existing is not None:
        who = existing.tagged_by.get_full_name() or existing.tagged_by.get_username()
        raise ApplicationError(
            f"{kind.title(record)} is already tagged to {clause.pk} "
            f"(by {who} on {timezone.localtime(existing.tagged_at):%d %b %Y})."
        )

    tag = EvidenceTag(
        clause=clause,
        content_type=content_type,
        object_id=str(record.pk),
        note=note,
        tagged_by=actor,
        tagged_at=timezone.now(),
    )
    tag.full_clean(validate_constraints=False)
    tag._history_user = actor
    try:
        # The savepoint keeps the outer transaction usable when a concurrent tag wins the race.
        with transaction.atomic():
            tag.save()
    except IntegrityError as exc:
        raise ApplicationError(f"{kind.title(record)} was tagged to {clause.pk} a moment ago.") from exc
    return tag


@transaction.atomic
def evidence_tag_remove(*, actor, tag: EvidenceTag, reason: str) -> EvidenceTag:
    """Take a tag out of force, saying why; the tag and its removal stay in the trail."""
    if not actor.has_perm("evidence.change_evidencetag"):
        raise PermissionDenied("Your role cannot remove evidence tags.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the record no longer evidences this requirement."})
    if len(reason) > NOTE_MAX:
        raise ValidationError({"reason": f"Keep the reason to {NOTE_MAX} characters (it has {len(reason)})."})
    # Locked so that two removals of the same tag cannot both stamp it.
    tag = EvidenceTag.objects.select_for_update().get(pk=tag.pk)
    if tag.removed_at is not None:
        raise ApplicationError(f"This tag was already removed on {timezone.localtime(tag.removed_at):%d %b %Y}.")
    tag.removed_at = timezone.now()
    tag.removed_by = actor
    tag.removal_reason = reason
    tag.full_clean()
    tag._history_user = actor
    tag.save()
    return tag
