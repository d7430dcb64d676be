"""The mapping registry: every kind of record across the apps and the ISO requirement items it evidences.

Each kind (`evidence.mapping.base.Kind`) is defined next to the others of its app
(`leadership.py`, `objectives.py`, `reviews.py`). Only evidence-grade records count: an approved
policy version evidences 5.2.x, a draft does not; a signed management review evidences 9.3.1,
5.1.1.a and each 9.3.2 input that holds data. Records a kind does not map to an item can still
be tagged to it by hand (`evidence.services.clauses.evidence_tag_create`).

To add a kind: define it in its app's module, add it to that module's `KINDS`, and name the
requirement items with the ids of `qms/iso.py` (a test checks every id is in the catalogue).
"""

from django.contrib.contenttypes.models import ContentType

from evidence.mapping import leadership, objectives, reviews
from evidence.mapping.base import ALWAYS, NEVER, EvidenceRow, Kind, Listed, Rule

KINDS: tuple[Kind, ...] = (*leadership.KINDS, *objectives.KINDS, *reviews.KINDS)

_BY_KEY = {kind.key: kind for kind in KINDS}
_BY_MODEL = {kind.model: kind for kind in KINDS}


def kind_for_key(key: str) -> Kind | None:
    """The kind named `app_label.model` (e.g. "leadership.policyversion"), or None."""
    return _BY_KEY.get(key)


def kind_for_model(model) -> Kind | None:
    """The kind of a model class or of a record, or None when it evidences nothing."""
    if not isinstance(model, type):
        model = type(model)
    return _BY_MODEL.get(model)


def kind_for_content_type(content_type: ContentType) -> Kind | None:
    return _BY_KEY.get(f"{content_type.app_label}.{content_type.model}")


def kinds_visible_to(user) -> tuple[Kind, ...]:
    """The kinds whose records `user` may see: nobody sees evidence their role does not let them open."""
    return tuple(kind for kind in KINDS if user.has_perm(kind.view_permission))


def kinds_for_clause(clause_id: str, kinds=None) -> list[tuple[Kind, list[str]]]:
    """The kinds that evidence `clause_id` without a hand-made tag, each with which records do, in words."""
    return [(kind, kind.notes_for(clause_id)) for kind in (kinds or KINDS) if kind.may_evidence(clause_id)]


def mapped_ids() -> set[str]:
    """Every requirement id some kind's rules name (listed ids come from the records themselves)."""
    return {clause_id for kind in KINDS for clause_id in kind.rules}


__all__ = [
    "ALWAYS",
    "KINDS",
    "NEVER",
    "EvidenceRow",
    "Kind",
    "Listed",
    "Rule",
    "kind_for_content_type",
    "kind_for_key",
    "kind_for_model",
    "kinds_for_clause",
    "kinds_visible_to",
    "mapped_ids",
]
