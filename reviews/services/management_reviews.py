"""Services of management reviews (9.3): prepare, compile and freeze the inputs, conclude, record outputs, sign.

The life of a review:

1. `management_review_prepare` plans the review's meeting with the standard agenda, creates the
   twelve 9.3.2 inputs and compiles them from the rest of Clause5 for the review period.
2. While it is being prepared, the inputs may be recompiled as often as needed; the sections
   Clause5 holds no data for (b, c.3, c.7) take structured entries, and every section a note.
3. `management_review_freeze` (called when the meeting starts, or from the review page) compiles
   one last time and freezes the data: what the review saw never changes afterwards.
4. Top management writes the conclusions and records the 9.3.3 outputs, each with an owner.
5. The chair signs (`management_review_sign`) once nothing is missing; the review's minutes are
   signed with it and the signature is logged as top management's commitment (5.1.1).

Views check the general permissions (`reviews.change_managementreview` and so on); the rules
that depend on the record (only the chair signs) are checked here.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from leadership.models import Person
from leadership.models.commitment import CommitmentEntry
from leadership.services.commitment import commitment_record_from
from qms.exceptions import ApplicationError
from qms.models import Signature
from qms.notifications import iso_week, notify_once
from qms.signatures import signature_sign, signing_service
from reviews.models.management_reviews import ManagementReview, ReviewInput
from reviews.models.meetings import AgendaItem, Decision, Meeting, MeetingType
from reviews.selectors import management_reviews as selectors
from reviews.services import minutes as minutes_services
from reviews.services.meetings import meeting_create

Item = ReviewInput.Item
SIGN_PERMISSION = "reviews.sign_managementreview"

# The standard agenda: one item per 9.3.2 input group, then the conclusions and the outputs.
AGENDA_OUTPUTS = "Outputs (9.3.3): improvement opportunities, changes to the QMS, resource needs"
AGENDA = (
    "a) Status of actions from previous management reviews",
    "b) Changes in external and internal issues relevant to the QMS",
    "c) Performance and effectiveness of the QMS: customers, objectives, processes, nonconformities, "
    "measurement, audits, external providers",
    "d) Adequacy of resources",
    "e) Effectiveness of actions taken to address risks and opportunities",
    "f) Opportunities for improvement",
    "Conclusions: suitability, adequacy and effectiveness of the QMS, alignment with the strategic direction",
    AGENDA_OUTPUTS,
)
CONCLUSION_FIELDS = ("suitability", "adequacy", "effectiveness", "strategic_alignment")
NOTE_MAX_LENGTH = 10_000
MAX_ENTRIES = 50


# Manual entries ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryField:
    """One column of a section's manual entries: how it is named, shown, checked and stored."""

    name: str
    label: str
    kind: str = "text"  # text, long (a paragraph), choice, percent (0 to 100) or count (whole number)
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    max_length: int = 200


ENTRY_FIELDS: dict[str, tuple[EntryField, ...]] = {
    Item.ISSUES: (
        EntryField("issue", "Issue", required=True),
        EntryField(
            "kind", "External or internal", "choice", True, (("external", "External"), ("internal", "Internal"))
        ),
        EntryField("change", "What changed", "long", True, max_length=1000),
        EntryField("effect", "Effect on the QMS", "long", True, max_length=1000),
    ),
    Item.PROCESSES: (
        EntryField("process", "Process", required=True),
        EntryField("indicator", "Indicator", required=True),
        EntryField("result", "Result", required=True, max_length=100),
        EntryField("target", "Target", max_length=100),
        EntryField("comment", "Comment", "long", max_length=1000),
    ),
    Item.PROVIDERS: (
        EntryField("provider", "Provider", required=True),
        EntryField("scope", "Supplies"),
        EntryField(
            "rating",
            "Rating",
            "choice",
            True,
            (("good", "Good"), ("acceptable", "Acceptable"), ("poor", "Poor")),
        ),
        EntryField("on_time_pct", "On-time delivery %", "percent"),
        EntryField("quality_issues", "Quality issues", "count"),
        EntryField("comment", "Comment", "long", max_length=1000),
    ),
}


def _words(names: list[str]) -> str:
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def _clean_value(field: EntryField, value, where: str, errors: list[str]):
    """The stored form of one value, or None after adding a message naming the entry and the field."""
    if value is None:
        value = ""
    if field.kind in ("percent", "count"):
        text = str(value).strip().removesuffix("%").strip() if not isinstance(value, bool) else "x"
        if text == "":
            if field.required:
                errors.append(f"{where}: {field.label} is required.")
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if field.kind == "percent":
            if number is None or not number.is_finite() or not (0 <= number <= 100):
                errors.append(f"{where}: {field.label} must be a number from 0 to 100, not “{value}”.")
                return None
            number = number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            return int(number) if number == number.to_integral_value() else float(number)
        if number is None or not number.is_finite() or number < 0 or number != number.to_integral_value():
            errors.append(f"{where}: {field.label} must be a whole number of 0 or more, not “{value}”.")
            return None
        return int(number)
    if isinstance(value, dict | list | bool):
        errors.append(f"{where}: {field.label} must be text.")
        return None
    text = str(value).strip()
    if "\x00" in text:
        # PostgreSQL cannot store a NUL character in JSON; pasted binary garbage is the usual cause.
        errors.append(f"{where}: {field.label} contains a null character; retype the text.")
        return None
    if not text:
        if field.required:
            errors.append(f"{where}: {field.label} is required.")
        return ""
    if field.kind == "choice":
        allowed = [key for key, _label in field.choices]
        if text.lower() not in allowed:
            errors.append(f"{where}: {field.label} must be {_words(allowed).replace(' and ', ' or ')}, not “{text}”.")
            return None
        return text.lower()
    if len(text) > field.max_length:
        errors.append(f"{where}: {field.label} is longer than {field.max_length} characters ({len(text)}).")
        return None
    return text


def clean_entries(item: str, entries) -> list[dict]:
    """Check a section's manual entries and return them as stored; entries left entirely blank are dropped.

    Raises ValidationError on `entries` with one message per problem, each naming the entry
    (numbered from 1 as given) and the field.
    """
    fields = ENTRY_FIELDS.get(item)
    if fields is None:
        label = Item(item).label if item in Item.values else item
        raise ValidationError({"entries": f"Section {label} is compiled by Clause5: it takes a note, not entries."})
    if not isinstance(entries, list | tuple):
        raise ValidationError({"entries": "Give the entries as a list of rows."})
    names = [f.name for f in fields]
    cleaned, errors = [], []
    for number, entry in enumerate(entries, start=1):
        where = f"Entry {number}"
        if not isinstance(entry, dict):
            errors.append(f"{where}: expected the fields {_words(names)}.")
            continue
        unknown = sorted(set(entry) - set(names))
        if unknown:
            errors.append(
                f"{where}: unknown field{'s' if len(unknown) > 1 else ''} {_words(unknown)}; "
                f"the fields are {_words(names)}."
            )
            continue
        if all(entry.get(name) in (None, "") or str(entry.get(name)).strip() == "" for name in names):
            continue
        row = {field.name: _clean_value(field, entry.get(field.name), where, errors) for field in fields}
        cleaned.append(row)
    if len(cleaned) > MAX_ENTRIES:
        errors.append(f"A section takes at most {MAX_ENTRIES} entries; summarise the rest in the note.")
    if errors:
        raise ValidationError({"entries": errors})
    return cleaned


# Helpers --------------------------------------------------------------------------------------------


def _lock(review: ManagementReview) -> ManagementReview:
    return (
        ManagementReview.objects.select_for_update(of=("self",))
        .select_related("meeting__type", "meeting__chair__user", "signature")
        .get(pk=review.pk)
    )


def _save(instance, actor) -> None:
    instance.full_clean()
    instance._history_user = actor
    instance.save()


def _refuse_if_signed(review: ManagementReview) -> None:
    if review.status == ManagementReview.Status.SIGNED:
        signed = timezone.localtime(review.signed_at)
        raise ApplicationError(
            f"The management review {review.meeting.reference} was signed on {signed:%d %b %Y %H:%M} "
            "and can no longer change."
        )


def _refuse_if_cancelled(review: ManagementReview) -> None:
    if review.meeting.status == Meeting.Status.CANCELLED:
        raise ApplicationError(f"The meeting {review.meeting.reference} was cancelled; its review cannot go on.")


def _active_person(person: Person | None, field: str, errors: dict) -> None:
    if person is not None and not person.user.is_active:
        errors[field] = f"{person} can no longer sign in; choose an active person."


# Preparing and compiling ----------------------------------------------------------------------------


def default_title(period_start: datetime.date, period_end: datetime.date) -> str:
    return f"Management review of {period_start:%b %Y} to {period_end:%b %Y}"


@transaction.atomic
def management_review_prepare(
    *,
    actor,
    meeting_type: MeetingType,
    planned_start: datetime.datetime,
    chair: Person,
    period_start: datetime.date,
    period_end: datetime.date,
    invitees: Iterable[Person] = (),
    place: str = "",
    title: str = "",
    duration_minutes: int | None = None,
    link: str = "",
    minute_taker: Person | None = None,
) -> ManagementReview:
    """Plan a management review: its meeting with the standard agenda, its twelve inputs, compiled.

    Empty place and link take the meeting type's defaults, as do empty invitees.
    """
    errors = {}
    if meeting_type is None or meeting_type.category != MeetingType.Category.MANAGEMENT_REVIEW:
        errors["meeting_type"] = (
            f"“{meeting_type}” is a {meeting_type.get_category_display().lower()} type; "
            "choose a management review type."
            if meeting_type is not None
            else "Choose the management review's meeting type."
        )
    elif not meeting_type.is_active:
        errors["meeting_type"] = f"The meeting type “{meeting_type}” is no longer in use; choose an active one."
    if period_start is None:
        errors["period_start"] = "Give the first day of the period the review looks back on."
    if period_end is None:
        errors["period_end"] = "Give the last day of the period the review looks back on."
    elif period_start is not None and period_end < period_start:
        errors["period_end"] = f"The period must end on or after the day it starts ({period_start:%d %b %Y})."
    elif planned_start is not None and period_end > timezone.localdate(planned_start):
        errors["period_end"] = (
            f"The review looks back on a period that has ended: end it by the day of the meeting "
            f"({timezone.localdate(planned_start):%d %b %Y})."
        )
    if planned_start is None:
        errors["planned_start"] = "Give the date and time of the review meeting."
    if chair is None:
        errors["chair"] = "Choose the member of top management who chairs and signs the review."
    elif not chair.user.has_perm(SIGN_PERMISSION):
        errors["chair"] = f"{chair} cannot sign management reviews; choose a member of top management."
    _active_person(chair, "chair", errors)
    _active_person(minute_taker, "minute_taker", errors)
    if errors:
        raise ValidationError(errors)
    meeting = meeting_create(
        actor=actor,
        type=meeting_type,
        title=(title or "").strip() or default_title(period_start, period_end),
        planned_start=planned_start,
        chair=chair,
        duration_minutes=duration_minutes,
        place=place or None,
        link=link or None,
        minute_taker=minute_taker,
        invitees=list(invitees or ()),
        agenda=list(AGENDA),
    )
    review = ManagementReview(meeting=meeting, period_start=period_start, period_end=period_end)
    _save(review, actor)
    for item in Item:
        _save(ReviewInput(review=review, item=item, updated_by=actor), actor)
    return management_review_compile(actor=actor, review=review)


def _compile(actor, review: ManagementReview, today: datetime.date | None) -> None:
    compiled = selectors.management_review_compile_data(review, today=today)
    now = timezone.now()
    for review_input in ReviewInput.objects.select_for_update().filter(review=review):
        data = compiled[review_input.item]
        if review_input.data == data:
            # Unchanged data leaves no line in the history; only the time stamp moves.
            ReviewInput.objects.filter(pk=review_input.pk).update(compiled_at=now)
            continue
        review_input.data = data
        review_input.compiled_at = now
        _save(review_input, actor)
    review.compiled_at = now


@transaction.atomic
def management_review_compile(*, actor, review: ManagementReview, today: datetime.date | None = None):
    """Gather every 9.3.2 input from the rest of Clause5 again, while the review is being prepared."""
    review = _lock(review)
    _refuse_if_cancelled(review)
    if review.status != ManagementReview.Status.PREPARING:
        frozen = timezone.localtime(review.frozen_at)
        raise ApplicationError(
            f"The inputs were frozen when the review was held ({frozen:%d %b %Y %H:%M}); they no longer change, "
            "so the record shows what the review saw."
        )
    _compile(actor, review, today)
    # The time stamp alone: the inputs' own history shows what the compile changed.
    ManagementReview.objects.filter(pk=review.pk).update(compiled_at=review.compiled_at)
    return review


@transaction.atomic
def management_review_freeze(*, actor, review: ManagementReview, today: datetime.date | None = None):
    """Compile one last time and freeze the inputs: the review is held. Doing it again changes nothing."""
    review = _lock(review)
    if review.status != ManagementReview.Status.PREPARING:
        return review
    _refuse_if_cancelled(review)
    _compile(actor, review, today)
    review.status = ManagementReview.Status.HELD
    review.frozen_at = review.compiled_at
    _save(review, actor)
    return review


# Sections: entries and notes ------------------------------------------------------------------------


def _lock_input(review_input: ReviewInput) -> ReviewInput:
    review = _lock(review_input.review)
    _refuse_if_signed(review)
    locked = ReviewInput.objects.select_for_update().get(pk=review_input.pk)
    locked.review = review
    return locked


@transaction.atomic
def review_input_set_entries(*, actor, review_input: ReviewInput, entries) -> ReviewInput:
    """Replace a hand-typed section's entries (b, c.3, c.7); editable until the review is signed."""
    review_input = _lock_input(review_input)
    review_input.entries = clean_entries(review_input.item, entries)
    review_input.updated_by = actor
    _save(review_input, actor)
    return review_input


@transaction.atomic
def review_input_annotate(*, actor, review_input: ReviewInput, note: str) -> ReviewInput:
    """Write the presenter's note on a section; editable until the review is signed."""
    review_input = _lock_input(review_input)
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": f"Keep the note under {NOTE_MAX_LENGTH:,} characters ({len(note):,})."})
    review_input.note = note
    review_input.updated_by = actor
    _save(review_input, actor)
    return review_input


# Conclusions and outputs ----------------------------------------------------------------------------


@transaction.atomic
def management_review_conclude(
    *,
    actor,
    review: ManagementReview,
    suitability: str | None = None,
    adequacy: str | None = None,
    effectiveness: str | None = None,
    strategic_alignment: str | None = None,
) -> ManagementReview:
    """Write the review's conclusions on the QMS; those not given stay as they are. Until signed."""
    review = _lock(review)
    _refuse_if_signed(review)
    given = {
        "suitability": suitability,
        "adequacy": adequacy,
        "effectiveness": effectiveness,
        "strategic_alignment": strategic_alignment,
    }
    for field, value in given.items():
        if value is not None:
            setattr(review, field, str(value).strip())
    _save(review, actor)
    return review


def _check_output_open(review: ManagementReview) -> None:
    _refuse_if_signed(review)
    _refuse_if_cancelled(review)
    if review.status == ManagementReview.Status.PREPARING or review.meeting.status == Meeting.Status.PLANNED:
        raise ApplicationError(
            "Outputs are decisions of the review meeting, recorded in its minutes: start the meeting first "
            "(on its minutes page)."
        )


@transaction.atomic
def management_review_output_add(
    *, actor, review: ManagementReview, text: str, output_category: str, owner: Person | None
) -> Decision:
    """Record a 9.3.3 output: a decision of the review's meeting, with its category and owner."""
    review = _lock(review)
    _check_output_open(review)
    errors = {}
    if not (text or "").strip():
        errors["text"] = "Write the decision: what was decided, and to what end."
    if output_category not in Decision.OutputCategory.values:
        errors["output_category"] = "Say which 9.3.3 output this is: improvement, change to the QMS or resource need."
    if owner is None:
        errors["owner"] = "Every output needs an owner who carries it out."
    _active_person(owner, "owner", errors)
    if errors:
        raise ValidationError(errors)
    agenda_item = AgendaItem.objects.filter(meeting=review.meeting, title=AGENDA_OUTPUTS).first()
    return minutes_services.decision_add(
        actor=actor,
        meeting=review.meeting,
        text=text,
        agenda_item=agenda_item,
        owner=owner,
        output_category=output_category,
    )


@transaction.atomic
def management_review_output_assign(*, actor, review: ManagementReview, decision: Decision, owner: Person) -> Decision:
    """Give a 9.3.3 output its owner (or another one) before the review is signed."""
    review = _lock(review)
    _check_output_open(review)
    if decision.meeting_id != review.meeting_id or not decision.output_category:
        raise ValidationError({"decision": "That decision is not an output of this review."})
    if owner is None:
        raise ValidationError({"owner": "Choose the person who carries the output out."})
    return minutes_services.decision_update(actor=actor, decision=decision, owner=owner)


# Signing ---------------------------------------------------------------------------------------------


def _commitment_ids(outputs: list[Decision]) -> list[str]:
    """5.1.1 items a signed review evidences: accountability, risk-based thinking, intended results reviewed;
    promoting improvement and providing resources when its outputs decide on them."""
    ids = {"5.1.1.a", "5.1.1.d", "5.1.1.g"}
    categories = {o.output_category for o in outputs}
    if Decision.OutputCategory.IMPROVEMENT in categories:
        ids.add("5.1.1.i")
    if Decision.OutputCategory.RESOURCE_NEED in categories:
        ids.add("5.1.1.e")
    return sorted(ids)


@signing_service
@transaction.atomic
def management_review_sign(*, actor, review: ManagementReview, password: str, otp_code: str = "") -> ManagementReview:
    """The chair approves the held review with an e-signature; its minutes are signed with it.

    Refused, with one message listing everything missing, until every input has data, entries
    or a note, the three conclusions are written and each of at least one output has an owner.
    """
    if not actor.has_perm(SIGN_PERMISSION):
        raise PermissionDenied("Only top management signs management reviews.")
    review = _lock(review)
    meeting = review.meeting
    if meeting.chair.user_id != actor.pk:
        raise PermissionDenied(f"Only the chair of {meeting.reference}, {meeting.chair}, signs its review.")
    _refuse_if_signed(review)
    _refuse_if_cancelled(review)
    if review.status != ManagementReview.Status.HELD:
        raise ApplicationError(
            "The review has not been held yet: start its meeting (or freeze the inputs) before signing."
        )
    outputs = selectors.management_review_outputs(review)
    readiness = selectors.management_review_readiness(
        review, inputs=list(ReviewInput.objects.filter(review=review)), outputs=outputs
    )
    if not readiness["ready"]:
        problems = readiness["problems"]
        raise ApplicationError(
            "The review cannot be signed yet: " + "; ".join(problems) + ".", extra={"missing": problems}
        )
    signature = signature_sign(
        actor=actor,
        record=review,
        meaning=Signature.Meaning.APPROVED,
        password=password,
        otp_code=otp_code,
        content=selectors.management_review_signed_content(review),
        statement=(
            f"I approve the management review {meeting.reference} of {review.period_start:%d %b %Y} to "
            f"{review.period_end:%d %b %Y}: its inputs, conclusions and outputs."
        ),
    )
    review.status = ManagementReview.Status.SIGNED
    review.signed_at = signature.signed_at
    review.signature = signature
    _save(review, actor)
    if meeting.status != Meeting.Status.SIGNED:
        minutes_services.meeting_sign(
            actor=actor, meeting=meeting, password=password, review_checked=True, review_signature=signature
        )
    commitment_record_from(
        person=meeting.chair,
        source=CommitmentEntry.Source.REVIEW_SIGNED,
        source_record=review,
        date=timezone.localdate(signature.signed_at),
        description=(
            f"Chaired and signed the management review {meeting.reference} of {review.period_start:%d %b %Y} to "
            f"{review.period_end:%d %b %Y}: {len(outputs)} output{'s' if len(outputs) != 1 else ''} decided."
        ),
        requirement_ids=_commitment_ids(outputs),
    )
    return review


# Overdue reviews ---------------------------------------------------------------------------------------


def management_review_notify_overdue(*, today: datetime.date | None = None) -> int:
    """Tell top management and the management representative of scheduled reviews not held in time.

    Each person hears about each overdue review type at most once per ISO week, however often
    the task runs (notify_once's unique constraint decides). Returns the messages sent.
    """
    today = today or timezone.localdate()
    overdue = selectors.management_review_overdue(today)
    if not overdue:
        return 0
    recipients = list(selectors.overdue_recipients())
    url = settings.BASE_URL + reverse("reviews:management-review-list")
    sent = 0
    for row in overdue:
        meeting_type, due, days = row["type"], row["due"], row["days_overdue"]
        for user in recipients:
            sent += notify_once(
                recipient=user,
                kind="management-review-overdue",
                subject_key=f"reviews.meetingtype:{meeting_type.pk}",
                period=iso_week(today),
                title=f"Management review overdue: “{meeting_type}” was due on {due:%d %b %Y}",
                body=(
                    f"The {meeting_type.get_frequency_display().lower()} schedule of “{meeting_type}” called for a "
                    f"management review on {due:%d %b %Y}, {days} days ago, and none has been held since. ISO 9001 "
                    "9.3.1 asks for reviews at planned intervals: prepare one, or record why it moved."
                ),
                url=url,
            )
    return sent
