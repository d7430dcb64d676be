"""Services of resource requests and the quality budget (5.1.1.e, 7.1).

A request is submitted by someone who needs a resource, decided by top management with an
e-signature (approved or rejected, with a reason) and, once approved, spending is recorded
against it. Decided requests never change: the signature covers what was decided.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from leadership.models import Department, Person
from leadership.models.commitment import CommitmentEntry
from leadership.models.resources import QualityBudget, ResourceRequest, ResourceSpend, default_currency
from leadership.selectors.resources import resource_request_signed_content
from leadership.services.commitment import commitment_record_from
from qms import outbox
from qms.exceptions import ApplicationError
from qms.notifications import notify_once
from qms.references import save_with_reference
from qms.signatures import signature_sign, signing_service

REFERENCE_PREFIX = "RR"


def _save_with_actor(instance, actor) -> None:
    instance.full_clean()
    instance._history_user = actor
    instance.save()


def _person_of(user) -> Person | None:
    return Person.objects.filter(user=user).select_related("user", "department").first() if user else None


def _requirement_ids(category: str) -> list[str]:
    ids = ["5.1.1.e"]
    if category == ResourceRequest.Category.TRAINING:
        # Approving training is how top management supports people to contribute (5.1.1.h).
        ids.append("5.1.1.h")
    return ids


# Requests ------------------------------------------------------------------------------------


@transaction.atomic
def resource_request_create(
    *,
    actor,
    title: str,
    category: str,
    amount: Decimal,
    justification: str,
    needed_by: datetime.date,
    currency: str = "",
    department: Department | None = None,
    serves: str = "",
) -> ResourceRequest:
    """Submit a resource request as the signed-in person; top management's deciders are told."""
    if not actor.has_perm("leadership.add_resourcerequest"):
        raise PermissionDenied("Your role cannot request resources.")
    requester = _person_of(actor)
    if requester is None:
        raise ValidationError({"requester": "Your account has no person profile; ask the management representative."})
    request = ResourceRequest(
        title=title,
        category=category,
        amount=amount,
        currency=(currency or default_currency()).upper(),
        justification=justification,
        needed_by=needed_by,
        requester=requester,
        department=department or requester.department,
        serves=serves,
        requirement_ids=_requirement_ids(category),
    )
    save_with_reference(request, actor, REFERENCE_PREFIX)
    from leadership.tasks.resources import resource_request_notify_deciders_task

    outbox.enqueue(resource_request_notify_deciders_task, request.pk)
    return request


REQUEST_EDITABLE = ("title", "category", "amount", "currency", "justification", "department", "serves", "needed_by")


def _check_submitted(request: ResourceRequest, doing: str) -> None:
    if request.status != ResourceRequest.Status.SUBMITTED:
        raise ApplicationError(
            f"{request.reference} is {request.get_status_display().lower()}: only a submitted request can be {doing}."
        )


def _is_requester(actor, request: ResourceRequest) -> bool:
    return request.requester.user_id == getattr(actor, "pk", None)


@transaction.atomic
def resource_request_update(*, actor, request: ResourceRequest, **changes) -> ResourceRequest:
    """Change a submitted request: its requester, or the management representative."""
    request = ResourceRequest.objects.select_for_update().select_related("requester").get(pk=request.pk)
    may_edit = actor.has_perm("leadership.change_resourcerequest") or (
        _is_requester(actor, request) and actor.has_perm("leadership.add_resourcerequest")
    )
    if not may_edit:
        raise PermissionDenied("Only the requester or the management representative can edit this request.")
    _check_submitted(request, "edited")
    for field, value in changes.items():
        if field not in REQUEST_EDITABLE:
            raise ValueError(f"{field} cannot be changed through resource_request_update")
        setattr(request, field, value)
    if "currency" in changes:
        request.currency = (request.currency or default_currency()).upper()
    if "department" in changes and request.department is None:
        request.department = request.requester.department
    request.requirement_ids = _requirement_ids(request.category)
    _save_with_actor(request, actor)
    return request


@transaction.atomic
def resource_request_withdraw(*, actor, request: ResourceRequest) -> ResourceRequest:
    """The requester takes back a request that is still waiting for a decision."""
    request = ResourceRequest.objects.select_for_update().select_related("requester").get(pk=request.pk)
    if not _is_requester(actor, request):
        raise PermissionDenied("Only the person who made the request can withdraw it.")
    _check_submitted(request, "withdrawn")
    request.status = ResourceRequest.Status.WITHDRAWN
    _save_with_actor(request, actor)
    return request


def _decide(
    *, actor, request: ResourceRequest, approve: bool, password: str, otp_code: str, reason: str
) -> ResourceRequest:
    if not actor.has_perm("leadership.decide_resourcerequest"):
        raise PermissionDenied("Only top management decides on resource requests.")
    request = ResourceRequest.objects.select_for_update().select_related("requester").get(pk=request.pk)
    if _is_requester(actor, request):
        raise PermissionDenied("You cannot decide on your own request; another member of top management must.")
    _check_submitted(request, "approved or rejected")
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": "Give the reason for rejecting, so the requester knows what to change."})
    status = ResourceRequest.Status.APPROVED if approve else ResourceRequest.Status.REJECTED
    verb = "approve" if approve else "reject"
    signature = signature_sign(
        actor=actor,
        record=request,
        meaning=status.value,
        password=password,
        otp_code=otp_code,
        content=resource_request_signed_content(request, decision=status.value, reason=reason),
        statement=f"I {verb} {request.reference} ({request.title}) for {request.currency} {request.amount:,.2f}.",
    )
    request.status = status
    request.decision_reason = reason
    request.decided_at = signature.signed_at
    request.decided_by = actor
    request.decision_signature = signature
    _save_with_actor(request, actor)
    person = _person_of(actor)
    if person is not None:
        commitment_record_from(
            person=person,
            source=CommitmentEntry.Source.RESOURCE_DECIDED,
            source_record=request,
            date=timezone.localdate(request.decided_at),
            description=f"{'Approved' if approve else 'Rejected'} resource request {request.reference}: "
            f"{request.title} ({request.get_category_display().lower()}, {request.currency} {request.amount:,.2f}).",
            requirement_ids=list(request.requirement_ids),
        )
    from leadership.tasks.resources import resource_request_notify_decision_task

    outbox.enqueue(resource_request_notify_decision_task, request.pk)
    return request


@signing_service
@transaction.atomic
def resource_request_approve(
    *, actor, request: ResourceRequest, password: str, otp_code: str = "", reason: str = ""
) -> ResourceRequest:
    """Approve a submitted request with an e-signature; logged as top management's commitment."""
    return _decide(actor=actor, request=request, approve=True, password=password, otp_code=otp_code, reason=reason)


@signing_service
@transaction.atomic
def resource_request_reject(
    *, actor, request: ResourceRequest, password: str, reason: str, otp_code: str = ""
) -> ResourceRequest:
    """Reject a submitted request with a reason and an e-signature; logged as top management's commitment."""
    return _decide(actor=actor, request=request, approve=False, password=password, otp_code=otp_code, reason=reason)


# Spending ------------------------------------------------------------------------------------


@transaction.atomic
def resource_spend_record(
    *, actor, request: ResourceRequest, date: datetime.date, amount: Decimal, note: str = ""
) -> ResourceSpend:
    """Record money actually spent on an approved request, so the budget shows what was spent."""
    if not actor.has_perm("leadership.change_resourcerequest"):
        raise PermissionDenied("Only the management representative records spending.")
    request = ResourceRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ResourceRequest.Status.APPROVED:
        raise ApplicationError(
            f"{request.reference} is {request.get_status_display().lower()}: spending is recorded only on "
            "approved requests."
        )
    if date and date > timezone.localdate():
        raise ValidationError({"date": "Record spending once it has happened: the date cannot be in the future."})
    spend = ResourceSpend(request=request, date=date, amount=amount, note=note, recorded_by=actor)
    _save_with_actor(spend, actor)
    return spend


# Budget --------------------------------------------------------------------------------------


@transaction.atomic
def quality_budget_create(
    *, actor, year: int, category: str, planned_amount: Decimal, currency: str = ""
) -> QualityBudget:
    if not actor.has_perm("leadership.add_qualitybudget"):
        raise PermissionDenied("Your role cannot plan the quality budget.")
    if QualityBudget.objects.filter(year=year, category=category).exists():
        label = dict(QualityBudget.Category.choices).get(category, category)
        raise ValidationError({"category": f"The {year} budget for {label} already exists; change that one."})
    budget = QualityBudget(
        year=year, category=category, planned_amount=planned_amount, currency=(currency or default_currency()).upper()
    )
    _save_with_actor(budget, actor)
    return budget


BUDGET_EDITABLE = ("planned_amount", "currency")


@transaction.atomic
def quality_budget_update(*, actor, budget: QualityBudget, **changes) -> QualityBudget:
    if not actor.has_perm("leadership.change_qualitybudget"):
        raise PermissionDenied("Your role cannot change the quality budget.")
    for field, value in changes.items():
        if field not in BUDGET_EDITABLE:
            raise ValueError(f"{field} cannot be changed through quality_budget_update")
        setattr(budget, field, value.upper() if field == "currency" else value)
    _save_with_actor(budget, actor)
    return budget


@transaction.atomic
def quality_budget_set(
    *, actor, year: int, category: str, planned_amount: Decimal, currency: str = ""
) -> QualityBudget:
    """Plan a category's amount for a year: creates the budget line or changes the existing one."""
    budget = QualityBudget.objects.filter(year=year, category=category).first()
    if budget is None:
        return quality_budget_create(
            actor=actor, year=year, category=category, planned_amount=planned_amount, currency=currency
        )
    changes = {"planned_amount": planned_amount}
    if currency:
        changes["currency"] = currency
    return quality_budget_update(actor=actor, budget=budget, **changes)


# Notifications -------------------------------------------------------------------------------


def _deciders():
    perm = Permission.objects.get(content_type__app_label="leadership", codename="decide_resourcerequest")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__permissions=perm) | Q(user_permissions=perm))
        .distinct()
    )


def resource_request_notify_deciders(*, request_id: int) -> int:
    """Tell top management a request waits for their decision (once per person and request)."""
    request = ResourceRequest.objects.select_related("requester__user").filter(pk=request_id).first()
    if request is None or request.status != ResourceRequest.Status.SUBMITTED:
        return 0
    url = settings.BASE_URL + request.get_absolute_url()
    sent = 0
    for user in _deciders().exclude(pk=request.requester.user_id):
        sent += notify_once(
            recipient=user,
            kind="resource-request-submitted",
            subject_key=f"leadership.resourcerequest:{request.pk}",
            period="submitted",
            title=f"Resource request {request.reference} waits for your decision",
            body=f"{request.requester} asks for {request.title} ({request.currency} {request.amount:,.2f}), "
            f"needed by {request.needed_by:%d %b %Y}.\n\n{request.justification}",
            url=url,
        )
    return sent


def resource_request_notify_decision(*, request_id: int) -> bool:
    """Tell the requester what top management decided (once)."""
    request = ResourceRequest.objects.select_related("requester__user").filter(pk=request_id).first()
    if request is None or not request.is_decided:
        return False
    decision = request.get_status_display().lower()
    body = f"Your request {request.reference} ({request.title}) was {decision}."
    if request.decision_reason:
        body += f"\n\nReason: {request.decision_reason}"
    return notify_once(
        recipient=request.requester.user,
        kind="resource-request-decided",
        subject_key=f"leadership.resourcerequest:{request.pk}",
        period="decided",
        title=f"Resource request {request.reference} {decision}",
        body=body,
        url=settings.BASE_URL + reverse("leadership:resource-request-detail", args=[request.pk]),
    )
