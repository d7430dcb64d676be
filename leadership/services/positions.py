"""Writes of roles, responsibilities and authorities (5.3): positions, holders, acknowledgements and the
appointment of the management representative."""

import datetime
import decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from leadership.models import Department, Person
from leadership.models.commitment import CommitmentEntry
from leadership.models.positions import (
    ManagementRepresentativeAppointment,
    Position,
    PositionAcknowledgement,
    PositionHolder,
    catalogue_sorted,
    default_currency,
    lines,
)
from leadership.roles import Role
from leadership.selectors import positions as selectors
from leadership.services.commitment import commitment_record_from
from leadership.services.people import person_set_roles
from qms import outbox
from qms.exceptions import ApplicationError
from qms.notifications import iso_week, notify_once
from qms.signatures import canonical_text, content_hash, signature_sign, signing_service

# Notification kinds: the first asks once per revision, the second reminds once a week.
KIND_ACKNOWLEDGEMENT_REQUEST = "position-acknowledgement-request"
KIND_ACKNOWLEDGEMENT_REMINDER = "position-acknowledgement-reminder"

# The commitment log's 5.1.1 items for signing the appointment: it makes a resource the QMS
# needs available (a person with stated powers and an improvement budget: 5.1.1.e), and it
# supports another manager to lead the QMS in their own area (5.1.1.j).
APPOINTMENT_COMMITMENT_IDS = ["5.1.1.e", "5.1.1.j"]


def _save_with_actor(instance, actor) -> None:
    """Validate and save, recording `actor` as the author of the history entry."""
    instance.full_clean()
    instance._history_user = actor
    instance.save()


def _require(actor, permission: str, message: str) -> None:
    # actor=None is the system itself (demo seeding, scheduled tasks), which acts on no one's behalf.
    if actor is not None and not actor.has_perm(permission):
        raise PermissionDenied(message)


def _link(url_name: str, *args) -> str:
    return settings.BASE_URL + reverse(url_name, args=args)


def _normalised(field: str, value):
    if field == "requirement_ids":
        if isinstance(value, list | tuple) and all(isinstance(i, str) for i in value):
            return catalogue_sorted(i.strip() for i in value)
        return value  # left as given, so that clean() names what is wrong with it
    if field in ("responsibilities", "authorities"):
        return "\n".join(lines(value))
    if field == "title" and isinstance(value, str):
        return value.strip()
    return value


# Positions -------------------------------------------------------------------------------------

POSITION_EDITABLE = (
    "title",
    "department",
    "reports_to",
    "responsibilities",
    "authorities",
    "requirement_ids",
    "is_active",
)
# A change to any of these is a new revision of the description, which holders acknowledge again.
DESCRIPTION_FIELDS = ("responsibilities", "authorities", "requirement_ids")


@transaction.atomic
def position_create(
    *,
    actor,
    title: str,
    department: Department,
    responsibilities: str,
    authorities: str = "",
    requirement_ids: list[str] | None = None,
    reports_to: Position | None = None,
) -> Position:
    _require(actor, "leadership.add_position", "Only the management representative defines positions.")
    position = Position(
        title=_normalised("title", title),
        department=department,
        reports_to=reports_to,
        responsibilities=_normalised("responsibilities", responsibilities),
        authorities=_normalised("authorities", authorities),
        requirement_ids=_normalised("requirement_ids", list(requirement_ids or [])),
    )
    _save_with_actor(position, actor)
    return position


@transaction.atomic
def position_update(*, actor, position: Position, **changes) -> Position:
    """Change a position; a changed description (responsibilities, authorities, ISO requirements)
    becomes a new revision, and its holders are asked to acknowledge it again."""
    _require(actor, "leadership.change_position", "Only the management representative changes positions.")
    # Compare with the stored row, not with `position`: a ModelForm has already written the
    # submitted values onto the instance it validated.
    stored = Position.objects.select_for_update().get(pk=position.pk)
    for field, value in changes.items():
        if field not in POSITION_EDITABLE:
            raise ValueError(f"{field} cannot be changed through position_update")
        setattr(position, field, _normalised(field, value))
    if stored.is_active and position.is_active is False:
        holders = [str(h.person) for h in selectors.position_open_holdings(position)]
        if holders:
            raise ValidationError(
                {"is_active": f"End the current and planned holdings first ({', '.join(holders)}), then deactivate it."}
            )
    changed = [
        f for f in DESCRIPTION_FIELDS if _normalised(f, getattr(position, f)) != _normalised(f, getattr(stored, f))
    ]
    position.revision, position.revised_at = stored.revision, stored.revised_at
    if changed:
        position.revision = stored.revision + 1
        position.revised_at = timezone.now()
    _save_with_actor(position, actor)
    if changed and position.is_active:
        from leadership.tasks.positions import position_request_acknowledgements_task

        outbox.enqueue(position_request_acknowledgements_task, position.pk)
    return position


def position_request_acknowledgements(*, position_id: int) -> int:
    """Ask each current holder who has not acknowledged the current revision to read it.

    Sent once per holder and revision (the notification's unique key), however often it runs.
    Returns how many were sent now.
    """
    position = Position.objects.filter(pk=position_id, is_active=True).first()
    if position is None:
        return 0
    sent = 0
    for holding in selectors.pending_acknowledgements().filter(position=position):
        sent += notify_once(
            recipient=holding.person.user,
            kind=KIND_ACKNOWLEDGEMENT_REQUEST,
            subject_key=f"leadership.position:{position.pk}",
            period=f"r{position.revision}",
            title=f"Please read and acknowledge your position: {position.title} (revision {position.revision})",
            body=(
                f"The description of your position {position.title} in {position.department} is at revision "
                f"{position.revision}. Read your responsibilities and authorities and acknowledge them."
            ),
            url=_link("leadership:my-positions"),
        )
    return sent


def position_acknowledgement_remind(*, day: datetime.date | None = None) -> int:
    """Remind, once per ISO week, each current holder who has not acknowledged the current revision.

    Idempotent: the notification's unique (recipient, kind, subject, week) means a second run in
    the same week sends nothing. Returns how many reminders were sent now.
    """
    day = day or timezone.localdate()
    sent = 0
    for holding in selectors.pending_acknowledgements(day=day):
        position = holding.position
        since = timezone.localtime(position.revised_at).date()
        sent += notify_once(
            recipient=holding.person.user,
            kind=KIND_ACKNOWLEDGEMENT_REMINDER,
            subject_key=f"leadership.position:{position.pk}:r{position.revision}",
            period=iso_week(day),
            title=f"Reminder: acknowledge revision {position.revision} of your position {position.title}",
            body=(
                f"Revision {position.revision} of the description of {position.title} took effect on "
                f"{since:%d %b %Y} and you have not acknowledged it yet. Read it and acknowledge it on "
                "your positions page."
            ),
            url=_link("leadership:my-positions"),
        )
    return sent


# Holders ---------------------------------------------------------------------------------------


@transaction.atomic
def position_holder_assign(
    *,
    actor,
    position: Position,
    person: Person,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
) -> PositionHolder:
    """Make `person` a holder of `position` from `start_date`; they are asked to acknowledge it."""
    _require(actor, "leadership.change_position", "Only the management representative assigns position holders.")
    if not position.is_active:
        raise ApplicationError(f"{position} is inactive; reactivate it before assigning a holder.")
    if not person.user.is_active:
        raise ValidationError({"person": f"{person}'s account is disabled; only active people can hold a position."})
    holder = PositionHolder(position=position, person=person, start_date=start_date, end_date=end_date)
    _save_with_actor(holder, actor)
    if holder.end_date is None or holder.end_date >= timezone.localdate():
        from leadership.tasks.positions import position_request_acknowledgements_task

        outbox.enqueue(position_request_acknowledgements_task, position.pk)
    return holder


@transaction.atomic
def position_holder_end(*, actor, holder: PositionHolder, end_date: datetime.date) -> PositionHolder:
    """Record the last day a person holds a position."""
    _require(actor, "leadership.change_position", "Only the management representative ends position holdings.")
    holder = PositionHolder.objects.select_for_update().select_related("position", "person__user").get(pk=holder.pk)
    if holder.end_date is not None and holder.end_date < timezone.localdate():
        raise ApplicationError(f"This holding already ended on {holder.end_date:%d %b %Y}.")
    if end_date is None:
        raise ValidationError({"end_date": "Give the last day the person holds the position."})
    holder.end_date = end_date
    _save_with_actor(holder, actor)
    return holder


# Acknowledgements ---------------------------------------------------------------------------------


@transaction.atomic
def position_acknowledge(*, actor, position: Position, revision: int | None = None) -> PositionAcknowledgement:
    """The signed-in holder states they have read and understood the current revision of the description.

    `revision` is the revision the holder read: if the description changed since, nothing is
    acknowledged, so nobody acknowledges a text they did not see.
    """
    person = Person.objects.filter(user=actor).first() if actor is not None else None
    holds = (
        person is not None
        and PositionHolder.objects.not_ended().filter(position_id=position.pk, person=person).exists()
    )
    if not holds:
        raise PermissionDenied("You do not hold this position, so you cannot acknowledge its description.")
    position = Position.objects.select_for_update().select_related("department").get(pk=position.pk)
    if not position.is_active:
        raise ApplicationError(f"{position} is no longer active; there is nothing to acknowledge.")
    if revision is not None and revision != position.revision:
        raise ApplicationError(
            f"The description of {position} is now at revision {position.revision}, not {revision}; "
            "read it again before you acknowledge it.",
            extra={"current_revision": position.revision},
        )
    earlier = PositionAcknowledgement.objects.filter(position=position, person=person, revision=position.revision)
    done = earlier.first()
    if done is not None:
        raise ApplicationError(
            f"You already acknowledged revision {done.revision} of {position} on "
            f"{timezone.localtime(done.acknowledged_at):%d %b %Y %H:%M}."
        )
    acknowledgement = PositionAcknowledgement(
        position=position,
        person=person,
        revision=position.revision,
        acknowledged_at=timezone.now(),
        content_sha256=content_hash(canonical_text(position.description_content())),
    )
    _save_with_actor(acknowledgement, actor)
    return acknowledgement


# The management representative --------------------------------------------------------------------

APPOINTMENT_EDITABLE = ("person", "powers", "budget_limit", "budget_currency", "start_date", "end_date")
DRAFTING_PERMISSION = "leadership.add_managementrepresentativeappointment"
SIGNING_PERMISSION = "leadership.sign_managementrepresentativeappointment"


def _check_appointee(person: Person | None) -> None:
    if person is not None and not person.user.is_active:
        raise ValidationError({"person": f"{person}'s account is disabled; appoint an active person."})


@transaction.atomic
def management_representative_appointment_create(
    *,
    actor,
    person: Person,
    powers: str,
    budget_limit: decimal.Decimal,
    start_date: datetime.date,
    budget_currency: str | None = None,
    end_date: datetime.date | None = None,
) -> ManagementRepresentativeAppointment:
    """Draft the appointment of the management representative, for top management to sign."""
    _require(actor, DRAFTING_PERMISSION, "Only the management representative drafts the appointment.")
    _check_appointee(person)
    appointment = ManagementRepresentativeAppointment(
        person=person,
        powers="\n".join(lines(powers)),
        budget_limit=budget_limit,
        budget_currency=(budget_currency or default_currency()).strip().upper(),
        start_date=start_date,
        end_date=end_date,
    )
    _save_with_actor(appointment, actor)
    return appointment


@transaction.atomic
def management_representative_appointment_update(
    *, actor, appointment: ManagementRepresentativeAppointment, **changes
) -> ManagementRepresentativeAppointment:
    """Change a draft appointment. A signed appointment is evidence and never changes."""
    _require(actor, DRAFTING_PERMISSION, "Only the management representative drafts the appointment.")
    stored = ManagementRepresentativeAppointment.objects.select_for_update().get(pk=appointment.pk)
    if stored.status != ManagementRepresentativeAppointment.Status.DRAFT:
        raise ApplicationError(
            f"This appointment is {stored.get_status_display().lower()} and cannot be changed; "
            "draft a new appointment instead."
        )
    for field, value in changes.items():
        if field not in APPOINTMENT_EDITABLE:
            raise ValueError(f"{field} cannot be changed through management_representative_appointment_update")
        if field == "powers":
            value = "\n".join(lines(value))
        elif field == "budget_currency":
            value = (value or default_currency()).strip().upper()
        setattr(appointment, field, value)
    _check_appointee(appointment.person)
    _save_with_actor(appointment, actor)
    return appointment


def _grant_management_representative_role(*, actor, person: Person) -> bool:
    """Add the management representative role, keeping every other role and group the person has."""
    groups = list(person.user.groups.all())
    names = {g.name for g in groups}
    if Role.MANAGEMENT_REPRESENTATIVE.value in names:
        return False
    roles = [r for r in Role.values if r in names] + [Role.MANAGEMENT_REPRESENTATIVE.value]
    person_set_roles(actor=actor, person=person, roles=roles)
    # person_set_roles sets exactly the roles given; groups that are not roles are put back.
    others = [g for g in groups if g.name not in Role.values]
    if others:
        person.user.groups.add(*others)
    return True


@signing_service
@transaction.atomic
def management_representative_appointment_sign(
    *, actor, appointment: ManagementRepresentativeAppointment, password: str, otp_code: str = ""
) -> ManagementRepresentativeAppointment:
    """A member of top management signs the appointment (meaning "approved"), which puts it in force.

    The appointment in force until now ends the day before the new one starts, the appointed
    person gets the management representative role, and the signer's commitment log records it.
    """
    Status = ManagementRepresentativeAppointment.Status
    if actor is None or not actor.has_perm(SIGNING_PERMISSION):
        raise PermissionDenied("Only top management can sign the appointment of the management representative.")
    if not actor.groups.filter(name=Role.TOP_MANAGEMENT).exists():
        raise PermissionDenied("Only a member of top management can sign the appointment.")
    appointment = (
        ManagementRepresentativeAppointment.objects.select_for_update()
        .select_related("person__user")
        .get(pk=appointment.pk)
    )
    if appointment.status != Status.DRAFT:
        raise ApplicationError(f"This appointment is already {appointment.get_status_display().lower()}.")
    if appointment.person.user_id == actor.pk:
        raise PermissionDenied("You cannot sign your own appointment; another member of top management must.")
    _check_appointee(appointment.person)
    today = timezone.localdate()
    if appointment.end_date is not None and appointment.end_date < today:
        raise ValidationError({"end_date": "The end date has passed; correct it before signing."})
    previous = ManagementRepresentativeAppointment.objects.select_for_update().filter(status=Status.SIGNED).first()
    if previous is not None and appointment.start_date <= previous.start_date:
        raise ValidationError(
            {
                "start_date": f"It must start after {previous.start_date:%d %b %Y}, the start of the appointment "
                f"in force ({previous.person}), which it replaces."
            }
        )

    person = appointment.person
    amount = f"{appointment.budget_limit:,.2f} {appointment.budget_currency}"
    statement = (
        f"I appoint {person.full_name} as management representative from {appointment.start_date:%d %b %Y}, "
        f"with the powers stated and an improvement budget limit of {amount}."
    )[:300]
    signature = signature_sign(
        actor=actor,
        record=appointment,
        meaning="approved",
        password=password,
        otp_code=otp_code,
        content=canonical_text(appointment.signed_content()),
        statement=statement,
    )
    if previous is not None:
        last_day = appointment.start_date - datetime.timedelta(days=1)
        previous.end_date = min(previous.end_date, last_day) if previous.end_date else last_day
        previous.status = Status.ENDED
        previous.superseded_by = appointment
        _save_with_actor(previous, actor)
    appointment.signature = signature
    appointment.status = Status.SIGNED
    _save_with_actor(appointment, actor)
    _grant_management_representative_role(actor=actor, person=person)
    signer = Person.objects.filter(user=actor).first()
    if signer is not None:
        commitment_record_from(
            person=signer,
            source=CommitmentEntry.Source.APPOINTMENT_SIGNED,
            source_record=appointment,
            date=today,
            description=(
                f"Appointed {person.full_name} as management representative from "
                f"{appointment.start_date:%d %b %Y}, with authority to approve improvement spending up to {amount}."
            ),
            requirement_ids=APPOINTMENT_COMMITMENT_IDS,
        )
    return appointment


def management_representative_appointment_end_expired(*, day: datetime.date | None = None) -> int:
    """End the signed appointment whose end date has passed. Returns how many ended now.

    Idempotent: each row is re-read under a lock and changed only while still signed.
    """
    day = day or timezone.localdate()
    Status = ManagementRepresentativeAppointment.Status
    ended = 0
    expired = ManagementRepresentativeAppointment.objects.filter(status=Status.SIGNED, end_date__lt=day)
    for pk in expired.values_list("pk", flat=True):
        with transaction.atomic():
            appointment = (
                ManagementRepresentativeAppointment.objects.select_for_update()
                .filter(pk=pk, status=Status.SIGNED)
                .first()
            )
            if appointment is None:
                continue
            appointment.status = Status.ENDED
            _save_with_actor(appointment, None)
            ended += 1
    return ended
