"""Writes of customer focus (5.1.2): feedback and its lifecycle, requirements, targets, order volumes, CSV import."""

import datetime
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import IntegerField, Max
from django.db.models.functions import Cast, Substr
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from leadership.models import Department, Person
from leadership.models.commitment import CommitmentEntry
from leadership.models.customers import Customer, CustomerFeedback, CustomerRequirement, OrderVolume, ResponseTarget
from leadership.roles import Role
from leadership.selectors import customers as selectors
from leadership.services.commitment import commitment_record_from
from qms import outbox
from qms.concurrency import check_version
from qms.csvimport import parse_rows, read_upload
from qms.exceptions import ApplicationError
from qms.notifications import Message, iso_week, notify_many, notify_once

Type = CustomerFeedback.Type
Status = CustomerFeedback.Status
Severity = CustomerFeedback.Severity

RESPOND_PERMISSION = "leadership.respond_customerfeedback"
CHANGE_PERMISSION = "leadership.change_customerfeedback"
# The 5.1.1 item a top manager's response to customer feedback evidences in the commitment log.
COMMITMENT_REQUIREMENT_IDS = ["5.1.1.g"]


def _save_with_actor(instance, actor, *, exclude=None) -> None:
    """Validate and save, recording `actor` as the author of the history entry."""
    instance.full_clean(exclude=exclude)
    instance._history_user = actor
    instance.save()


def _require_perm(actor, permission: str, doing: str) -> None:
    if actor is None or not actor.has_perm(permission):
        raise PermissionDenied(f"You do not have permission to {doing}.")


def _check_day(day: datetime.date, field_name: str, *, not_before: datetime.date | None, before_what: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field_name: f"{day:%Y-%m-%d} is in the future; give the day it happened."})
    if not_before and day < not_before:
        raise ValidationError({field_name: f"{day:%Y-%m-%d} is before {before_what} ({not_before:%Y-%m-%d})."})


# Customers ----------------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    return " ".join((name or "").split())


@transaction.atomic
def customer_get_or_create(*, actor, name: str) -> Customer:
    """The customer of this name (case and spacing ignored), created if it is new."""
    cleaned = _clean_name(name)
    if not cleaned:
        raise ValidationError({"customer": "Give the customer's name."})
    existing = Customer.objects.filter(name__iexact=cleaned).first()
    if existing is not None:
        return existing
    customer = Customer(name=cleaned)
    try:
        _save_with_actor(customer, actor)
    except ValidationError as exc:
        raise ValidationError({"customer": exc.messages}) from exc
    return customer


CUSTOMER_EDITABLE = ("name", "account_code", "is_active")


@transaction.atomic
def customer_update(*, actor, customer: Customer, **changes) -> Customer:
    for name, value in changes.items():
        if name not in CUSTOMER_EDITABLE:
            raise ValueError(f"{name} cannot be changed through customer_update")
        setattr(customer, name, value)
    _save_with_actor(customer, actor)
    return customer


def _resolve_customer(actor, customer: Customer | str) -> Customer:
    return customer if isinstance(customer, Customer) else customer_get_or_create(actor=actor, name=customer)


# Response targets ---------------------------------------------------------------------------


@transaction.atomic
def response_target_create(*, actor, severity: str, days_to_response: int, days_to_close: int) -> ResponseTarget:
    if ResponseTarget.objects.filter(severity=severity).exists():
        raise ValidationError({"severity": f"A target for {severity} feedback exists already; change that one."})
    target = ResponseTarget(severity=severity, days_to_response=days_to_response, days_to_close=days_to_close)
    _save_with_actor(target, actor)
    return target


RESPONSE_TARGET_EDITABLE = ("days_to_response", "days_to_close")


@transaction.atomic
def response_target_update(*, actor, target: ResponseTarget, **changes) -> ResponseTarget:
    for name, value in changes.items():
        if name not in RESPONSE_TARGET_EDITABLE:
            raise ValueError(f"{name} cannot be changed through response_target_update")
        setattr(target, name, value)
    _save_with_actor(target, actor)
    return target


@transaction.atomic
def response_target_set(*, actor, severity: str, days_to_response: int, days_to_close: int) -> ResponseTarget:
    """Configure the target of one severity, replacing the default or the earlier value.

    Feedback already registered keeps the due days it was given; the new target applies to
    feedback registered from now on.
    """
    target = ResponseTarget.objects.filter(severity=severity).first()
    if target is None:
        return response_target_create(
            actor=actor, severity=severity, days_to_response=days_to_response, days_to_close=days_to_close
        )
    return response_target_update(
        actor=actor, target=target, days_to_response=days_to_response, days_to_close=days_to_close
    )


# Feedback -----------------------------------------------------------------------------------


def _next_reference_numbers(year: int, count: int = 1) -> list[str]:
    prefix = f"CF-{year}-"
    last = (
        CustomerFeedback.objects.filter(reference__startswith=prefix)
        .annotate(number=Cast(Substr("reference", len(prefix) + 1), IntegerField()))
        .aggregate(last=Max("number"))["last"]
        or 0
    )
    return [f"{prefix}{n:04d}" for n in range(last + 1, last + 1 + count)]


# Feedback received before this is a mistyped year (0026 for 2026), not an old letter: its due
# days and yearly reference would make no sense, and a year near 9999 overflows the due days.
EARLIEST_RECEIVED_DATE = datetime.date(2000, 1, 1)


def _check_received_date(day: datetime.date | None) -> None:
    """ValidationError on "received_date" unless `day` is between 2000 and today."""
    if day is None:
        return
    if day > timezone.localdate():
        raise ValidationError({"received_date": f"{day.isoformat()} is in the future; give the day it was received."})
    if day < EARLIEST_RECEIVED_DATE:
        raise ValidationError(
            {"received_date": f"{day.isoformat()} is before {EARLIEST_RECEIVED_DATE.year}; check the year."}
        )


def _set_due_dates(feedback: CustomerFeedback, targets: dict[str, tuple[int, int]]) -> None:
    if feedback.severity and feedback.received_date and feedback.severity in targets:
        to_response, to_close = targets[feedback.severity]
        feedback.response_due_on = feedback.received_date + datetime.timedelta(days=to_response)
        feedback.close_due_on = feedback.received_date + datetime.timedelta(days=to_close)
    else:
        feedback.response_due_on = feedback.close_due_on = None


def _dispatch_owner_notification(feedback: CustomerFeedback, actor) -> None:
    if feedback.owner_id is None or not feedback.needs_response:
        return
    if actor is not None and feedback.owner.user_id == actor.pk:
        return
    # Imported here: the tasks module imports this one.
    from leadership.tasks.customers import customer_feedback_notify_owner_task

    pk = feedback.pk
    outbox.enqueue(customer_feedback_notify_owner_task, pk)


@transaction.atomic
def customer_feedback_create(
    *,
    actor,
    type: str,
    customer: Customer | str,
    channel: str,
    received_date: datetime.date,
    description: str,
    department: Department,
    product: str = "",
    severity: str = "",
    satisfaction_score: int | None = None,
    owner: Person | None = None,
) -> CustomerFeedback:
    """Register feedback as new, with a generated reference and due days from the response targets.

    The owner defaults to the head of the responsible department and is told by e-mail.
    """
    _check_received_date(received_date)
    feedback = CustomerFeedback(
        type=type,
        customer=_resolve_customer(actor, customer),
        channel=channel,
        received_date=received_date,
        product=(product or "").strip(),
        severity=severity or "",
        satisfaction_score=satisfaction_score,
        description=description,
        department=department,
        owner=owner or (department.head if department else None),
    )
    if received_date:
        feedback.reference = _next_reference_numbers(received_date.year)[0]
    _set_due_dates(feedback, selectors.response_target_days())
    # Without a received date there is no reference yet; the date's own error says what is missing.
    _save_with_actor(feedback, actor, exclude=None if feedback.reference else ["reference"])
    _dispatch_owner_notification(feedback, actor)
    return feedback


FEEDBACK_EDITABLE = (
    "type",
    "customer",
    "channel",
    "received_date",
    "product",
    "severity",
    "satisfaction_score",
    "description",
    "department",
    "owner",
)
# What the response-time compliance is measured on: frozen once management has responded.
FROZEN_AFTER_RESPONSE = ("type", "received_date", "severity")


@transaction.atomic
def customer_feedback_update(
    *, actor, feedback: CustomerFeedback, expected_version: int | None = None, **changes
) -> CustomerFeedback:
    """Correct the details of feedback that is not closed; the history keeps the earlier values.

    With `expected_version` (the version the user opened), feedback someone saved meanwhile is
    refused with `EditConflict`, which names what they changed; so are the lifecycle steps below.
    """
    feedback = CustomerFeedback.objects.select_for_update(of=("self",)).select_related("department").get(pk=feedback.pk)
    check_version(feedback, expected_version)
    if feedback.status == Status.CLOSED:
        raise ApplicationError(f"{feedback.reference} is closed; its record can no longer be changed.")
    before = {name: getattr(feedback, name) for name in FEEDBACK_EDITABLE}
    for name, value in changes.items():
        if name not in FEEDBACK_EDITABLE:
            raise ValueError(f"{name} cannot be changed through customer_feedback_update")
        if name == "customer":
            value = _resolve_customer(actor, value)
        if name in ("severity", "product"):
            value = (value or "").strip()
        setattr(feedback, name, value)
    if "owner" in changes and changes["owner"] is None and feedback.department_id:
        # As when registering: no owner named means the head of the responsible department.
        feedback.owner = feedback.department.head
    if feedback.status == Status.RESPONDED:
        frozen = dict.fromkeys(FROZEN_AFTER_RESPONSE, "cannot change after management's response")
        errors = {n: f"The {n.replace('_', ' ')} {m}." for n, m in frozen.items() if getattr(feedback, n) != before[n]}
        if errors:
            raise ValidationError(errors)
    if (feedback.severity, feedback.received_date) != (before["severity"], before["received_date"]):
        if feedback.received_date != before["received_date"]:
            _check_received_date(feedback.received_date)
        _set_due_dates(feedback, selectors.response_target_days())
    _save_with_actor(feedback, actor)
    if feedback.owner_id != getattr(before["owner"], "pk", None):
        _dispatch_owner_notification(feedback, actor)
    return feedback


@transaction.atomic
def customer_feedback_assess(
    *,
    actor,
    feedback: CustomerFeedback,
    assessment_note: str,
    root_cause: str = "",
    assessed_on: datetime.date | None = None,
    expected_version: int | None = None,
) -> CustomerFeedback:
    """Record the assessment of new feedback: what it means, and the root cause where known."""
    _require_perm(actor, CHANGE_PERMISSION, "assess customer feedback")
    feedback = CustomerFeedback.objects.select_for_update().get(pk=feedback.pk)
    check_version(feedback, expected_version)
    if feedback.status != Status.NEW:
        raise ApplicationError(f"{feedback.reference} is already {feedback.get_status_display().lower()}.")
    if not (assessment_note or "").strip():
        raise ValidationError({"assessment_note": "Say what the assessment found."})
    assessed_on = assessed_on or timezone.localdate()
    _check_day(assessed_on, "assessed_on", not_before=feedback.received_date, before_what="the day it was received")
    feedback.assessment_note = assessment_note.strip()
    feedback.root_cause = (root_cause or "").strip()
    feedback.assessed_on = assessed_on
    feedback.assessed_by = actor
    feedback.status = Status.ASSESSED
    _save_with_actor(feedback, actor)
    return feedback


@transaction.atomic
def customer_feedback_respond(
    *,
    actor,
    feedback: CustomerFeedback,
    response: str,
    responded_on: datetime.date | None = None,
    expected_version: int | None = None,
) -> CustomerFeedback:
    """Record management's response: the decision taken, by whom, when.

    A response by a top manager is logged in the commitment log (5.1.1.g) in the same transaction.
    """
    _require_perm(actor, RESPOND_PERMISSION, "record management's response to customer feedback")
    feedback = CustomerFeedback.objects.select_for_update().select_related("customer").get(pk=feedback.pk)
    # Two managers recording a response at once: the second sees the first's instead of a bare refusal.
    check_version(feedback, expected_version)
    if feedback.status == Status.NEW:
        raise ApplicationError(f"Assess {feedback.reference} before recording management's response.")
    if feedback.status != Status.ASSESSED:
        raise ApplicationError(f"{feedback.reference} already has management's response.")
    if not (response or "").strip():
        raise ValidationError({"response": "Say what management decided."})
    responded_on = responded_on or timezone.localdate()
    _check_day(responded_on, "responded_on", not_before=feedback.assessed_on, before_what="the assessment")
    feedback.response = response.strip()
    feedback.responded_on = responded_on
    feedback.responded_by = actor
    feedback.status = Status.RESPONDED
    _save_with_actor(feedback, actor)

    person = Person.objects.filter(user=actor).select_related("user").first()
    if person is not None:
        severity = f", {feedback.get_severity_display().lower()}" if feedback.severity else ""
        commitment_record_from(
            person=person,
            source=CommitmentEntry.Source.FEEDBACK_RESPONDED,
            source_record=feedback,
            date=responded_on,
            description=(
                f"Responded to {feedback.reference} ({feedback.get_type_display().lower()} from "
                f"{feedback.customer}{severity}): {feedback.response}"
            ),
            requirement_ids=COMMITMENT_REQUIREMENT_IDS,
        )
    return feedback


@transaction.atomic
def customer_feedback_close(
    *,
    actor,
    feedback: CustomerFeedback,
    effectiveness_check: str = "",
    closed_on: datetime.date | None = None,
    expected_version: int | None = None,
) -> CustomerFeedback:
    """Close feedback once the effect of management's response has been verified.

    Compliments and survey responses may close straight after assessment, without a response.
    """
    _require_perm(actor, CHANGE_PERMISSION, "close customer feedback")
    feedback = CustomerFeedback.objects.select_for_update().get(pk=feedback.pk)
    check_version(feedback, expected_version)
    if feedback.status == Status.CLOSED:
        raise ApplicationError(f"{feedback.reference} is already closed.")
    if feedback.status == Status.NEW:
        raise ApplicationError(f"Assess {feedback.reference} before closing it.")
    if feedback.status == Status.ASSESSED and feedback.needs_response:
        raise ApplicationError(
            f"{feedback.reference} is a {feedback.get_type_display().lower()}: it needs management's response "
            "before it can be closed."
        )
    note = (effectiveness_check or "").strip()
    if feedback.status == Status.RESPONDED and not note:
        raise ValidationError({"effectiveness_check": "Say how it was verified that management's response worked."})
    closed_on = closed_on or timezone.localdate()
    last_step = feedback.responded_on or feedback.assessed_on
    _check_day(closed_on, "closed_on", not_before=last_step, before_what="the previous step")
    feedback.effectiveness_check = note
    feedback.closed_on = closed_on
    feedback.closed_by = actor
    feedback.status = Status.CLOSED
    _save_with_actor(feedback, actor)
    return feedback


# Notifications ------------------------------------------------------------------------------


def customer_feedback_notify_owner(*, feedback_id: int) -> bool:
    """Tell the owner that feedback needing their attention was assigned to them (once per owner)."""
    feedback = selectors.customer_feedback_list().filter(pk=feedback_id).first()
    if feedback is None or feedback.owner is None or feedback.status == Status.CLOSED:
        return False
    user = feedback.owner.user
    if not user.is_active:
        return False
    due = f" Management's response is due by {feedback.response_due_on:%d %b %Y}." if feedback.response_due_on else ""
    return notify_once(
        recipient=user,
        kind="customer-feedback-assigned",
        subject_key=f"leadership.customerfeedback:{feedback.pk}",
        period="assigned",
        title=f"{feedback.reference}: {feedback.get_type_display().lower()} from {feedback.customer} assigned to you",
        body=(
            f"{feedback.description}\n\nReceived {feedback.received_date:%d %b %Y} "
            f"by {feedback.get_channel_display()}.{due}"
        ),
        url=settings.BASE_URL + feedback.get_absolute_url(),
    )


def customer_feedback_notify_overdue(*, today: datetime.date | None = None) -> int:
    """Remind owners and the management representative of overdue feedback; returns messages sent.

    Each person hears about each overdue record at most once a week (per kind), however often
    the task runs: the notifications' unique constraint decides. The messages are inserted and
    e-mailed together (notify_many), so the queries do not grow with the number sent.
    """
    today = today or timezone.localdate()
    period = iso_week(today)
    representatives = list(
        get_user_model().objects.filter(groups__name=Role.MANAGEMENT_REPRESENTATIVE, is_active=True).distinct()
    )
    messages = []
    for feedback in selectors.customer_feedback_overdue(today=today):
        recipients = {u.pk: u for u in representatives}
        if feedback.owner is not None and feedback.owner.user.is_active:
            recipients[feedback.owner.user.pk] = feedback.owner.user
        checks = []
        if feedback.overdue_response:
            checks.append(("customer-feedback-response-overdue", "management's response", feedback.response_due_on))
        if feedback.overdue_close:
            checks.append(("customer-feedback-close-overdue", "closure", feedback.close_due_on))
        for kind, what, due in checks:
            days = (today - due).days
            for user in recipients.values():
                messages.append(
                    Message(
                        recipient=user,
                        kind=kind,
                        subject_key=f"leadership.customerfeedback:{feedback.pk}",
                        period=period,
                        title=f"{feedback.reference} is overdue for {what} ({days} day{'s' if days != 1 else ''})",
                        body=(
                            f"{feedback.get_type_display()} from {feedback.customer}, "
                            f"{feedback.get_severity_display().lower() or 'no'} severity, received "
                            f"{feedback.received_date:%d %b %Y}. {what.capitalize()} was due by {due:%d %b %Y}. "
                            f"Owner: {feedback.owner or 'nobody'}."
                        ),
                        url=settings.BASE_URL + feedback.get_absolute_url(),
                    )
                )
    return len(notify_many(messages))


# CSV import ---------------------------------------------------------------------------------

IMPORT_COLUMNS = (
    "type",
    "customer",
    "channel",
    "received_date",
    "product",
    "severity",
    "satisfaction_score",
    "description",
    "department_code",
)
MAX_IMPORT_BYTES_DEFAULT = 2 * 1024 * 1024
MAX_IMPORT_ROWS_DEFAULT = 5000
MAX_REPORTED_ERRORS = 100
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def import_limits() -> tuple[int, int]:
    """(largest file in bytes, most rows) a CSV import accepts."""
    return (
        int(getattr(settings, "CLAUSE5_CUSTOMER_IMPORT_MAX_BYTES", MAX_IMPORT_BYTES_DEFAULT)),
        int(getattr(settings, "CLAUSE5_CUSTOMER_IMPORT_MAX_ROWS", MAX_IMPORT_ROWS_DEFAULT)),
    )


def _choice_lookup(choices, extra: dict[str, str] | None = None) -> dict[str, str]:
    lookup = {}
    for value, label in choices:
        lookup[value.lower()] = value
        lookup[label.lower()] = value
    lookup.update(extra or {})
    return lookup


TYPE_LOOKUP = _choice_lookup(
    Type.choices, {"survey": Type.SURVEY_RESPONSE, "requirement_change": Type.REQUIREMENT_CHANGE}
)
CHANNEL_LOOKUP = _choice_lookup(CustomerFeedback.Channel.choices, {"e-mail": "email", "mail": "email"})
SEVERITY_LOOKUP = _choice_lookup(Severity.choices)


@dataclass
class ImportResult:
    """What a CSV import created."""

    created: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    new_customers: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        if not self.created:
            return "The file had no rows to import."
        labels = dict(Type.choices)
        parts = ", ".join(f"{n} {labels[t].lower()}{'s' if n != 1 else ''}" for t, n in sorted(self.by_type.items()))
        text = f"Imported {self.created} row{'s' if self.created != 1 else ''} ({parts}) as {self.references[0]}"
        text += f" to {self.references[-1]}." if self.created > 1 else "."
        if self.new_customers:
            text += f" New customer{'s' if len(self.new_customers) != 1 else ''}: {', '.join(self.new_customers)}."
        return text


def _parse_row(values: dict[str, str], departments: dict[str, Department]) -> tuple[dict, dict[str, str]]:
    """The row's values as the model takes them, and the problems per column."""
    data, errors = {}, {}
    raw_type = values["type"]
    data["type"] = TYPE_LOOKUP.get(raw_type.lower())
    if not raw_type:
        errors["type"] = f"is empty; give one of {', '.join(Type.values)}"
    elif data["type"] is None:
        errors["type"] = f"{raw_type} is not a feedback type; use one of {', '.join(Type.values)}"

    customer = _clean_name(values["customer"])
    if not customer:
        errors["customer"] = "is empty; give the customer's name"
    elif len(customer) > 200:
        errors["customer"] = "is longer than 200 characters"
    data["customer"] = customer

    raw_channel = values["channel"]
    data["channel"] = CHANNEL_LOOKUP.get(raw_channel.lower())
    if not raw_channel:
        errors["channel"] = f"is empty; give one of {', '.join(CustomerFeedback.Channel.values)}"
    elif data["channel"] is None:
        errors["channel"] = f"{raw_channel} is not a channel; use one of {', '.join(CustomerFeedback.Channel.values)}"

    raw_date = values["received_date"]
    if not raw_date:
        errors["received_date"] = "is empty; give the day it was received in YYYY-MM-DD form"
    else:
        try:
            if not _DATE_RE.match(raw_date):
                raise ValueError
            data["received_date"] = datetime.date.fromisoformat(raw_date)
        except ValueError:
            errors["received_date"] = f"{raw_date} is not a date in YYYY-MM-DD form"
        else:
            if data["received_date"] > timezone.localdate():
                errors["received_date"] = f"{raw_date} is in the future"
            elif data["received_date"] < EARLIEST_RECEIVED_DATE:
                errors["received_date"] = f"{raw_date} is before {EARLIEST_RECEIVED_DATE.year}; check the year"

    product = values["product"]
    if len(product) > 200:
        errors["product"] = "is longer than 200 characters"
    data["product"] = product

    raw_severity = values["severity"]
    data["severity"] = SEVERITY_LOOKUP.get(raw_severity.lower(), "") if raw_severity else ""
    if raw_severity and not data["severity"]:
        errors["severity"] = f"{raw_severity} is not a severity; use one of {', '.join(Severity.values)}"

    raw_score = values["satisfaction_score"]
    data["satisfaction_score"] = None
    if raw_score:
        try:
            data["satisfaction_score"] = int(raw_score)
        except ValueError:
            errors["satisfaction_score"] = f"{raw_score} is not a whole number from 0 to 10"
        else:
            if not 0 <= data["satisfaction_score"] <= 10:
                errors["satisfaction_score"] = f"{raw_score} is outside the scale of 0 to 10"

    data["description"] = values["description"]
    if not data["description"]:
        errors["description"] = "is empty; say what the customer told you"

    code = values["department_code"]
    data["department"] = departments.get(code.lower())
    if not code:
        errors["department_code"] = "is empty; give the code of the responsible department"
    elif data["department"] is None:
        known = ", ".join(sorted(d.code for d in departments.values()))
        errors["department_code"] = f"{code} is not the code of an active department (known: {known})"
    return data, errors


@transaction.atomic
def customer_feedback_import(*, actor, file) -> ImportResult:
    """Import survey results and complaints from a CSV file: every row, or none.

    Any problem (file, column or row) raises one ValidationError on `file` listing each as
    "Row 7, received_date: ..."; nothing is saved then.
    """
    _require_perm(actor, "leadership.add_customerfeedback", "import customer feedback")
    max_bytes, max_rows = import_limits()
    rows = parse_rows(read_upload(file, max_bytes=max_bytes), expected=IMPORT_COLUMNS, max_rows=max_rows)
    departments = {d.code.lower(): d for d in Department.objects.filter(is_active=True).select_related("head")}
    customers = {c.name.lower(): c for c in Customer.objects.all()}
    targets = selectors.response_target_days()

    problems: list[str] = []
    prepared: list[tuple[int, dict]] = []
    for number, values in rows:
        if "__error__" in values:
            problems.append(f"Row {number}: {values['__error__']}.")
            continue
        data, errors = _parse_row(values, departments)
        if not errors:
            feedback = CustomerFeedback(
                **{k: v for k, v in data.items() if k != "customer"}, owner=data["department"].head
            )
            try:
                # The model's own rules (severity, score by type), without a query per row.
                feedback.clean()
            except ValidationError as exc:
                errors.update({name: " ".join(msgs) for name, msgs in exc.message_dict.items()})
        problems.extend(f"Row {number}, {column}: {message}" for column, message in errors.items())
        if not errors:
            prepared.append((number, data))
    if problems:
        shown = problems[:MAX_REPORTED_ERRORS]
        if len(problems) > MAX_REPORTED_ERRORS:
            shown.append(f"… and {len(problems) - MAX_REPORTED_ERRORS} more problems.")
        raise ValidationError({"file": ["Nothing was imported. Correct these rows and upload the file again.", *shown]})

    result = ImportResult()
    for _number, data in prepared:
        key = data["customer"].lower()
        if key not in customers:
            customers[key] = customer_get_or_create(actor=actor, name=data["customer"])
            result.new_customers.append(customers[key].name)

    objects = []
    for _number, data in prepared:
        feedback = CustomerFeedback(
            **{k: v for k, v in data.items() if k != "customer"},
            customer=customers[data["customer"].lower()],
            owner=data["department"].head,
        )
        objects.append(feedback)
        result.by_type[feedback.type] = result.by_type.get(feedback.type, 0) + 1
    created = customer_feedback_bulk_record(actor=actor, records=objects, targets=targets)
    result.created = len(created)
    result.references = [f.reference for f in created]
    for feedback in created:
        _dispatch_owner_notification(feedback, actor)
    return result


@transaction.atomic
def customer_feedback_bulk_record(
    *, actor, records: list[CustomerFeedback], targets: dict[str, tuple[int, int]] | None = None
) -> list[CustomerFeedback]:
    """Insert many validated feedback records at once, with references, due days and history rows.

    For imports and generated data: each record is checked with the model's rules (clean()),
    references follow the order of `records` within each year, and every record gets its
    creation entry in the history, authored by `actor`. Lifecycle fields already set on a
    record (e.g. historical data that was closed) are kept as given.
    """
    targets = targets if targets is not None else selectors.response_target_days()
    by_year: dict[int, int] = {}
    for feedback in records:
        feedback.clean()
        by_year[feedback.received_date.year] = by_year.get(feedback.received_date.year, 0) + 1
    references = {year: iter(_next_reference_numbers(year, count)) for year, count in sorted(by_year.items())}
    for feedback in records:
        feedback.reference = next(references[feedback.received_date.year])
        _set_due_dates(feedback, targets)
    return bulk_create_with_history(records, CustomerFeedback, batch_size=500, default_user=actor)


# Customer requirements ----------------------------------------------------------------------


@transaction.atomic
def customer_requirement_create(
    *,
    actor,
    requirement: str,
    category: str,
    department: Department,
    process: str,
    verification: str,
    source: str,
    review_date: datetime.date,
    customer: Customer | str | None = None,
    source_reference: str = "",
    is_active: bool = True,
) -> CustomerRequirement:
    """Register a customer or legal requirement and the process that meets it (5.1.2.a)."""
    item = CustomerRequirement(
        requirement=(requirement or "").strip(),
        customer=_resolve_customer(actor, customer) if customer else None,
        category=category,
        department=department,
        process=(process or "").strip(),
        verification=(verification or "").strip(),
        source=source,
        source_reference=(source_reference or "").strip(),
        review_date=review_date,
        is_active=is_active,
    )
    _save_with_actor(item, actor)
    return item


CUSTOMER_REQUIREMENT_EDITABLE = (
    "requirement",
    "customer",
    "category",
    "department",
    "process",
    "verification",
    "source",
    "source_reference",
    "is_active",
    "review_date",
)


@transaction.atomic
def customer_requirement_update(*, actor, item: CustomerRequirement, **changes) -> CustomerRequirement:
    for name, value in changes.items():
        if name not in CUSTOMER_REQUIREMENT_EDITABLE:
            raise ValueError(f"{name} cannot be changed through customer_requirement_update")
        if name == "customer":
            value = _resolve_customer(actor, value) if value else None
        setattr(item, name, value)
    _save_with_actor(item, actor)
    return item


# Order volumes ------------------------------------------------------------------------------


def _month_start(month: datetime.date) -> datetime.date:
    if not isinstance(month, datetime.date):
        raise ValidationError({"month": "Give the month as a date, e.g. 2026-03-01."})
    start = month.replace(day=1)
    if start > timezone.localdate().replace(day=1):
        raise ValidationError({"month": f"{start:%B %Y} has not begun; enter orders once the month is under way."})
    return start


@transaction.atomic
def order_volume_create(*, actor, month: datetime.date, orders: int, note: str = "") -> OrderVolume:
    """Enter the number of orders of a month (any day of it stands for the month)."""
    start = _month_start(month)
    if OrderVolume.objects.filter(month=start).exists():
        raise ValidationError({"month": f"Orders for {start:%B %Y} are entered already; correct that entry instead."})
    volume = OrderVolume(month=start, orders=orders, note=(note or "").strip())
    _save_with_actor(volume, actor)
    return volume


ORDER_VOLUME_EDITABLE = ("orders", "note")


@transaction.atomic
def order_volume_update(*, actor, volume: OrderVolume, **changes) -> OrderVolume:
    for name, value in changes.items():
        if name == "month":
            if value is not None and _month_start(value) != volume.month:
                raise ValidationError({"month": "The month of an entry cannot change; enter the other month instead."})
            continue
        if name not in ORDER_VOLUME_EDITABLE:
            raise ValueError(f"{name} cannot be changed through order_volume_update")
        setattr(volume, name, value)
    _save_with_actor(volume, actor)
    return volume
