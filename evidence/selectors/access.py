"""Reads of auditor access: the auditor accounts with their access period, and why a login is refused."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Case, CharField, Prefetch, QuerySet, Value, When
from django.utils import timezone

from evidence.models import AuditorAccess
from leadership.models.positions import ManagementRepresentativeAppointment
from leadership.roles import Role

User = get_user_model()


class Status:
    """The state of an account's access period on a given day."""

    ACTIVE = "active"
    EXPIRED = "expired"
    NOT_YET = "not-yet"
    # An auditor account without a limited period: an internal auditor, say.
    UNLIMITED = "unlimited"

    LABELS = {ACTIVE: "Active", EXPIRED: "Expired", NOT_YET: "Not yet valid", UNLIMITED: "No end date"}
    CHOICES = [(ACTIVE, "Active"), (NOT_YET, "Not yet valid"), (EXPIRED, "Expired"), (UNLIMITED, "No end date")]


def access_status(access: AuditorAccess | None, today: datetime.date | None = None) -> str:
    if access is None:
        return Status.UNLIMITED
    today = today or timezone.localdate()
    if today < access.valid_from:
        return Status.NOT_YET
    if today > access.valid_until:
        return Status.EXPIRED
    return Status.ACTIVE


def _status_annotation(today: datetime.date) -> Case:
    return Case(
        When(auditor_access__isnull=True, then=Value(Status.UNLIMITED)),
        When(auditor_access__valid_from__gt=today, then=Value(Status.NOT_YET)),
        When(auditor_access__valid_until__lt=today, then=Value(Status.EXPIRED)),
        default=Value(Status.ACTIVE),
        output_field=CharField(),
    )


def auditor_account_list(*, today: datetime.date | None = None) -> QuerySet:
    """Every account holding the Auditor role, with its access period (if limited) and its other roles.

    `access_status` is annotated (active, not-yet, expired, unlimited) so that the list can be
    filtered and sorted by it in the database.
    """
    today = today or timezone.localdate()
    return (
        User.objects.filter(groups__name=Role.AUDITOR.value)
        .select_related("auditor_access__granted_by", "person__department")
        .prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("name").only("name")))
        .annotate(access_status=_status_annotation(today))
        .order_by("auditor_access__valid_until", "last_name", "first_name", "username")
        .distinct()
    )


def auditor_access_list(*, today: datetime.date | None = None) -> QuerySet[AuditorAccess]:
    """The access rows with their account, for the API."""
    today = today or timezone.localdate()
    return (
        AuditorAccess.objects.select_related("user", "granted_by")
        .annotate(
            access_status=Case(
                When(valid_from__gt=today, then=Value(Status.NOT_YET)),
                When(valid_until__lt=today, then=Value(Status.EXPIRED)),
                default=Value(Status.ACTIVE),
                output_field=CharField(),
            )
        )
        .order_by("valid_until", "pk")
    )


def auditor_access_get(pk) -> AuditorAccess:
    return AuditorAccess.objects.select_related("user", "granted_by").get(pk=pk)


def auditors_without_access() -> QuerySet:
    """Active accounts holding only the Auditor role and no access period yet: those one may be granted to."""
    return (
        User.objects.filter(is_active=True, groups__name=Role.AUDITOR.value, auditor_access__isnull=True)
        .exclude(groups__name__in=[r.value for r in Role if r != Role.AUDITOR])
        .order_by("last_name", "first_name", "username")
        .distinct()
    )


def representative_names() -> list[str]:
    """Who an auditor should ask: the appointed management representative, else every holder of the role."""
    appointment = (
        ManagementRepresentativeAppointment.objects.filter(status=ManagementRepresentativeAppointment.Status.SIGNED)
        .select_related("person__user")
        .first()
    )
    if appointment is not None and appointment.person.user.is_active:
        return [appointment.person.full_name]
    users = User.objects.filter(is_active=True, groups__name=Role.MANAGEMENT_REPRESENTATIVE.value).order_by(
        "last_name", "first_name", "username"
    )
    return [u.get_full_name() or u.get_username() for u in users]


def _ask() -> str:
    names = representative_names()
    if not names:
        return "Ask the management representative"
    if len(names) == 1:
        return f"Ask {names[0]} (management representative)"
    return f"Ask {', '.join(names[:-1])} or {names[-1]} (management representatives)"


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%b %Y}"


def access_refusal(access: AuditorAccess | None, today: datetime.date | None = None) -> str:
    """Why an account with this access may not sign in today, in words for the login page; "" if it may."""
    status = access_status(access, today)
    if status == Status.EXPIRED:
        return f"Your auditor access ended on {_day(access.valid_until)}. {_ask()} to extend it."
    if status == Status.NOT_YET:
        return f"Your auditor access starts on {_day(access.valid_from)}. {_ask()} if you need it earlier."
    return ""


def user_access(user) -> AuditorAccess | None:
    """The user's access period, or None when their account is not limited to one."""
    if user is None or not getattr(user, "pk", None):
        return None
    return AuditorAccess.objects.filter(user_id=user.pk).first()
