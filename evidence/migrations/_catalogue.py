"""Bringing the clause table in line with a snapshot of the ISO requirement catalogue.

Used by the data migrations that load `qms.iso.REQUIREMENTS`. Each such migration embeds its own
snapshot of the catalogue, so that replaying old migrations gives the same rows whatever
`qms/iso.py` says today; this helper only compares and writes. It leaves a historical row for
every item created, changed or removed, so the catalogue's own trail shows when the requirement
texts changed and why.
"""

from django.db.models import F
from django.utils import timezone

FIELDS = ("group", "group_title", "text", "expected_evidence", "order")
# Orders are unique: existing rows move out of the way before the new orders are written.
ORDER_SHIFT = 10_000


def sync_catalogue(apps, groups: dict[str, str], requirements: tuple, reason: str) -> dict[str, int]:
    """Make the clause table hold exactly `requirements` ((id, group, text, evidence) tuples, in order).

    A removed item that evidence tags still point at cannot be deleted (PROTECT), so the
    migration fails rather than silently dropping evidence: move the tags first.
    """
    Clause = apps.get_model("evidence", "Clause")
    HistoricalClause = apps.get_model("evidence", "HistoricalClause")
    # Inside a migration the model is a frozen copy that simple-history does not watch, so the
    # trail is written here; called with the live models (tests), simple-history writes it.
    watched = hasattr(Clause._meta, "simple_history_manager_attribute")
    now = timezone.now()
    wanted = {
        item_id: {"group": group, "group_title": groups[group], "text": text, "expected_evidence": evidence}
        for item_id, group, text, evidence in requirements
    }
    orders = {item_id: n for n, (item_id, *_rest) in enumerate(requirements, start=1)}
    existing = {clause.id: clause for clause in Clause.objects.all()}
    trail = []

    def write(clause, history_type):
        clause._change_reason = reason[:100]
        clause._history_date = now
        if history_type == "-":
            clause.delete()
        else:
            clause.save()
        if not watched:
            trail.append(
                HistoricalClause(
                    id=clause.id,
                    created_at=clause.created_at,
                    updated_at=clause.updated_at,
                    **{field: getattr(clause, field) for field in FIELDS},
                    history_date=now,
                    history_type=history_type,
                    history_change_reason=reason[:100],
                )
            )

    removed = [clause for item_id, clause in existing.items() if item_id not in wanted]
    for clause in removed:
        write(clause, "-")
    Clause.objects.filter(id__in=wanted).update(order=F("order") + ORDER_SHIFT)

    created = changed = 0
    for item_id, values in wanted.items():
        clause = existing.get(item_id)
        if clause is None:
            write(Clause(id=item_id, order=orders[item_id], **values), "+")
            created += 1
        elif clause.order != orders[item_id] or any(getattr(clause, f) != v for f, v in values.items()):
            for field, value in values.items():
                setattr(clause, field, value)
            clause.order = orders[item_id]
            write(clause, "~")
            changed += 1
        else:
            # Back to its own order, without a new time stamp or history entry.
            Clause.objects.filter(pk=clause.pk).update(order=orders[item_id])
    HistoricalClause.objects.bulk_create(trail)
    return {"created": created, "changed": changed, "removed": len(removed)}
