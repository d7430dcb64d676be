"""Writes of the leadership app: one function per use case, each in a transaction."""

import fnmatch
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from leadership.models import Department, Person
from leadership.roles import ROLE_ORDER, ROLE_PERMISSIONS, Role
from qms import outbox

logger = logging.getLogger(__name__)
User = get_user_model()


def _save_with_actor(instance, actor) -> None:
    """Validate and save, recording `actor` as the author of the history entry."""
    instance.full_clean()
    instance._history_user = actor
    instance.save()


# Roles ------------------------------------------------------------------------------------


def roles_sync() -> None:
    """Create the role groups and give each exactly the permissions `roles.py` lists.

    Idempotent: run after every migration, it adds what a new model brought and removes
    what a role no longer lists.
    """
    all_perms = list(Permission.objects.select_related("content_type"))
    for role in ROLE_ORDER:
        patterns = ROLE_PERMISSIONS[role]
        wanted = [
            p
            for p in all_perms
            if any(fnmatch.fnmatchcase(f"{p.content_type.app_label}.{p.codename}", pat) for pat in patterns)
        ]
        group, _ = Group.objects.get_or_create(name=role.value)
        group.permissions.set(wanted)


def roles_sync_after_migrate(sender, **kwargs) -> None:
    # post_migrate fires once per app, after that app's permissions are created; the
    # last call sees them all. Cheap enough to run each time, and simpler than guessing
    # which app comes last.
    roles_sync()


def person_set_roles(*, actor, person: Person, roles: list[str]) -> None:
    unknown = sorted(set(roles) - set(Role.values))
    if unknown:
        raise ValidationError({"roles": f"Unknown role: {', '.join(unknown)}. Choose from: {', '.join(Role.values)}."})
    person.user._history_user = actor
    person.user.groups.set(Group.objects.filter(name__in=roles))


# Departments ------------------------------------------------------------------------------


@transaction.atomic
def department_create(
    *,
    actor,
    name: str,
    code: str,
    parent: Department | None = None,
    head: Person | None = None,
    description: str = "",
) -> Department:
    department = Department(name=name, code=code, parent=parent, head=head, description=description)
    _save_with_actor(department, actor)
    return department


DEPARTMENT_EDITABLE = ("name", "code", "parent", "head", "description", "is_active")


@transaction.atomic
def department_update(*, actor, department: Department, **changes) -> Department:
    for field, value in changes.items():
        if field not in DEPARTMENT_EDITABLE:
            raise ValueError(f"{field} cannot be changed through department_update")
        setattr(department, field, value)
    if changes.get("is_active") is False and department.children.filter(is_active=True).exists():
        raise ValidationError({"is_active": "Deactivate or move its active sub-departments first."})
    _save_with_actor(department, actor)
    return department


# People ----------------------------------------------------------------------------------------


@transaction.atomic
def person_create(
    *,
    actor,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    job_title: str = "",
    department: Department | None = None,
    manager: Person | None = None,
    phone: str = "",
    roles: list[str] | None = None,
    password: str | None = None,
) -> Person:
    """Create the user account and its person profile together.

    Without a password the account cannot log in until someone sets one (for example
    through the password reset e-mail).
    """
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"The username {username!r} is already taken."})
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    try:
        user.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    user._history_user = actor
    user.save()
    person = Person(user=user, department=department, manager=manager, job_title=job_title, phone=phone)
    _save_with_actor(person, actor)
    person_set_roles(actor=actor, person=person, roles=roles if roles is not None else [Role.EMPLOYEE])
    if not password and user.email:
        # Imported here: the tasks module imports this one.
        from leadership.tasks.people import person_send_invitation_task

        outbox.enqueue(person_send_invitation_task, person.pk)
    return person


def person_send_invitation(*, person_id: int) -> bool:
    """E-mail a person who has no password a link to choose one. Sends at most once.

    Returns whether an e-mail was sent. The compare-and-set on `invited_at` makes a task
    that runs twice (a retry, two workers) send nothing twice.
    """
    claimed = Person.objects.filter(pk=person_id, invited_at__isnull=True).update(invited_at=timezone.now())
    if not claimed:
        return False
    person = Person.objects.select_related("user").get(pk=person_id)
    user = person.user
    if not user.email or not user.is_active:
        return False
    link = settings.BASE_URL + reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"person": person, "link": link, "organisation_name": settings.ORGANISATION_NAME}
    try:
        send_mail(
            subject=f"Your Clause5 account at {settings.ORGANISATION_NAME}",
            message=render_to_string("leadership/email/invitation.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    except OSError:
        # Release the claim so that the task's retry can send it.
        Person.objects.filter(pk=person_id).update(invited_at=None)
        raise
    return True


PERSON_EDITABLE = ("job_title", "department", "manager", "phone")
USER_EDITABLE = ("first_name", "last_name", "email", "is_active")


@transaction.atomic
def person_update(*, actor, person: Person, roles: list[str] | None = None, **changes) -> Person:
    user = person.user
    user_changed = False
    for field, value in changes.items():
        if field in PERSON_EDITABLE:
            setattr(person, field, value)
        elif field in USER_EDITABLE:
            setattr(user, field, value)
            user_changed = True
        else:
            raise ValueError(f"{field} cannot be changed through person_update")
    if user_changed:
        if user.pk == getattr(actor, "pk", None) and changes.get("is_active") is False:
            raise ValidationError({"is_active": "You cannot deactivate your own account."})
        user.full_clean(exclude=["password", "username"])
        user._history_user = actor
        user.save()
    _save_with_actor(person, actor)
    if roles is not None:
        person_set_roles(actor=actor, person=person, roles=roles)
    return person
