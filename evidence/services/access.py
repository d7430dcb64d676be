"""Writes of auditor access: granting an auditor account a period, inviting an external auditor,
and the checks that refuse a sign-in (or a running session) outside the period.

An account without an `AuditorAccess` row is not limited. The limit is checked in three places:
the login form (`qms.auth` login check, registered by `connect()`), every request of a signed-in
session (`evidence.middleware.AuditorAccessMiddleware`), and every API call with a token
(`evidence.api.authentication.TokenAuthentication`).
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from evidence.models import AuditorAccess
from evidence.selectors import access as selectors
from leadership.roles import Role
from leadership.services import people as people_services
from qms.auth import register_login_check

User = get_user_model()

# Session key set at login: whether the account has an access period the middleware must check.
SESSION_KEY = "evidence.auditor_access_limited"

AUDITOR_ACCESS_EDITABLE = ("organisation", "valid_from", "valid_until", "note")


def _one_year_after(day: datetime.date) -> datetime.date:
    """The same day a year later (28 Feb for 29 Feb)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def _check_period(valid_from: datetime.date | None, valid_until: datetime.date | None) -> None:
    if valid_from is None or valid_until is None:
        return  # full_clean names the missing field.
    if valid_until < valid_from:
        raise ValidationError(
            {"valid_until": f"Access must end on or after the day it starts ({valid_from:%d %b %Y})."}
        )
    last_day = _one_year_after(valid_from) - datetime.timedelta(days=1)
    if valid_until > last_day:
        raise ValidationError(
            {
                "valid_until": f"Access may last at most one year: from {valid_from:%d %b %Y} it must end by "
                f"{last_day:%d %b %Y}. Grant a new period when the next audit is planned."
            }
        )


def _check_account(user) -> None:
    roles = set(user.groups.values_list("name", flat=True))
    if Role.AUDITOR.value not in roles:
        raise ValidationError(
            {
                "user": f"{user.get_full_name() or user.get_username()} does not hold the Auditor role: an access "
                "period applies only to auditor accounts."
            }
        )
    others = sorted(roles - {Role.AUDITOR.value})
    if others:
        raise ValidationError(
            {
                "user": f"{user.get_full_name() or user.get_username()} also holds {', '.join(others)}: an access "
                "period would lock them out of that work too. Limit only accounts that hold the Auditor role alone."
            }
        )


@transaction.atomic
def auditor_access_create(
    *,
    actor,
    user,
    valid_from: datetime.date,
    valid_until: datetime.date,
    organisation: str = "",
    note: str = "",
) -> AuditorAccess:
    """Limit an auditor account to a period of at most one year; outside it, signing in fails."""
    if user is None:
        raise ValidationError({"user": "Choose the auditor account."})
    _check_account(user)
    if AuditorAccess.objects.filter(user=user).exists():
        raise ValidationError({"user": f"{user.get_username()} has an access period already: edit that one."})
    _check_period(valid_from, valid_until)
    if valid_until is not None and valid_until < timezone.localdate():
        raise ValidationError({"valid_until": "This period is over already: the auditor could never sign in."})
    access = AuditorAccess(
        user=user,
        organisation=organisation,
        valid_from=valid_from,
        valid_until=valid_until,
        note=note,
        granted_by=actor,
    )
    access.full_clean()
    access._history_user = actor
    access.save()
    return access


@transaction.atomic
def auditor_access_update(*, actor, access: AuditorAccess, **changes) -> AuditorAccess:
    """Change an access period (extend it, end it early) or its organisation and note.

    Whoever changes the period becomes the one who granted it; the history keeps the earlier grant.
    """
    for field in changes:
        if field not in AUDITOR_ACCESS_EDITABLE:
            raise ValueError(f"{field} cannot be changed through auditor_access_update")
    period_changed = any(
        field in changes and changes[field] != getattr(access, field) for field in ("valid_from", "valid_until")
    )
    for field, value in changes.items():
        setattr(access, field, value)
    _check_period(access.valid_from, access.valid_until)
    if period_changed:
        access.granted_by = actor
    access.full_clean()
    access._history_user = actor
    access.save()
    return access


@transaction.atomic
def auditor_invite(
    *,
    actor,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    valid_from: datetime.date,
    valid_until: datetime.date,
    organisation: str = "",
    job_title: str = "",
    note: str = "",
) -> AuditorAccess:
    """Create an external auditor's account (Auditor role only) with its access period.

    The account has no password: the invitation e-mail (leadership's person invitation, sent after
    the commit) lets the auditor choose one. Nothing is created if any part is refused.
    """
    if not email:
        raise ValidationError({"email": "An external auditor needs an e-mail address to receive the invitation."})
    _check_period(valid_from, valid_until)
    person = people_services.person_create(
        actor=actor,
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        job_title=job_title or (f"Auditor, {organisation}" if organisation else "External auditor"),
        department=None,
        roles=[Role.AUDITOR.value],
    )
    return auditor_access_create(
        actor=actor,
        user=person.user,
        valid_from=valid_from,
        valid_until=valid_until,
        organisation=organisation,
        note=note,
    )


# Refusing sign-ins outside the period -----------------------------------------------------------


def auditor_access_login_check(user) -> None:
    """Login check (qms.auth): refuse an account whose access period has ended or not begun."""
    message = selectors.access_refusal(selectors.user_access(user))
    if message:
        raise ValidationError(message, code="auditor_access")


def auditor_access_remember_at_login(sender, request, user, **kwargs) -> None:
    """Note in the new session whether the account is limited, so that other sessions cost no query."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_KEY] = AuditorAccess.objects.filter(user_id=user.pk).exists()


def connect() -> None:
    """Install the login check and the login signal; called from EvidenceConfig.ready()."""
    register_login_check(auditor_access_login_check)
    user_logged_in.connect(auditor_access_remember_at_login, dispatch_uid="evidence.auditor_access_remember")
