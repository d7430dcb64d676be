"""Reads of issued documents: what a single-record PDF shows, the verification look-up, the download log.

The document builders (`minutes_document`, `review_document`) return the template context of a
PDF. They run a fixed number of queries whatever the size of the record, and they are used twice:
by the web request that asks for a PDF (to fingerprint what the PDF would show, so an unchanged
record reuses its file) and by the task that renders it.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from evidence.models import DownloadLog, IssuedDocument, RecordPdf
from leadership.models.policy import PolicyVersion
from qms.signatures import content_hash, signature_matches
from reviews.models.management_reviews import ManagementReview, ReviewInput
from reviews.models.meetings import Meeting
from reviews.selectors import management_reviews as review_selectors
from reviews.selectors import minutes as minutes_selectors
from reviews.services.management_reviews import ENTRY_FIELDS
from reviews.services.minutes import amendment_signed_content

# The PDF template of each kind, and the permission that lets a user see the record (and so its PDF).
TEMPLATES = {
    RecordPdf.Kind.MINUTES: "pdf/documents/minutes.html",
    RecordPdf.Kind.REVIEW: "pdf/documents/review.html",
}
VIEW_PERMISSIONS = {
    "minutes": "reviews.view_meeting",
    "review": "reviews.view_managementreview",
    "policy": "leadership.view_policyversion",
}
ISSUED_KINDS = {
    "minutes": IssuedDocument.Kind.MINUTES,
    "review": IssuedDocument.Kind.REVIEW,
    "policy": IssuedDocument.Kind.POLICY,
}
KIND_LABELS = {"minutes": "Signed minutes", "review": "Management review report", "policy": "Quality policy"}


def format_moment(moment: datetime.datetime | None) -> str:
    """A date and time in the organisation's time zone with its UTC offset: "12 Mar 2026, 10:14:05 +00:00"."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    offset = local.strftime("%z")
    return f"{local:%-d %b %Y, %H:%M:%S} {offset[:3]}:{offset[3:]}"


# The records behind each kind -----------------------------------------------------------------------


def record_for(kind: str, pk):
    """The record a document of `kind` is made from (raises the model's DoesNotExist)."""
    if kind == "minutes":
        return Meeting.objects.select_related("type").get(pk=pk)
    if kind == "review":
        return ManagementReview.objects.select_related("meeting").get(pk=pk)
    if kind == "policy":
        return PolicyVersion.objects.get(pk=pk)
    raise LookupError(kind)


def document_title(kind: str, record) -> str:
    """The title a PDF is registered under (and shown by the verification page)."""
    if kind == "minutes":
        held = timezone.localdate(record.held_at or record.planned_start)
        return f"{record.reference} {record.title}, signed minutes of the meeting of {held:%-d %b %Y}"
    if kind == "review":
        meeting = record.meeting
        draft = "" if record.status == ManagementReview.Status.SIGNED else " (DRAFT, not signed)"
        return (
            f"{meeting.reference}, management review report for {record.period_start:%-d %b %Y} \u2013 "
            f"{record.period_end:%-d %b %Y}{draft}"
        )
    if kind == "policy":
        effective = f", effective {timezone.localdate(record.published_at):%-d %b %Y}" if record.published_at else ""
        return f"{record.title}, version {record.number}{effective}"
    raise LookupError(kind)


def document_file_name(kind: str, record) -> str:
    if kind == "minutes":
        return f"{record.reference}-signed-minutes.pdf"
    if kind == "review":
        status = "signed" if record.status == ManagementReview.Status.SIGNED else "draft"
        return f"{record.meeting.reference}-management-review-{status}.pdf"
    return f"quality-policy-v{record.number}.pdf"


# What the PDFs show --------------------------------------------------------------------------------


def _signature_row(signature, *, intact: bool | None, role: str) -> dict:
    return {
        "role": role,
        "meaning": signature.get_meaning_display(),
        "name": signature.signer_name,
        "title": signature.signer_title,
        "when": format_moment(signature.signed_at),
        "statement": signature.statement,
        "sha256": signature.content_sha256,
        "intact": intact,
    }


def minutes_document(meeting_id) -> dict:
    """The context of the signed minutes PDF: facts, attendance, items, decisions, actions, amendments, signatures.

    Text is shown as it reads now (amended where an amendment says so), and every amendment is
    listed with the original beside it. `intact` is False when the minutes no longer match what
    the chair signed.
    """
    meeting = minutes_selectors.meeting_get(meeting_id)
    outline = minutes_selectors.minutes_outline(meeting)
    intact = minutes_selectors.meeting_signature_intact(meeting)
    decisions = {d.pk: d for d in meeting.decisions.all()}
    items = {i.pk: i for i in meeting.agenda_items.all()}
    amendments = []
    for number, amendment in enumerate(meeting.amendments.all(), start=1):
        if amendment.decision_id:
            target = f"Decision {decisions[amendment.decision_id].label}" if amendment.decision_id in decisions else ""
        elif amendment.agenda_item_id:
            item = items.get(amendment.agenda_item_id)
            target = f"Minutes of item {item.order}. {item.title}" if item else "Minutes of an agenda item"
        else:
            target = "General notes"
        amendment.number = f"A{number}"
        amendment.target = target
        amendment.when = format_moment(amendment.created_at)
        amendments.append(amendment)
    numbers = {a.pk: a.number for a in amendments}
    for entry in [*outline["items"], outline["general"]]:
        entry["amendment_numbers"] = [numbers[a.pk] for a in entry["amendments"]]
        for decision in entry["decisions"]:
            decision.amendment_numbers = [numbers[a.pk] for a in decision.amendment_list]
    signatures = []
    if meeting.signature is not None:
        signatures.append(_signature_row(meeting.signature, intact=intact, role="Chair of the meeting"))
    for amendment in amendments:
        if amendment.signature is not None:
            amendment_intact = signature_matches(amendment.signature, amendment_signed_content(amendment))
            amendment.intact = amendment_intact
            signatures.append(
                _signature_row(amendment.signature, intact=amendment_intact, role=f"Amendment {amendment.number}")
            )
    labels = {d.pk: d.label for d in decisions.values()}
    for action in outline["actions"]:
        action.decision_label = labels.get(action.decision_id, "")
    return {
        "meeting": meeting,
        "outline": outline,
        "amendments": amendments,
        "signatures": signatures,
        "signature": meeting.signature,
        "intact": intact,
        "signed_when": format_moment(meeting.signed_at),
        "held_when": format_moment(meeting.held_at),
        "is_review": _has_review(meeting),
        "today": timezone.localdate(),
    }


def _has_review(meeting: Meeting) -> bool:
    try:
        return meeting.management_review is not None
    except ManagementReview.DoesNotExist:
        return False


SECTION_TEMPLATES = {
    item: f"pdf/documents/review/_{name}.html" for item, name in review_selectors.SECTION_TEMPLATES.items()
}


def review_document(review_id) -> dict:
    """The context of the management review report: the frozen 9.3.2 inputs, conclusions, 9.3.3 outputs, signature.

    An unsigned review is a draft (`draft` True): the PDF is watermarked so.
    """
    review = review_selectors.management_review_get(review_id)
    meeting = review.meeting
    by_item = {i.item: i for i in review.inputs.all()}
    sections = []
    for item in ReviewInput.Item:
        review_input = by_item.get(item.value)
        fields = ENTRY_FIELDS.get(item, ())
        entries = review_input.entries if review_input else []
        sections.append(
            {
                "item": item,
                "short": review_selectors.SHORT_LABELS[item],
                "input": review_input,
                "data": (review_input.data or {}) if review_input else {},
                "manual": item in ReviewInput.MANUAL_ITEMS,
                "template": SECTION_TEMPLATES[item],
                "fields": fields,
                "rows": [[(f, _entry_value(f, row.get(f.name))) for f in fields] for row in entries],
                "note": review_input.note if review_input else "",
                "addressed": bool(review_input) and review_selectors.input_has_content(review_input),
            }
        )
    outputs = review_selectors.management_review_outputs(review)
    intact = review_selectors.management_review_signature_intact(review)
    attendees = sorted(
        minutes_selectors.attendee_list(meeting),
        key=lambda a: (a.person.user.last_name.lower(), a.person.user.first_name.lower()),
    )
    signatures = []
    if review.signature is not None:
        signatures.append(_signature_row(review.signature, intact=intact, role="Chair of the review"))
    return {
        "review": review,
        "meeting": meeting,
        "sections": sections,
        "conclusions": [
            ("Suitability", review.suitability),
            ("Adequacy", review.adequacy),
            ("Effectiveness", review.effectiveness),
            ("Alignment with the strategic direction", review.strategic_alignment),
        ],
        "output_groups": review_selectors.outputs_by_category(outputs),
        "outputs": outputs,
        "attendees": attendees,
        "signatures": signatures,
        "signature": review.signature,
        "intact": intact,
        "draft": review.status != ManagementReview.Status.SIGNED,
        "frozen_when": format_moment(review.frozen_at),
        "compiled_when": format_moment(review.compiled_at),
        "signed_when": format_moment(review.signed_at),
        "held_when": format_moment(meeting.held_at),
        "today": timezone.localdate(),
    }


def _entry_value(entry_field, value) -> str:
    if value is None or value == "":
        return "—"
    if entry_field.kind == "choice":
        return dict(entry_field.choices).get(value, value)
    if entry_field.kind == "percent":
        return f"{value}%"
    return str(value)


def document_context(kind: str, record) -> dict:
    if kind == RecordPdf.Kind.MINUTES:
        return minutes_document(record.pk)
    if kind == RecordPdf.Kind.REVIEW:
        return review_document(record.pk)
    raise LookupError(kind)


def render_context(context: dict, *, produced_at: datetime.datetime | None) -> dict:
    """The document's context with what every PDF prints: organisation, when it was produced, where to verify it."""
    return {
        "organisation_name": settings.ORGANISATION_NAME,
        **context,
        "produced_at": format_moment(produced_at) if produced_at else "",
        "verify_url": settings.BASE_URL + reverse("evidence:verify"),
    }


def document_html(kind: str, context: dict, *, produced_at: datetime.datetime | None) -> str:
    """The HTML the PDF is rendered from; with `produced_at` None, the stamp-free text that is fingerprinted."""
    return render_to_string(TEMPLATES[kind], render_context(context, produced_at=produced_at))


def document_source_hash(kind: str, context: dict) -> str:
    """SHA-256 of everything the PDF would show, except when it was produced."""
    return content_hash(document_html(kind, context, produced_at=None))


def record_pdf_for(kind: str, record) -> RecordPdf | None:
    """The stored PDF row of a record (with who asked for it), or None."""
    return (
        RecordPdf.objects.select_related("requested_by")
        .filter(kind=kind, content_type=ContentType.objects.get_for_model(record), object_id=str(record.pk))
        .first()
    )


# Verification ----------------------------------------------------------------------------------------


def user_has_role(user) -> bool:
    """Signed in and holding at least one role: "anyone with access" to verification."""
    return bool(user and user.is_authenticated and user.is_active and (user.is_superuser or user.groups.exists()))


@dataclass
class Verification:
    """What the verification page answers about a SHA-256."""

    sha256: str
    issues: list = field(default_factory=list)
    later: IssuedDocument | None = None

    @property
    def found(self) -> bool:
        return bool(self.issues)

    @property
    def first(self) -> IssuedDocument | None:
        return self.issues[0] if self.issues else None

    @property
    def message(self) -> str:
        if not self.found:
            return "Not a document issued by Clause5 (or it was changed after it was issued)."
        first = self.first
        by = first.issued_to.get_full_name() or first.issued_to.get_username() if first.issued_to else "Clause5"
        return f"Unaltered: this is {first.title}, generated by {by} on {format_moment(first.issued_at)}."


def issued_document_verify(sha256: str) -> Verification:
    """Every issue of a file with this SHA-256 (first first), and a later issue of the same record if any.

    Two queries when found, one when not.
    """
    issues = list(
        IssuedDocument.objects.filter(sha256=sha256)
        .select_related("issued_to", "content_type")
        .order_by("issued_at", "pk")
    )
    later = None
    if issues:
        first = issues[0]
        later = (
            IssuedDocument.objects.filter(
                content_type_id=first.content_type_id, object_id=first.object_id, kind=first.kind
            )
            .exclude(sha256=sha256)
            .filter(issued_at__gt=issues[-1].issued_at)
            .order_by("-issued_at", "-pk")
            .first()
        )
    return Verification(sha256=sha256, issues=issues, later=later)


# The download log ------------------------------------------------------------------------------------


def download_log_list() -> QuerySet[DownloadLog]:
    """Downloads, newest first, with the user, the record's type and the record itself (one query per type)."""
    return DownloadLog.objects.select_related("user", "content_type").prefetch_related("record")
