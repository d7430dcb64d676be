"""Reads of the action register: querysets shaped for the register, My actions, the detail page and the API."""

import datetime

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from leadership.models import Person
from leadership.roles import Role
from reviews.models.actions import Action

# Roles that verify actions register-wide; other verifiers (department managers) are offered
# their own departments' and their reports' actions. The service itself only forbids the owner.
REGISTER_WIDE_VERIFIERS = (Role.TOP_MANAGEMENT, Role.MANAGEMENT_REPRESENTATIVE, Role.QA_STAFF)
# How long a closed action stays on its owner's "My actions" page.
RECENTLY_CLOSED_DAYS = 30
# Register-wide figure for the management representative: actions overdue by more than this.
LONG_OVERDUE_DAYS = 30

# The source records and what their labels read, joined so the register shows them with no extra query.
SOURCE_RELATED = (
    "decision__meeting",
    "customer_feedback__customer",
    "employee_feedback",
    "objective",
    "risk",
    "audit_finding__audit",
)


# What each source's record is loaded with, for the line that says what an action is for.
SOURCE_RECORD_RELATED = {
    Action.Source.MEETING_DECISION: ("meeting",),
    Action.Source.REVIEW_OUTPUT: ("meeting",),
    Action.Source.CUSTOMER_FEEDBACK: ("customer",),
    Action.Source.EMPLOYEE_FEEDBACK: (),
    Action.Source.OBJECTIVE: (),
    Action.Source.RISK: (),
    Action.Source.AUDIT_FINDING: ("audit",),
}


def action_source_record(source: str, pk):
    """The record an action from `source` would answer (a Risk for "risk", ...), or None if there is none."""
    if source not in Action.SOURCE_FIELDS:
        return None
    model = Action._meta.get_field(Action.SOURCE_FIELDS[source]).related_model
    try:
        return model.objects.select_related(*SOURCE_RECORD_RELATED[source]).get(pk=int(pk))
    except (TypeError, ValueError, model.DoesNotExist):
        return None


def overdue_q(today: datetime.date) -> Q:
    """Still open and past its due date."""
    return Q(status__in=Action.OPEN_STATUSES, due_date__lt=today)


def action_list(*, today: datetime.date | None = None) -> QuerySet[Action]:
    """Actions with owner, department and source record loaded; `overdue` when open past the due date."""
    today = today or timezone.localdate()
    return Action.objects.select_related("owner__user", "department", *SOURCE_RELATED).annotate(
        overdue=ExpressionWrapper(overdue_q(today), output_field=BooleanField())
    )


def action_get(pk, *, today: datetime.date | None = None) -> Action:
    """One action with everything its page shows: source record, owner, verifier, creator."""
    return action_list(today=today).select_related("verified_by__user", "created_by").get(pk=pk)


def person_of(user) -> Person | None:
    """The Person behind a user account, or None for accounts without a profile."""
    try:
        return user.person
    except (AttributeError, Person.DoesNotExist):
        return None


def action_may_work_on(user, action: Action) -> bool:
    """Whether `user` may start or complete `action`: its owner (a member of staff), or whoever keeps the register.

    Views ask before reading the input, so that someone who may not act is refused whatever they send.
    """
    if user.has_perm("reviews.change_action"):
        return True
    person = person_of(user)
    is_owner = person is not None and person.pk == action.owner_id
    return is_owner and user.is_active and user.has_perm("reviews.view_action")


def verifies_register_wide(user) -> bool:
    return user.has_perm("reviews.verify_action") and user.groups.filter(name__in=REGISTER_WIDE_VERIFIERS).exists()


def awaiting_verification_q(user, *, register_wide: bool | None = None) -> Q:
    """Done actions that `user` is asked to verify: never their own; register-wide for management and QA,
    otherwise their department's, the departments they head (and those under them) and their reports'."""
    person = person_of(user)
    if person is None or not user.has_perm("reviews.verify_action"):
        return Q(pk__in=[])
    q = Q(status=Action.Status.DONE) & ~Q(owner=person)
    if register_wide is None:
        register_wide = verifies_register_wide(user)
    if register_wide:
        return q
    scope = Q(department__head=person) | Q(department__parent__head=person) | Q(owner__manager=person)
    if person.department_id is not None:
        scope |= Q(department_id=person.department_id)
    return q & scope


def action_mine(user, *, today: datetime.date | None = None) -> QuerySet[Action]:
    """The user's own actions: open ones and done ones awaiting verification, and those closed recently.

    Open and overdue first (by due date), then done, then recently verified.
    """
    today = today or timezone.localdate()
    person = person_of(user)
    if person is None:
        return Action.objects.none()
    since = timezone.now() - datetime.timedelta(days=RECENTLY_CLOSED_DAYS)
    return (
        action_list(today=today)
        .filter(owner=person)
        .filter(
            Q(status__in=Action.OPEN_STATUSES)
            | Q(status=Action.Status.DONE)
            | Q(status=Action.Status.VERIFIED, verified_at__gte=since)
        )
        .order_by("-overdue", "due_date", "pk")
    )


def action_awaiting_verification(user, *, today: datetime.date | None = None) -> QuerySet[Action]:
    """Done actions awaiting the user's verification, longest waiting first."""
    return action_list(today=today).filter(awaiting_verification_q(user)).order_by("completed_at", "pk")


def action_figures(user, *, today: datetime.date | None = None) -> dict:
    """The dashboard's figures for `user`, in one query (plus one for the verifier's scope).

    my_open, my_overdue, awaiting_verification; and, for those who hold `reviews.verify_action`
    register-wide, long_overdue: register-wide actions overdue by more than LONG_OVERDUE_DAYS.
    """
    today = today or timezone.localdate()
    person = person_of(user)
    if person is None:
        return {"my_open": 0, "my_overdue": 0, "awaiting_verification": 0, "long_overdue": None}
    register_wide = verifies_register_wide(user) if user.has_perm("reviews.verify_action") else False
    mine = Q(owner=person)
    aggregates = {
        "my_open": Count("id", filter=mine & Q(status__in=Action.OPEN_STATUSES)),
        "my_overdue": Count("id", filter=mine & overdue_q(today)),
        "awaiting_verification": Count("id", filter=awaiting_verification_q(user, register_wide=register_wide)),
    }
    if register_wide:
        aggregates["long_overdue"] = Count("id", filter=overdue_q(today - datetime.timedelta(days=LONG_OVERDUE_DAYS)))
    figures = Action.objects.aggregate(**aggregates)
    figures.setdefault("long_overdue", None)
    figures["long_overdue_days"] = LONG_OVERDUE_DAYS
    # The register's "due to" filter that lists exactly those actions.
    figures["long_overdue_due_to"] = today - datetime.timedelta(days=LONG_OVERDUE_DAYS + 1)
    return figures
