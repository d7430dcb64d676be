"""Services of the action register: create, start, complete, verify or reopen, remind and escalate.

Every follow-up in Clause5 is an Action. An action points at the record it comes from (a meeting
decision, a management review output, customer or employee feedback, an objective, a risk or an
audit finding), has one owner and a due date, and is closed only when someone other than its
owner verifies it worked.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from leadership.models import Person
from qms.notifications import notify_once
from qms.references import save_with_reference
from reviews.models.actions import Action

REFERENCE_PREFIX = "ACT"

ACTION_CREATE_FIELDS = (
    "title",
    "description",
    "owner",
    "due_date",
    "priority",
    "department",
)


def _source_kwargs(source: str, record) -> dict:
    """The foreign key that `source` fills, checked against the record given."""
    field = Action.SOURCE_FIELDS.get(source)
    if field is None:
        raise ValidationError({"source": f"Unknown source {source!r}."})
    if record is None:
        raise ValidationError({"source": f"An action from a {Action.Source(source).label.lower()} needs that record."})
    model = Action._meta.get_field(field).related_model
    if not isinstance(record, model):
        raise ValidationError(
            {"source": f"A {Action.Source(source).label.lower()} action must point at a {model._meta.verbose_name}."}
        )
    return {field: record}


@transaction.atomic
def action_create(
    *,
    actor,
    source: str,
    source_record,
    title: str,
    owner: Person,
    due_date: datetime.date,
    description: str = "",
    priority: str = Action.Priority.MEDIUM,
    department=None,
) -> Action:
    """Open an action from `source_record` (a Decision, CustomerFeedback, Objective, ...) and tell its owner."""
    if owner is not None and not owner.user.is_active:
        raise ValidationError({"owner": f"{owner} can no longer sign in; choose an active person."})
    action = Action(
        title=(title or "").strip(),
        description=description or "",
        source=source,
        owner=owner,
        due_date=due_date,
        priority=priority,
        department=department if department is not None else getattr(owner, "department", None),
        created_by=actor,
        **_source_kwargs(source, source_record),
    )
    save_with_reference(action, actor, REFERENCE_PREFIX)
    transaction.on_commit(lambda: action_notify_assigned(action_id=action.pk))
    return action


def action_notify_assigned(*, action_id: int) -> bool:
    """Tell an action's owner it is theirs (once per owner)."""
    action = Action.objects.select_related("owner__user").filter(pk=action_id).first()
    if action is None:
        return False
    return notify_once(
        recipient=action.owner.user,
        kind="action-assigned",
        subject_key=f"reviews.action:{action.pk}",
        period=f"owner-{action.owner_id}",
        title=f"Action {action.reference} is yours: {action.title}",
        body=f"Due {action.due_date:%d %b %Y}, priority {action.get_priority_display().lower()}.",
        url=reverse("reviews:action-detail", args=[action.pk]),
    )
