"""Services of the action register: create, start, complete, verify or reopen, remind and escalate.

Every follow-up in Clause5 is an Action. An action points at the record it comes from (a meeting
decision, a management review output, customer or employee feedback, an objective, a risk or an
audit finding), has one owner and a due date, and is closed only when someone other than its
owner verifies it worked (10.2.2, 9.3.2.a):

    open --start--> in progress --complete--> done --verify(effective)--> verified
      ^                                         |
      +---- reopened <--verify(not effective)---+

An owner may start and complete their own actions whatever their role; anyone else needs
`reviews.change_action`. Verifying needs `reviews.verify_action` and is never done by the owner.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from leadership.models import Department, Person
from leadership.roles import Role
from qms import outbox
from qms.exceptions import ApplicationError
from qms.models import Notification
from qms.notifications import Message, iso_week, notify_many, notify_once
from qms.references import save_with_reference
from reviews.models.actions import Action
from reviews.selectors.actions import person_of

REFERENCE_PREFIX = "ACT"
# The people around an action that notifications and escalation reach, joined in one query.
PEOPLE_RELATED = ("owner__user", "owner__manager__user", "department__head__user", "owner__department__head__user")

ACTION_CREATE_FIELDS = (
    "title",
    "description",
    "owner",
    "due_date",
    "priority",
    "department",
)
# What action_update may change; the source, status and verification move only through the
# lifecycle services, so the trail of who did what stays meaningful.
ACTION_EDITABLE = ("title", "description", "owner", "due_date", "priority", "department")

REMINDER_BATCH_SIZE = 200


def _link(action: Action) -> str:
    return settings.BASE_URL + reverse("reviews:action-detail", args=[action.pk])


def _subject(action: Action) -> str:
    return f"reviews.action:{action.pk}"


def _notify_after_commit(action: Action, event: str) -> None:
    """Send a lifecycle message from the worker: queued in this transaction, published once it commits."""
    # Imported here: the tasks module imports this one.
    from reviews.tasks.actions import action_notify_task

    outbox.enqueue(action_notify_task, action.pk, event)


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


def _check_owner(owner: Person | None) -> None:
    if owner is not None and not owner.user.is_active:
        raise ValidationError({"owner": f"{owner} can no longer sign in; choose an active person."})


def _lock(action: Action) -> Action:
    """The action's current row, locked until the transaction ends, so two transitions cannot cross."""
    return Action.objects.select_for_update().get(pk=action.pk)


def _save(action: Action, actor) -> None:
    action.full_clean(exclude=["reference"])
    action._history_user = actor
    action.save()


def _refuse_unless(action: Action, allowed: tuple, what: str) -> None:
    if action.status not in allowed:
        raise ApplicationError(
            f"{action.reference} is {action.get_status_display().lower()}: {what}.",
            extra={"status": action.status},
        )


def _check_owner_or_change(actor, action: Action, doing: str) -> None:
    """The owner may work on their own action; anyone else needs the register's change permission."""
    person = person_of(actor)
    is_owner = person is not None and person.pk == action.owner_id
    # Holding view_action keeps the owner rule to staff: an account without a role cannot act.
    if is_owner and actor.is_active and actor.has_perm("reviews.view_action"):
        return
    if actor.has_perm("reviews.change_action"):
        return
    raise PermissionDenied(f"Only the action's owner or someone who keeps the action register may {doing} it.")


# A due date further ahead is a mistyped year (2206 for 2026); near year 9999 the calendar's
# whole-day event for it would not even have an end.
LATEST_DUE_YEARS_AHEAD = 10


def _check_due_date(due_date, field: str = "due_date") -> None:
    if not isinstance(due_date, datetime.date):
        return
    latest = timezone.localdate().year + LATEST_DUE_YEARS_AHEAD
    if due_date.year > latest:
        raise ValidationError(
            {field: f"{due_date.isoformat()} is more than {LATEST_DUE_YEARS_AHEAD} years ahead; check the year."}
        )


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
    department: Department | None = None,
) -> Action:
    """Open an action from `source_record` (a Decision, CustomerFeedback, Objective, ...) and tell its owner."""
    _check_owner(owner)
    _check_due_date(due_date)
    action = Action(
        title=(title or "").strip(),
        description=(description or "").strip(),
        source=source,
        owner=owner,
        due_date=due_date,
        priority=priority,
        department=department if department is not None else getattr(owner, "department", None),
        created_by=actor,
        **_source_kwargs(source, source_record),
    )
    save_with_reference(action, actor, REFERENCE_PREFIX)
    _notify_after_commit(action, "assigned")
    return action


@transaction.atomic
def action_update(*, actor, action: Action, **changes) -> Action:
    """Change an open action's title, description, owner, department, due date or priority.

    An empty department means the owner's, as on creation. A new owner is told the action is
    theirs. A new due date restarts the reminders and the escalation, which are counted from the
    due date. Done and verified actions are the record of what was done and checked: they change
    only through verification.
    """
    if not actor.has_perm("reviews.change_action"):
        raise PermissionDenied("Your role cannot change actions; ask whoever keeps the action register.")
    unknown = set(changes) - set(ACTION_EDITABLE)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be changed through action_update")
    action = _lock(action)
    _refuse_unless(action, Action.OPEN_STATUSES, "only open, in-progress or reopened actions can be edited")
    old_owner_id, old_due = action.owner_id, action.due_date
    for name, value in changes.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(action, name, value)
    if "owner" in changes:
        if action.owner is None:
            raise ValidationError({"owner": "Every action needs an owner."})
        if action.owner_id != old_owner_id:
            _check_owner(action.owner)
    if "department" in changes and action.department is None:
        # As on creation: no department given means the owner's.
        action.department = action.owner.department
    if action.due_date != old_due:
        if isinstance(action.due_date, datetime.date) and action.due_date < timezone.localdate():
            raise ValidationError({"due_date": "The new due date is in the past; give today or a later date."})
        _check_due_date(action.due_date)
        # Reminders and escalation are per due date: the new date starts them afresh.
        action.escalated_at = None
    _save(action, actor)
    if action.owner_id != old_owner_id:
        _notify_after_commit(action, "assigned")
    return action


@transaction.atomic
def action_start(*, actor, action: Action) -> Action:
    """Mark an open or reopened action as in progress (its owner, or whoever keeps the register)."""
    action = _lock(action)
    _check_owner_or_change(actor, action, "start")
    _refuse_unless(action, (Action.Status.OPEN, Action.Status.REOPENED), "only open or reopened actions can be started")
    action.status = Action.Status.IN_PROGRESS
    _save(action, actor)
    return action


@transaction.atomic
def action_complete(*, actor, action: Action, completion_note: str) -> Action:
    """Record that the action was carried out and what was done; it then awaits verification."""
    action = _lock(action)
    _check_owner_or_change(actor, action, "complete")
    _refuse_unless(action, Action.OPEN_STATUSES, "only open, in-progress or reopened actions can be completed")
    note = (completion_note or "").strip()
    if not note:
        raise ValidationError({"completion_note": "Say what was done: the verifier checks it against this note."})
    action.status = Action.Status.DONE
    action.completion_note = note
    action.completed_at = timezone.now()
    _save(action, actor)
    _notify_after_commit(action, "awaiting-verification")
    return action


@transaction.atomic
def action_verify(
    *,
    actor,
    action: Action,
    effective: bool,
    note: str,
    new_due_date: datetime.date | None = None,
) -> Action:
    """Verify a done action: effective closes it as verified, not effective reopens it for its owner.

    The verifier holds `reviews.verify_action` and is not the owner: nobody marks their own work
    as effective (10.2.2). Reopening may set a new due date; the owner is told either way.
    """
    if not actor.has_perm("reviews.verify_action"):
        raise PermissionDenied("Your role cannot verify actions.")
    verifier = person_of(actor)
    if verifier is None:
        raise PermissionDenied("Only a person of the organisation can verify actions; this account has no profile.")
    action = _lock(action)
    if verifier.pk == action.owner_id:
        raise PermissionDenied(
            f"You own {action.reference}: someone other than the owner must verify that it was effective."
        )
    _refuse_unless(action, (Action.Status.DONE,), "only done actions can be verified")
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            {"note": "Record the evidence that the action worked, or why it did not: the verification needs it."}
        )
    action.verification_note = note
    if effective:
        if new_due_date is not None:
            raise ValidationError({"new_due_date": "A new due date is given only when reopening an action."})
        action.status = Action.Status.VERIFIED
        action.verified_by = verifier
        action.verified_at = timezone.now()
        _save(action, actor)
        _notify_after_commit(action, "verified")
        return action
    if new_due_date is not None:
        if new_due_date < timezone.localdate():
            raise ValidationError({"new_due_date": "The new due date is in the past; give today or a later date."})
        _check_due_date(new_due_date, "new_due_date")
        if new_due_date != action.due_date:
            action.due_date = new_due_date
            action.escalated_at = None
    action.status = Action.Status.REOPENED
    action.reopened_count += 1
    action.completed_at = None
    action.verified_by = None
    action.verified_at = None
    _save(action, actor)
    _notify_after_commit(action, "reopened")
    return action


# Notifications ------------------------------------------------------------------------------


def _load(action_id: int) -> Action | None:
    return Action.objects.select_related(*PEOPLE_RELATED).filter(pk=action_id).first()


def action_notify_assigned(*, action_id: int) -> bool:
    """Tell an action's owner it is theirs (once per owner)."""
    action = _load(action_id)
    if action is None or not action.owner.user.is_active:
        return False
    return notify_once(
        recipient=action.owner.user,
        kind="action-assigned",
        subject_key=_subject(action),
        period=f"owner-{action.owner_id}",
        title=f"Action {action.reference} is yours: {action.title}",
        body=f"Due {action.due_date:%d %b %Y}, priority {action.get_priority_display().lower()}.",
        url=_link(action),
    )


def _bosses(action: Action) -> list:
    """Who answers for the owner, nearest first: their manager, the action's department head, their own head."""
    return [
        action.owner.manager,
        action.department.head if action.department else None,
        action.owner.department.head if action.owner.department else None,
    ]


def action_verifier_for(action: Action) -> Person | None:
    """Who is asked to verify the action: the owner's manager, else the department head (never the owner)."""
    for person in _bosses(action):
        if person is not None and person.pk != action.owner_id and person.user.is_active:
            return person
    return None


def action_notify_awaiting_verification(*, action_id: int) -> bool:
    """Ask the owner's manager (or department head) to verify a completed action, once per completion."""
    action = _load(action_id)
    if action is None or action.status != Action.Status.DONE:
        return False
    verifier = action_verifier_for(action)
    if verifier is None or not verifier.user.has_perm("reviews.verify_action"):
        return False
    return notify_once(
        recipient=verifier.user,
        kind="action-awaiting-verification",
        subject_key=_subject(action),
        period=f"completion-{action.reopened_count}",
        title=f"Verify {action.reference}: {action.title}",
        body=(
            f"{action.owner} completed it: {action.completion_note}\n\n"
            "Check that it worked, then verify it or reopen it."
        ),
        url=_link(action),
    )


def action_notify_reopened(*, action_id: int) -> bool:
    """Tell the owner their action was found not effective and is open again."""
    action = _load(action_id)
    if action is None or not action.owner.user.is_active:
        return False
    return notify_once(
        recipient=action.owner.user,
        kind="action-reopened",
        subject_key=_subject(action),
        period=f"reopened-{action.reopened_count}",
        title=f"{action.reference} was not effective and is reopened",
        body=f"Verifier's note: {action.verification_note}\n\nDue {action.due_date:%d %b %Y}.",
        url=_link(action),
    )


def action_notify_verified(*, action_id: int) -> bool:
    """Tell the owner their action was verified effective."""
    action = _load(action_id)
    if action is None or action.status != Action.Status.VERIFIED or not action.owner.user.is_active:
        return False
    return notify_once(
        recipient=action.owner.user,
        kind="action-verified",
        subject_key=_subject(action),
        period="verified",
        title=f"{action.reference} was verified effective",
        body=f"Verifier's note: {action.verification_note}",
        url=_link(action),
    )


# Reminders and escalation ---------------------------------------------------------------------


REMINDER_KINDS = ("action-due-soon", "action-overdue", "action-escalated")
SENT_KEY = {"action-due-soon": "due_soon", "action-overdue": "overdue", "action-escalated": "escalated"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _escalation_recipients(action: Action, representatives: list) -> dict:
    """The owner's manager (else the department head) and the management representatives, never the owner."""
    recipients = {}
    boss = next((p for p in _bosses(action) if p is not None and p.pk != action.owner_id), None)
    if boss is not None and boss.user.is_active:
        recipients[boss.user.pk] = boss.user
    for user in representatives:
        if user.pk != action.owner.user_id:
            recipients[user.pk] = user
    return recipients


def _claim_escalations(actions: list[Action]) -> list[Action]:
    """Claim the escalation of these actions' current due dates; those this run claimed.

    Compare-and-set on `escalated_at` under row locks: a concurrent run, or a retry, skips the
    rows another holds and finds those it committed already claimed.
    """
    if not actions:
        return []
    with transaction.atomic():
        claimable = set(
            Action.objects.select_for_update(skip_locked=True)
            .filter(pk__in=[a.pk for a in actions], escalated_at__isnull=True)
            .values_list("pk", "due_date")
        )
        claimed = [a for a in actions if (a.pk, a.due_date) in claimable]
        Action.objects.filter(pk__in=[a.pk for a in claimed]).update(escalated_at=timezone.now())
    return claimed


def action_send_reminders(*, today: datetime.date | None = None) -> dict:
    """Remind owners of due-soon and overdue actions and escalate long-overdue ones.

    - due soon: once per action and due date, `CLAUSE5_ACTION_DUE_SOON_DAYS` before it is due;
    - overdue: to the owner, once per ISO week while it stays open;
    - escalation: after `CLAUSE5_ACTION_ESCALATION_DAYS` overdue, to the owner's manager (else
      the department head) and the management representatives, once per action and due date,
      claimed by compare-and-set on `escalated_at`.

    Idempotent (the notifications' unique constraint and the claim decide), so a second run
    sends nothing. Actions are read in batches of REMINDER_BATCH_SIZE with their people joined,
    and each batch's messages are inserted and e-mailed together (notify_many), so the queries
    grow with the number of batches, not with the number of actions or messages.
    Returns the number of messages sent of each kind.
    """
    today = today or timezone.localdate()
    soon_days = settings.CLAUSE5_ACTION_DUE_SOON_DAYS
    escalation_days = settings.CLAUSE5_ACTION_ESCALATION_DAYS
    week = iso_week(today)
    sent = {"due_soon": 0, "overdue": 0, "escalated": 0}
    representatives = list(
        get_user_model()
        .objects.filter(groups__name=Role.MANAGEMENT_REPRESENTATIVE, is_active=True)
        .distinct()
        .order_by("pk")
    )
    queryset = (
        Action.objects.filter(status__in=Action.OPEN_STATUSES, due_date__lte=today + datetime.timedelta(days=soon_days))
        .select_related(*PEOPLE_RELATED)
        .order_by("pk")
    )
    last_pk = 0
    while True:
        batch = list(queryset.filter(pk__gt=last_pk)[:REMINDER_BATCH_SIZE])
        if not batch:
            break
        last_pk = batch[-1].pk
        # What was sent already, in one query: a rerun then costs nothing per action.
        already = set(
            Notification.objects.filter(
                kind__in=REMINDER_KINDS, subject_key__in=[_subject(a) for a in batch]
            ).values_list("recipient_id", "kind", "subject_key", "period")
        )

        messages = []

        def send(user, kind, action, period, title, body, already=already, messages=messages):
            if user.is_active and (user.pk, kind, _subject(action), period) not in already:
                messages.append(Message(user, kind, _subject(action), period, title, body, _link(action)))

        escalate = []
        for action in batch:
            owner = action.owner.user
            days_overdue = (today - action.due_date).days
            if days_overdue <= 0:
                left = -days_overdue
                send(
                    owner,
                    "action-due-soon",
                    action,
                    f"due-{action.due_date.isoformat()}",
                    f"{action.reference} is due today"
                    if left == 0
                    else f"{action.reference} is due in {_plural(left, 'day')}",
                    f"{action.title}\n\nDue {action.due_date:%d %b %Y}. Complete it, or ask for a new date.",
                )
                continue
            send(
                owner,
                "action-overdue",
                action,
                week,
                f"{action.reference} is {_plural(days_overdue, 'day')} overdue",
                f"{action.title}\n\nIt was due {action.due_date:%d %b %Y}.",
            )
            if days_overdue >= escalation_days and action.escalated_at is None:
                escalate.append(action)
        for action in _claim_escalations(escalate):
            days_overdue = (today - action.due_date).days
            for user in _escalation_recipients(action, representatives).values():
                send(
                    user,
                    "action-escalated",
                    action,
                    f"due-{action.due_date.isoformat()}",
                    f"Escalation: {action.reference} is {_plural(days_overdue, 'day')} overdue",
                    f"{action.title}\n\nOwner: {action.owner}. Due {action.due_date:%d %b %Y}, "
                    f"priority {action.get_priority_display().lower()}, "
                    f"status {action.get_status_display().lower()}.",
                )
        for message in notify_many(messages):
            sent[SENT_KEY[message.kind]] += 1
    return sent
