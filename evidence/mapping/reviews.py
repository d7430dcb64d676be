"""Kinds of reviews record (9.2 results, 9.3, follow-up) and the requirement items each evidences."""

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce

from evidence.mapping.base import ALWAYS, Kind, Rule, safe_url, until_deactivated
from reviews.models.actions import Action
from reviews.models.audits import AuditFinding, InternalAudit
from reviews.models.management_reviews import ManagementReview, ReviewInput
from reviews.models.meetings import AgendaItem, Decision, Meeting, MeetingType

SIGNED_MINUTES = Q(meeting__status="signed")
INPUT_ITEMS = tuple(ReviewInput.Item.values)


def _status(obj) -> str:
    return obj.get_status_display()


def _short(text: str, length: int = 100) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _first_url(*records) -> str:
    for record in records:
        url = safe_url(record)
        if url:
            return url
    return ""


def _input_presented(item: str) -> Q:
    """Reviews whose input section `item` holds something: compiled data, entries typed in, or a note."""
    sections = ReviewInput.objects.filter(review=OuterRef("pk"), item=item).filter(
        ~Q(data={}) | ~Q(entries=[]) | ~Q(note="")
    )
    return Q(Exists(sections))


def _review_url(obj, clause_id: str | None) -> str:
    url = safe_url(obj)
    if url and clause_id in INPUT_ITEMS:
        return f"{url}#input-{clause_id}"
    return url


MEETING_SCHEDULE = Kind(
    model=MeetingType,
    label="Meeting schedule",
    plural="meeting schedules",
    evidence=~Q(frequency="none"),
    evidence_note="kind of meeting with a schedule, while it is active",
    date="created_at",
    date_is_datetime=True,
    span=until_deactivated(),
    rules={"9.3.1": Rule(Q(category="management-review"), "the planned intervals of management reviews")},
    title=lambda obj: f"{obj.name} ({obj.get_frequency_display().lower()})",
    status=lambda obj: "Scheduled",
    search_fields=("name", "description"),
)

MEETING = Kind(
    model=Meeting,
    label="Meeting",
    plural="meetings",
    evidence=Q(status="signed"),
    evidence_note="meeting whose minutes the chair signed (planned, unsigned and cancelled meetings are not)",
    date="held_at",
    date_is_datetime=True,
    rules={
        "5.1.1.c": Rule(note="every signed meeting: quality on the agenda of the business"),
        "5.1.1.g": Rule(
            Q(Exists(AgendaItem.objects.filter(meeting=OuterRef("pk"), objectives__isnull=False))),
            "meetings that reviewed quality objectives on their agenda",
        ),
        "5.1.1.i": Rule(Q(Exists(Decision.objects.filter(meeting=OuterRef("pk")))), "meetings that took decisions"),
    },
    department="department",
    title=str,
    status=_status,
    search_fields=("reference", "title", "general_notes"),
)

DECISION = Kind(
    model=Decision,
    label="Meeting decision",
    plural="meeting decisions",
    evidence=SIGNED_MINUTES,
    evidence_note="decision in signed minutes",
    date="meeting__held_at",
    date_is_datetime=True,
    rules={
        "5.1.1.a": Rule(
            Q(Exists(Decision.target_revisions.through.objects.filter(decision=OuterRef("pk")))),
            "decisions on objectives' targets (decisions on unmet objectives)",
        ),
        "5.1.1.e": Rule(Q(output_category="resource-need"), "management review decisions on resource needs"),
        "5.1.1.i": Rule(Q(output_category="improvement"), "management review decisions on improvement"),
        "5.3.e": Rule(Q(output_category="qms-change"), "management review decisions on changes to the QMS"),
        "9.3.3.a": Rule(Q(output_category="improvement"), "outputs on improvement opportunities"),
        "9.3.3.b": Rule(Q(output_category="qms-change"), "outputs on changes to the QMS"),
        "9.3.3.c": Rule(Q(output_category="resource-need"), "outputs on resource needs"),
    },
    department="meeting__department",
    related=("meeting",),
    title=lambda obj: f"{obj.meeting.reference} {obj.label}: {_short(obj.text)}",
    status=lambda obj: obj.get_output_category_display() or "Decision",
    url=lambda obj, clause_id: _first_url(obj, obj.meeting),
    search_fields=("text", "meeting__reference", "meeting__title"),
)

MANAGEMENT_REVIEW = Kind(
    model=ManagementReview,
    label="Management review",
    plural="management reviews",
    evidence=Q(status="signed"),
    evidence_note="management review signed by its chair",
    date="meeting__held_at",
    date_is_datetime=True,
    rules={
        "5.1.1.a": Rule(note="every signed review: top management's conclusions on the QMS"),
        "9.3.1": Rule(note="every signed review: a review held"),
        **{item: Rule(_input_presented(item), "signed reviews whose input section holds data") for item in INPUT_ITEMS},
    },
    department="meeting__department",
    related=("meeting",),
    title=str,
    status=_status,
    url=_review_url,
    search_fields=("meeting__reference", "meeting__title", "suitability", "adequacy", "effectiveness"),
)

ACTION = Kind(
    model=Action,
    label="Action",
    plural="actions",
    evidence=ALWAYS,
    evidence_note="action of the action register",
    date=Coalesce("verified_at", "created_at"),
    date_is_datetime=True,
    rules={
        "5.1.1.d": Rule(Q(source="risk"), "actions treating risks and opportunities"),
        "5.1.1.g": Rule(Q(source="objective"), "actions on quality objectives"),
        "5.1.1.h": Rule(Q(source="employee-feedback"), "actions answering employee feedback"),
        "5.1.1.i": Rule(Q(status="verified"), "actions closed as verified effective"),
        "5.1.2.c": Rule(Q(source="customer-feedback"), "actions answering customer feedback"),
    },
    department="department",
    title=str,
    status=_status,
    search_fields=("reference", "title", "description"),
)

INTERNAL_AUDIT = Kind(
    model=InternalAudit,
    label="Internal audit",
    plural="internal audits",
    evidence=Q(status="completed"),
    evidence_note="completed internal audit",
    date="audit_date",
    date_is_datetime=False,
    rules={"9.3.2.c.6": Rule()},
    departments_m2m="departments",
    title=str,
    status=_status,
    search_fields=("reference", "title", "summary", "processes"),
)

AUDIT_FINDING = Kind(
    model=AuditFinding,
    label="Internal audit finding",
    plural="internal audit findings",
    evidence=Q(audit__status="completed"),
    evidence_note="finding of a completed internal audit",
    date="audit__audit_date",
    date_is_datetime=False,
    rules={
        "9.3.2.c.4": Rule(Q(kind__in=["major", "minor"]), "nonconformities found"),
        "9.3.2.c.6": Rule(note="every finding: the audit results"),
        "9.3.2.f": Rule(Q(kind="opportunity"), "opportunities for improvement found"),
    },
    department="department",
    related=("audit",),
    title=lambda obj: f"{obj.label}: {obj.get_kind_display()}: {_short(obj.description, 80)}",
    status=lambda obj: "Closed" if obj.closed_at else "Open",
    url=lambda obj, clause_id: _first_url(obj, obj.audit),
    search_fields=("description", "evidence", "audit__reference", "audit__title"),
)

KINDS = (MEETING_SCHEDULE, MEETING, DECISION, MANAGEMENT_REVIEW, ACTION, INTERNAL_AUDIT, AUDIT_FINDING)
