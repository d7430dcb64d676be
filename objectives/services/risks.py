"""Services of the risk and opportunity register (6.1, 5.1.1.d, 5.1.2.b).

Management, department managers and QA staff register risks and opportunities, score them
(likelihood x impact), record the treatment and the action that carries it, and review them by
their next review date. Marking a risk reviewed records who reviewed it and when: the evidence
that management reviews the register (5.1.1.d). A closed risk stays in the register unchanged
until it is reopened.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from leadership.models import Department, Person
from leadership.models.commitment import CommitmentEntry
from leadership.models.customers import CustomerRequirement
from leadership.services.commitment import commitment_record_from
from objectives.models import Objective
from objectives.models.risks import Risk
from qms.exceptions import ApplicationError

REFERENCE_PREFIX = "RO"
NEEDS_TREATMENT = (Risk.Status.TREATING, Risk.Status.MONITORING)
RISK_EDITABLE = (
    "title",
    "description",
    "type",
    "source",
    "likelihood",
    "impact",
    "treatment",
    "action",
    "owner",
    "department",
    "status",
    "next_review_date",
    "objectives",
    "customer_requirements",
)
M2M_FIELDS = ("objectives", "customer_requirements")


def _check(actor, permission: str, message: str) -> None:
    if actor is not None and not actor.has_perm(permission):
        raise PermissionDenied(message)


def _validate(risk: Risk) -> None:
    errors = {}
    try:
        risk.full_clean(exclude=["reference"])
    except ValidationError as exc:
        errors = exc.message_dict
    if risk.status in NEEDS_TREATMENT and not risk.treatment.strip() and "treatment" not in errors:
        errors["treatment"] = [
            f"Describe the treatment before setting the status to {risk.get_status_display().lower()}."
        ]
    if errors:
        raise ValidationError(errors)


def next_reference() -> str:
    """The next free reference, e.g. RO-013 after RO-012."""
    start = f"{REFERENCE_PREFIX}-"
    numbers = [
        int(ref[len(start) :])
        for ref in Risk.objects.filter(reference__startswith=start).values_list("reference", flat=True)
        if ref[len(start) :].isdigit()
    ]
    return f"{start}{max(numbers, default=0) + 1:03d}"


def _set_links(risk: Risk, actor, name: str, records: Iterable | None) -> None:
    if records is None:
        return
    wanted = {r.pk for r in records}
    manager = getattr(risk, name)
    # set() with the same members would still write a history entry for nothing.
    if wanted != set(manager.values_list("pk", flat=True)):
        risk._history_user = actor
        manager.set(wanted)


@transaction.atomic
def risk_create(
    *,
    actor,
    title: str,
    description: str,
    type: str,
    source: str,
    likelihood: int,
    impact: int,
    owner: Person,
    next_review_date: datetime.date,
    treatment: str = "",
    action: str = "",
    status: str = Risk.Status.OPEN,
    department: Department | None = None,
    objectives: Iterable[Objective] = (),
    customer_requirements: Iterable[CustomerRequirement] = (),
) -> Risk:
    """Register a risk or an opportunity under the next RO reference; the score is likelihood x impact."""
    _check(actor, "objectives.add_risk", "Your role cannot add risks or opportunities.")
    risk = Risk(
        title=(title or "").strip(),
        description=(description or "").strip(),
        type=type,
        source=source,
        likelihood=likelihood,
        impact=impact,
        owner=owner,
        next_review_date=next_review_date,
        treatment=(treatment or "").strip(),
        action=(action or "").strip(),
        status=status,
        department=department,
    )
    _validate(risk)
    risk._history_user = actor
    # Two registrations at the same moment may pick the same number; the unique constraint
    # refuses the second, which takes the next one.
    for _attempt in range(5):
        risk.reference = next_reference()
        try:
            with transaction.atomic():
                risk.save()
            break
        except IntegrityError:
            risk.pk = None
            if not Risk.objects.filter(reference=risk.reference).exists():
                raise
    else:
        raise ApplicationError("Could not allocate a reference; please try again.")
    _set_links(risk, actor, "objectives", objectives)
    _set_links(risk, actor, "customer_requirements", customer_requirements)
    return risk


@transaction.atomic
def risk_update(*, actor, risk: Risk, **changes) -> Risk:
    """Change a risk's description, scoring, treatment, owner, status or links.

    A closed risk is kept as it was closed: only reopening it (a status other than closed)
    lets its other fields change.
    """
    _check(actor, "objectives.change_risk", "Your role cannot change risks or opportunities.")
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    links = {}
    was_closed = risk.status == Risk.Status.CLOSED
    changed = set()
    for name, value in changes.items():
        if name not in RISK_EDITABLE:
            raise ValueError(f"{name} cannot be changed through risk_update")
        if name in M2M_FIELDS:
            if value is not None and {r.pk for r in value} != set(getattr(risk, name).values_list("pk", flat=True)):
                changed.add(name)
            links[name] = value
            continue
        if isinstance(value, str):
            value = value.strip()
        if getattr(risk, name) != value:
            changed.add(name)
        setattr(risk, name, value)
    if was_closed and risk.status == Risk.Status.CLOSED and changed - {"status"}:
        raise ApplicationError(f"{risk.reference} is closed: reopen it (set another status) before changing it.")
    _validate(risk)
    risk._history_user = actor
    risk.save()
    for name, value in links.items():
        _set_links(risk, actor, name, value)
    return risk


@transaction.atomic
def risk_mark_reviewed(
    *, actor, risk: Risk, next_review_date: datetime.date, note: str = "", today: datetime.date | None = None
) -> Risk:
    """Record that `actor` reviewed the risk today, and when it is reviewed next (5.1.1.d)."""
    _check(actor, "objectives.change_risk", "Your role cannot review risks or opportunities.")
    today = today or timezone.localdate()
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    if risk.status == Risk.Status.CLOSED:
        raise ApplicationError(f"{risk.reference} is closed: reopen it before reviewing it.")
    if not isinstance(next_review_date, datetime.date) or next_review_date <= today:
        raise ValidationError({"next_review_date": "Give the date of the next review, after today."})
    risk.last_reviewed_on = today
    risk.last_reviewed_by = actor
    risk.last_review_note = (note or "").strip()
    risk.next_review_date = next_review_date
    _validate(risk)
    risk._history_user = actor
    risk.save()
    # A top manager reviewing the register is risk-based thinking promoted from the top (5.1.1.d).
    if hasattr(actor, "person"):
        commitment_record_from(
            person=actor.person,
            source=CommitmentEntry.Source.RISKS_REVIEWED,
            source_record=risk,
            date=today,
            description=f"Reviewed {risk.reference} ({risk.get_type_display().lower()}): {risk.description}"[:4000],
            requirement_ids=["5.1.1.d"],
        )
    return risk
