"""Kinds of leadership record (clause 5) and the requirement items each evidences."""

from django.db.models import F, Q
from django.db.models.functions import Coalesce

from evidence.mapping.base import ALWAYS, Kind, Listed, Rule, Span, safe_url, until_deactivated
from leadership.models.commitment import CommitmentEntry
from leadership.models.customers import CustomerFeedback, CustomerRequirement
from leadership.models.feedback import EmployeeFeedback
from leadership.models.policy import PolicyAcknowledgement, PolicyShareLink, PolicyVersion
from leadership.models.positions import (
    ManagementRepresentativeAppointment,
    Position,
    PositionAcknowledgement,
    PositionHolder,
)
from leadership.models.resources import QualityBudget, ResourceCategory, ResourceRequest, ResourceSpend

PUBLISHED = Q(published_at__isnull=False)
USER_NAME_FIELDS = ("user__first_name", "user__last_name", "user__username")


def _people(prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}__{name}" for name in USER_NAME_FIELDS)


def _status(obj) -> str:
    return obj.get_status_display()


def _short(text: str, length: int = 110) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


POLICY_VERSION = Kind(
    model=PolicyVersion,
    label="Quality policy version",
    plural="quality policy versions",
    evidence=Q(status__in=["approved", "published", "superseded"]),
    evidence_note="approved, published or superseded policy version (drafts and versions awaiting approval are not)",
    date=F("approval_signature__signed_at"),
    date_is_datetime=True,
    span=Span("superseded_at", is_datetime=True),
    rules={
        "5.1.1.b": Rule(note="the policy approved by top management"),
        "5.1.1.f": Rule(PUBLISHED, "published versions: the policy communicated to staff"),
        "5.2.1.a": Rule(Q(confirms_purpose_and_strategy=True), "versions confirmed to fit purpose, context, strategy"),
        "5.2.1.b": Rule(Q(confirms_objectives_framework=True), "versions confirmed to frame the quality objectives"),
        "5.2.1.c": Rule(Q(confirms_requirements_commitment=True), "versions committing to applicable requirements"),
        "5.2.1.d": Rule(Q(confirms_improvement_commitment=True), "versions committing to continual improvement"),
        "5.2.2.a": Rule(note="the approved version, with its approval signature and history"),
        "5.2.2.c": Rule(PUBLISHED, "published versions: the controlled copy that can be shared"),
    },
    related=("approval_signature",),
    title=str,
    status=_status,
    search_fields=("title", "text", "change_summary"),
)

POLICY_ACKNOWLEDGEMENT = Kind(
    model=PolicyAcknowledgement,
    label="Policy acknowledgement",
    plural="policy acknowledgements",
    evidence=ALWAYS,
    evidence_note="acknowledgement of a policy version by a member of staff",
    date="acknowledged_at",
    date_is_datetime=True,
    rules={"5.1.1.f": Rule(), "5.2.2.b": Rule()},
    department="person__department",
    related=("person__user", "version"),
    title=lambda obj: f"{obj.person.full_name} acknowledged policy version {obj.version.number}",
    status=lambda obj: "Acknowledged",
    url=lambda obj, clause_id: safe_url(obj.version),
    search_fields=_people("person"),
)

POLICY_SHARE_LINK = Kind(
    model=PolicyShareLink,
    label="Policy share link",
    plural="policy share links",
    evidence=ALWAYS,
    evidence_note="public link to the published policy, until it is revoked",
    date="created_at",
    date_is_datetime=True,
    span=Span("revoked_at", is_datetime=True),
    rules={"5.2.2.c": Rule()},
    related=("version",),
    title=lambda obj: f"Public link “{obj.label}” to policy version {obj.version.number}",
    status=lambda obj: "Active" if obj.is_active else "Revoked",
    # The link's own address carries its token: the row points at the version instead.
    url=lambda obj, clause_id: safe_url(obj.version),
    search_fields=("label",),
)

POSITION = Kind(
    model=Position,
    label="Position description",
    plural="position descriptions",
    evidence=ALWAYS,
    evidence_note="position description, while the position is active",
    date="created_at",
    date_is_datetime=True,
    span=until_deactivated(),
    rules={},
    listed=Listed("requirement_ids", note="positions responsible for the item (their ISO requirements)"),
    department="department",
    title=lambda obj: f"{obj.title}, revision {obj.revision}",
    status=lambda obj: f"Revision {obj.revision}",
    search_fields=("title", "responsibilities", "authorities"),
)

POSITION_HOLDING = Kind(
    model=PositionHolder,
    label="Position holding",
    plural="position holdings",
    evidence=ALWAYS,
    evidence_note="person holding a position, from the first day to the last",
    date="start_date",
    date_is_datetime=False,
    span=Span("end_date"),
    rules={},
    listed=Listed("position__requirement_ids", note="holders of a position responsible for the item"),
    department="position__department",
    related=("person__user", "position"),
    title=lambda obj: f"{obj.person.full_name} holds {obj.position.title}",
    status=lambda obj: f"Ended {obj.end_date:%d %b %Y}" if obj.end_date else "Current",
    search_fields=(*_people("person"), "position__title"),
)

POSITION_ACKNOWLEDGEMENT = Kind(
    model=PositionAcknowledgement,
    label="Position acknowledgement",
    plural="position acknowledgements",
    evidence=ALWAYS,
    evidence_note="holder's acknowledgement of their position description",
    date="acknowledged_at",
    date_is_datetime=True,
    rules={},
    listed=Listed(
        "position__requirement_ids", note="acknowledgements of a position responsible for the item, by its holder"
    ),
    department="position__department",
    related=("person__user", "position"),
    title=lambda obj: f"{obj.person.full_name} acknowledged {obj.position.title} revision {obj.revision}",
    status=lambda obj: "Acknowledged",
    search_fields=(*_people("person"), "position__title"),
)

APPOINTMENT = Kind(
    model=ManagementRepresentativeAppointment,
    label="Management representative appointment",
    plural="management representative appointments",
    evidence=Q(status__in=["signed", "ended"]),
    evidence_note="appointment signed by top management (drafts are not)",
    date=F("signature__signed_at"),
    date_is_datetime=True,
    span=Span("end_date"),
    rules={"5.3.a": Rule(), "5.3.c": Rule()},
    department="person__department",
    related=("person__user", "signature"),
    title=str,
    status=_status,
    search_fields=(*_people("person"), "powers"),
)

COMMITMENT = Kind(
    model=CommitmentEntry,
    label="Leadership commitment entry",
    plural="leadership commitment entries",
    evidence=ALWAYS,
    evidence_note="entry of the leadership commitment log",
    date="date",
    date_is_datetime=False,
    rules={},
    listed=Listed("requirement_ids", note="entries naming the item"),
    department="person__department",
    related=("person__user",),
    title=lambda obj: f"{obj.person.full_name}: {_short(obj.description)}",
    status=lambda obj: obj.get_source_display(),
    search_fields=("description", *_people("person")),
)

RESOURCE_REQUEST = Kind(
    model=ResourceRequest,
    label="Resource request",
    plural="resource requests",
    evidence=Q(status__in=["approved", "rejected"]),
    evidence_note="resource request decided by top management (approved or rejected)",
    date="decided_at",
    date_is_datetime=True,
    rules={
        "9.3.2.d": Rule(note="every decided request: the requests and approvals behind the adequacy of resources"),
        "6.2.2.b": Rule(Q(status="approved") & ~Q(serves=""), "approved requests that serve an objective or plan"),
    },
    listed=Listed("requirement_ids", Q(status="approved"), "approved requests, for the items they name"),
    department="department",
    title=str,
    status=_status,
    search_fields=("reference", "title", "justification", "serves"),
)

RESOURCE_SPEND = Kind(
    model=ResourceSpend,
    label="Resource spending",
    plural="resource spending entries",
    evidence=ALWAYS,
    evidence_note="amount spent against an approved request",
    date="date",
    date_is_datetime=False,
    rules={"5.1.1.e": Rule(note="money actually spent on resources the QMS needs")},
    department="request__department",
    related=("request",),
    title=lambda obj: (
        f"{obj.request.reference}: {obj.request.currency} {obj.amount} spent"
        + (f" ({_short(obj.note, 60)})" if obj.note else "")
    ),
    status=lambda obj: "Spent",
    url=lambda obj, clause_id: safe_url(obj.request),
    search_fields=("note", "request__reference", "request__title"),
)

QUALITY_BUDGET = Kind(
    model=QualityBudget,
    label="Quality budget",
    plural="quality budget lines",
    evidence=ALWAYS,
    evidence_note="planned quality budget of a year and category",
    date="created_at",
    date_is_datetime=True,
    rules={
        "5.1.1.e": Rule(note="the budget planned for quality"),
        "5.1.1.h": Rule(Q(category=ResourceCategory.TRAINING), "training budgets"),
    },
    title=str,
    status=lambda obj: f"Budget {obj.year}",
    search_fields=("category", "year"),
)

CUSTOMER_FEEDBACK = Kind(
    model=CustomerFeedback,
    label="Customer feedback",
    plural="customer feedback",
    evidence=Q(status__in=["responded", "closed"]) | Q(type__in=["survey-response", "compliment"]),
    evidence_note="feedback with management's response, and every survey response and compliment",
    date=Coalesce("responded_on", "received_date"),
    date_is_datetime=False,
    rules={"5.1.2.c": Rule(), "9.3.2.c.1": Rule()},
    department="department",
    related=("customer",),
    title=lambda obj: f"{obj.reference}: {obj.get_type_display().lower()} from {obj.customer.name}",
    status=_status,
    search_fields=("reference", "description", "customer__name", "product"),
)

CUSTOMER_REQUIREMENT = Kind(
    model=CustomerRequirement,
    label="Customer requirement",
    plural="customer requirements",
    evidence=ALWAYS,
    evidence_note="customer or legal requirement with the process that meets it, while it applies",
    date="created_at",
    date_is_datetime=True,
    span=until_deactivated(),
    rules={"5.1.2.a": Rule()},
    department="department",
    related=("customer",),
    title=lambda obj: f"{_short(obj.requirement, 90)} ({obj.customer.name if obj.customer else 'all customers'})",
    status=lambda obj: f"Met by {obj.process}",
    search_fields=("requirement", "process", "source_reference", "customer__name"),
)

EMPLOYEE_FEEDBACK = Kind(
    model=EmployeeFeedback,
    label="Employee feedback",
    plural="employee feedback",
    evidence=Q(status__in=["answered", "closed"]),
    evidence_note="employee feedback answered by management",
    date="answered_at",
    date_is_datetime=True,
    rules={"5.1.1.h": Rule()},
    department="department",
    title=str,
    status=_status,
    search_fields=("reference", "title", "description"),
)

KINDS = (
    POLICY_VERSION,
    POLICY_ACKNOWLEDGEMENT,
    POLICY_SHARE_LINK,
    POSITION,
    POSITION_HOLDING,
    POSITION_ACKNOWLEDGEMENT,
    APPOINTMENT,
    COMMITMENT,
    RESOURCE_REQUEST,
    RESOURCE_SPEND,
    QUALITY_BUDGET,
    CUSTOMER_FEEDBACK,
    CUSTOMER_REQUIREMENT,
    EMPLOYEE_FEEDBACK,
)
