"""Optimistic locking: a save made from a stale copy of a record is refused, with what changed meanwhile.

A versioned model declares `version = VersionField()` (django-concurrency's `AutoIncVersionField`).
Every `save()` increments it with `UPDATE ... WHERE id = %s AND version = <the version loaded>`,
so two saves made from the same copy can never both win; the losing one raises
`RecordModifiedError`. The version is copied into the model's history like any other field,
which is how `changes_since` finds the state a user had open.

Services that edit a record from a form or the API take `expected_version`: the version the user
saw (the form's hidden field, the API's `If-Match`). After locking the row they call
`check_version`, which raises `EditConflict` naming the fields someone else changed. Without an
expected version (a task, an API client that sends no `If-Match`) the write goes through.
"""

import datetime

from concurrency.exceptions import RecordModifiedError
from concurrency.fields import AutoIncVersionField
from django.utils import formats, timezone

from qms.exceptions import ApplicationError

__all__ = ["EditConflict", "RecordModifiedError", "VersionField", "changes_since", "check_version"]

# Fields that change on every save and say nothing about what someone edited.
HOUSEKEEPING = frozenset({"id", "version", "created_at", "updated_at"})


class VersionField(AutoIncVersionField):
    """The record's version: 1 when created, one more on every save.

    Not editable: no model form (the admin's included) posts it back, so a save from a form is
    checked against the version that form was opened on only where a view says so, through
    `expected_version` and `qms.forms.VersionedFormMixin`.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", "Version of the record: one more on every save, for optimistic locking.")
        super().__init__(*args, **kwargs)
        self.editable = False

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        return name, path, args, kwargs


class EditConflict(ApplicationError):
    """Someone else saved the record after the user opened it; nothing was saved.

    `changes` lists, per field, its value when the user opened the record (`was`) and now
    (`now`), as text. The API answers it with 412 when the request carried `If-Match`, else 409.
    """

    def __init__(self, record, *, expected_version: int, changes: list[dict], changed_by: list[str], changed_at):
        self.record = record
        self.expected_version = expected_version
        self.current_version = record.version
        self.changes = changes
        self.changed_by = changed_by
        self.changed_at = changed_at
        who = " and ".join(changed_by) if changed_by else "someone else"
        when = f" at {timezone.localtime(changed_at):%H:%M}" if changed_at else ""
        what = ", ".join(c["label"] for c in changes)
        message = (
            f"{record} was changed by {who}{when} after you opened it"
            + (f" ({what})" if what else "")
            + ". Nothing was saved: compare with the current values, then save again."
        )
        super().__init__(
            message,
            extra={
                "current_version": record.version,
                "your_version": expected_version,
                "changed_by": changed_by,
                "changed_at": changed_at.isoformat() if changed_at else None,
                "changes": changes,
            },
        )


def _user_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "someone else"


def _shown(field, value, names: dict) -> str:
    """A field's value as a person reads it: related records by name, choices by label, dates localised."""
    if value is None or value == "":
        return ""
    if field.is_relation:
        return names.get((field.related_model, value), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def changes_since(record, version: int, fields=None) -> tuple[list[dict], list[str], datetime.datetime | None]:
    """What changed on `record` (locked, current) since it was at `version`: (changes, by whom, last when).

    `fields` limits the comparison to the ones a user edits; by default every concrete field
    the history keeps, except the housekeeping ones.
    """
    history = record.history.select_related("history_user").order_by("-history_date", "-history_id")
    seen = history.filter(version=version).first()
    later = list(history.filter(version__gt=version)) if version is not None else []
    by = list(dict.fromkeys(_user_name(h.history_user) for h in later if h.history_user_id))
    changed_at = later[0].history_date if later else None
    if seen is None:
        return [], by, changed_at
    kept = {f.attname for f in seen._meta.concrete_fields}
    wanted = (
        [record._meta.get_field(name) for name in fields]
        if fields is not None
        else [f for f in record._meta.concrete_fields if f.name not in HOUSEKEEPING]
    )
    pairs = []
    for field in wanted:
        if field.attname not in kept or field.name in HOUSEKEEPING:
            continue
        was, now = getattr(seen, field.attname), getattr(record, field.attname)
        if was != now:
            pairs.append((field, was, now))
    # One query per related model to show related records by name.
    ids: dict = {}
    for field, was, now in pairs:
        if field.is_relation:
            ids.setdefault(field.related_model, set()).update(v for v in (was, now) if v is not None)
    names = {(model, obj.pk): str(obj) for model, pks in ids.items() for obj in model._base_manager.filter(pk__in=pks)}
    changes = [
        {
            "field": field.name,
            "label": str(field.verbose_name).capitalize(),
            "was": _shown(field, was, names),
            "now": _shown(field, now, names),
        }
        for field, was, now in pairs
    ]
    return changes, by, changed_at


def check_version(record, expected_version: int | None, *, fields=None, own_saves_of=None) -> None:
    """Refuse with `EditConflict` if `record` (locked, current) is no longer at `expected_version`.

    `None` means the caller did not say which version it edited: nothing is checked. With
    `own_saves_of=actor`, versions saved since only by that same user are no conflict: an
    autosave whose answer was lost on the network is retried on the version before it.
    """
    if expected_version is None or record.version == expected_version:
        return
    if own_saves_of is not None and expected_version < record.version:
        later = record.history.filter(version__gt=expected_version)
        if not later.exclude(history_user_id=own_saves_of.pk).exists():
            return
    changes, by, changed_at = changes_since(record, expected_version, fields)
    raise EditConflict(record, expected_version=expected_version, changes=changes, changed_by=by, changed_at=changed_at)
