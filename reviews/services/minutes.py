"""Services of minutes: starting a meeting, attendance, minutes per item, decisions, signing, amendments.

A meeting is recorded live by its minute-taker once it has started (status held): attendance,
minutes per agenda item, decisions and the actions raised on them. The chair then signs the
minutes with an e-signature; from then on nothing recorded changes, and a correction is an
amendment, signed by its author, shown beside the original text.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from leadership.models import Person
from leadership.models.commitment import CommitmentEntry
from leadership.services.commitment import commitment_record_from
from leadership.services.resources import resource_request_create
from objectives.services.objectives import target_revision_propose
from qms import outbox
from qms.concurrency import check_version
from qms.exceptions import ApplicationError
from qms.models import Signature
from qms.notifications import notify_once
from qms.signatures import canonical_text, signature_sign, signing_service
from reviews.models.actions import Action
from reviews.models.management_reviews import ManagementReview
from reviews.models.meetings import AgendaItem, Attendee, Decision, Meeting, MeetingType, MinutesAmendment
from reviews.selectors.minutes import meeting_sign_problems, meeting_signed_content
from reviews.services import meetings as meetings_services
from reviews.services.actions import action_create

RECORD = "reviews.record_meeting"
SIGN = "reviews.sign_meeting"
SIGN_MEANING = "approved"
SIGN_STATEMENT = "I approve these minutes as a true record"
AMEND_MEANING = "authored"
# Attendance the minute-taker records; "invited" is what nobody has marked yet.
MARKED_STATUSES = (Attendee.Status.PRESENT, Attendee.Status.ABSENT, Attendee.Status.APOLOGIES)
DECISION_EDITABLE = ("text", "owner", "output_category", "agenda_item")


def _require(actor, permission: str, message: str) -> None:
    if actor is None or not actor.has_perm(permission):
        raise PermissionDenied(message)


def _person_of(actor) -> Person | None:
    return Person.objects.filter(user_id=getattr(actor, "pk", None)).first()


def _save(instance, actor) -> None:
    instance.full_clean()
    instance._history_user = actor
    instance.save()


def _is_review(meeting: Meeting) -> bool:
    return meeting.type.category == MeetingType.Category.MANAGEMENT_REVIEW


def _lock_open_meeting(meeting: Meeting) -> Meeting:
    """The meeting's row, locked, refused once its minutes are signed or it was cancelled."""
    locked = Meeting.objects.select_for_update(of=("self",)).select_related("type").get(pk=meeting.pk)
    if locked.status == Meeting.Status.SIGNED:
        raise ApplicationError("The minutes are signed and can no longer change; add an amendment instead.")
    if locked.status == Meeting.Status.CANCELLED:
        raise ApplicationError("The meeting was cancelled.")
    return locked


def _lock_recording(meeting: Meeting, actor) -> Meeting:
    """The meeting's row, locked, for recording: it must have started and not be signed yet."""
    _require(actor, RECORD, "Your role cannot take minutes.")
    locked = _lock_open_meeting(meeting)
    if locked.status == Meeting.Status.PLANNED:
        raise ApplicationError("The meeting has not started: start it first, so that its minutes say when it was held.")
    return locked


def _active_person(person: Person | None, field: str) -> None:
    if person is not None and not person.user.is_active:
        raise ValidationError({field: f"{person} can no longer sign in; choose an active person."})


# Starting ------------------------------------------------------------------------------------


@transaction.atomic
def meeting_start(*, actor, meeting: Meeting, held_at: datetime.datetime | None = None) -> Meeting:
    """Open the minutes: the meeting is held from `held_at` (now when not given).

    The actor becomes the minute-taker if none was named. A management review's 9.3.2 inputs
    are frozen as they are at this moment, so the review discusses fixed figures.
    """
    _require(actor, RECORD, "Your role cannot take minutes.")
    meeting = _lock_open_meeting(meeting)
    if meeting.status != Meeting.Status.PLANNED:
        raise ApplicationError(f"{meeting.reference} has already started.")
    now = timezone.now()
    held_at = held_at or now
    if held_at > now:
        raise ValidationError({"held_at": "A meeting starts when it is held: the time cannot be in the future."})
    review = None
    if _is_review(meeting):
        review = ManagementReview.objects.filter(meeting=meeting).first()
        if review is None:
            raise ApplicationError("Prepare the management review (its period and inputs) before starting its meeting.")
    meeting.status = Meeting.Status.HELD
    meeting.held_at = held_at
    if meeting.minute_taker_id is None:
        meeting.minute_taker = _person_of(actor)
    _save(meeting, actor)
    if meeting.minute_taker_id and not meeting.attendees.filter(person_id=meeting.minute_taker_id).exists():
        Attendee.objects.create(meeting=meeting, person_id=meeting.minute_taker_id, status=Attendee.Status.PRESENT)
    if review is not None:
        from reviews.services.management_reviews import management_review_freeze

        management_review_freeze(actor=actor, review=review)
    return meeting


# Attendance ----------------------------------------------------------------------------------


@transaction.atomic
def attendee_mark(*, actor, attendee: Attendee, status: str, note: str | None = None) -> Attendee:
    """Record whether an invited person was present, absent or sent apologies."""
    _lock_recording(attendee.meeting, actor)
    attendee = Attendee.objects.select_for_update(of=("self",)).select_related("person__user").get(pk=attendee.pk)
    if status not in MARKED_STATUSES:
        raise ValidationError({"status": "Mark the person present, absent or as having sent apologies."})
    attendee.status = status
    if note is not None:
        attendee.note = note.strip()
    _save(attendee, actor)
    return attendee


@transaction.atomic
def attendee_add(
    *, actor, meeting: Meeting, person: Person, status: str = Attendee.Status.PRESENT, note: str = ""
) -> Attendee:
    """Add someone who was not invited (a guest, a stand-in) to the attendance list."""
    meeting = _lock_recording(meeting, actor)
    if person is None:
        raise ValidationError({"person": "Choose the person to add."})
    if status not in MARKED_STATUSES:
        raise ValidationError({"status": "Mark the person present, absent or as having sent apologies."})
    if meeting.attendees.filter(person=person).exists():
        raise ValidationError({"person": f"{person} is already on the attendance list; mark them there."})
    attendee = Attendee(meeting=meeting, person=person, status=status, note=(note or "").strip())
    _save(attendee, actor)
    return attendee


# Agenda and minutes --------------------------------------------------------------------------


@transaction.atomic
def agenda_item_add(
    *, actor, meeting: Meeting, title: str, description: str = "", presenter: Person | None = None
) -> AgendaItem:
    """Add an item that came up during the meeting, after the last one (the agenda's own service)."""
    meeting = _lock_recording(meeting, actor)
    return meetings_services.agenda_item_add(
        actor=actor, meeting=meeting, title=title, description=description, presenter=presenter
    )


@transaction.atomic
def agenda_item_minutes_save(
    *, actor, item: AgendaItem, minutes: str, expected_version: int | None = None
) -> AgendaItem:
    """Save what was said under an agenda item; saving the same text again writes nothing.

    `expected_version` is the version of the item the recorder's text is based on: if another
    recorder saved different minutes since, the save is refused with `EditConflict` (their text
    is on `conflict.record.minutes`), so neither text overwrites the other unseen.
    """
    _lock_recording(item.meeting, actor)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    minutes = (minutes or "").replace("\r\n", "\n").rstrip()
    if item.minutes != minutes:
        check_version(item, expected_version, fields=("minutes",), own_saves_of=actor)
        item.minutes = minutes
        _save(item, actor)
    return item


@transaction.atomic
def meeting_notes_save(*, actor, meeting: Meeting, general_notes: str) -> Meeting:
    """Save the minutes that belong to no agenda item; saving the same text again writes nothing."""
    meeting = _lock_recording(meeting, actor)
    notes = (general_notes or "").replace("\r\n", "\n").rstrip()
    if meeting.general_notes != notes:
        meeting.general_notes = notes
        _save(meeting, actor)
    return meeting


# Decisions -----------------------------------------------------------------------------------


def _check_decision(meeting: Meeting, decision: Decision) -> None:
    is_review = _is_review(meeting)
    if decision.output_category and not is_review:
        raise ValidationError({"output_category": "Only a management review's decisions are 9.3.3 outputs."})
    if is_review and not decision.output_category:
        raise ValidationError(
            {"output_category": "Say which 9.3.3 output this is: improvement, change to the QMS or resource need."}
        )
    if decision.agenda_item is not None and decision.agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": "The agenda item belongs to another meeting."})
    if not (decision.text or "").strip():
        raise ValidationError({"text": "Write what was decided."})
    _active_person(decision.owner, "owner")


@transaction.atomic
def decision_add(
    *,
    actor,
    meeting: Meeting,
    text: str,
    agenda_item: AgendaItem | None = None,
    owner: Person | None = None,
    output_category: str = "",
) -> Decision:
    """Record a decision of `meeting` under the next number (D1, D2, ...).

    `output_category` (9.3.3 a, b or c) is for management reviews only, where it is required.
    """
    meeting = _lock_recording(meeting, actor)
    number = (meeting.decisions.aggregate(last=Max("number"))["last"] or 0) + 1
    decision = Decision(
        meeting=meeting,
        agenda_item=agenda_item,
        number=number,
        text=(text or "").strip(),
        owner=owner,
        output_category=output_category or "",
        recorded_by=actor,
    )
    _check_decision(meeting, decision)
    _save(decision, actor)
    return decision


@transaction.atomic
def decision_update(*, actor, decision: Decision, **changes) -> Decision:
    """Correct a decision's text, owner, 9.3.3 category or agenda item before the minutes are signed."""
    unknown = set(changes) - set(DECISION_EDITABLE)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be changed through decision_update")
    meeting = _lock_recording(decision.meeting, actor)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    for name, value in changes.items():
        if name in ("text", "output_category"):
            value = (value or "").strip()
        setattr(decision, name, value)
    _check_decision(meeting, decision)
    _save(decision, actor)
    return decision


@transaction.atomic
def decision_remove(*, actor, decision: Decision) -> None:
    """Withdraw a decision recorded by mistake, before signing and only while no action was raised on it.

    Its number is not reused by later decisions unless it was the last one; the history keeps it.
    """
    _lock_recording(decision.meeting, actor)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.actions.exists():
        raise ApplicationError(
            f"{decision.label} has actions: it cannot be removed. Edit its text instead, or close its actions "
            "through the action register."
        )
    if decision.resource_requests.exists() or decision.target_revisions.exists():
        raise ApplicationError(f"{decision.label} is linked to a resource request or target revision: keep it.")
    decision._history_user = actor
    decision.delete()


@transaction.atomic
def decision_action_add(
    *,
    actor,
    decision: Decision,
    title: str,
    owner: Person,
    due_date: datetime.date,
    priority: str = Action.Priority.MEDIUM,
    description: str = "",
) -> Action:
    """Raise an action on a decision while the meeting is recorded; a management review's is a review output."""
    meeting = _lock_recording(decision.meeting, actor)
    if owner is None:
        raise ValidationError({"owner": "Every action needs an owner."})
    held_on = timezone.localdate(meeting.held_at)
    if isinstance(due_date, datetime.date) and due_date < held_on:
        raise ValidationError({"due_date": f"The due date is before the meeting ({held_on:%d %b %Y})."})
    source = Action.Source.REVIEW_OUTPUT if _is_review(meeting) else Action.Source.MEETING_DECISION
    return action_create(
        actor=actor,
        source=source,
        source_record=decision,
        title=title,
        owner=owner,
        due_date=due_date,
        priority=priority or Action.Priority.MEDIUM,
        description=description or "",
    )


# Signing -------------------------------------------------------------------------------------


@signing_service
@transaction.atomic
def meeting_sign(
    *,
    actor,
    meeting: Meeting,
    password: str,
    otp_code: str = "",
    review_checked: bool = False,
    review_signature: Signature | None = None,
) -> Meeting:
    """The chair approves the minutes as a true record with an e-signature; they never change afterwards.

    Everyone invited must be marked present, absent or apologies, and every agenda item must have
    minutes or a decision. A management review is signed from its review page (which passes
    `review_checked=True` and the review's signature, whose two-factor code check covers the
    minutes' signature), together with its conclusions. The signature is logged as top
    management's commitment (5.1.1) when the chair is in top management.
    """
    locked = Meeting.objects.select_for_update(of=("self",)).select_related("type", "chair__user").get(pk=meeting.pk)
    person = _person_of(actor)
    if person is None or person.pk != locked.chair_id:
        raise PermissionDenied(f"Only the chair, {locked.chair.full_name}, can sign these minutes.")
    _require(actor, SIGN, "Your role cannot sign minutes.")
    if locked.status == Meeting.Status.SIGNED:
        raise ApplicationError("The minutes are already signed; correct them with an amendment.")
    if locked.status != Meeting.Status.HELD:
        raise ApplicationError(
            f"{locked.reference} is {locked.get_status_display().lower()}: only a held meeting's minutes are signed."
        )
    if _is_review(locked) and not review_checked:
        raise ApplicationError("A management review is signed from its review page, with its conclusions.")
    problems = meeting_sign_problems(locked)
    if problems:
        raise ApplicationError(
            "The minutes are not complete: " + " ".join(problems), extra={"missing": problems}, status_code=409
        )
    signature = signature_sign(
        actor=actor,
        record=locked,
        meaning=SIGN_MEANING,
        password=password,
        otp_code=otp_code,
        same_act_as=review_signature,
        content=meeting_signed_content(locked),
        statement=SIGN_STATEMENT,
    )
    locked.status = Meeting.Status.SIGNED
    locked.signed_at = signature.signed_at
    locked.signature = signature
    _save(locked, actor)
    held_on = timezone.localdate(locked.held_at)
    decisions = locked.decisions.count()
    commitment_record_from(
        person=locked.chair,
        source=CommitmentEntry.Source.MEETING_CHAIRED,
        source_record=locked,
        date=held_on,
        description=(
            f"Chaired and signed the minutes of {locked.reference} {locked.title} ({held_on:%d %b %Y}): "
            f"{decisions} decision{'' if decisions == 1 else 's'}."
        ),
        requirement_ids=list(Meeting.REQUIREMENT_IDS),
    )
    from reviews.tasks.minutes import meeting_notify_signed_task

    outbox.enqueue(meeting_notify_signed_task, locked.pk)
    return locked


def meeting_notify_signed(*, meeting_id: int) -> int:
    """Tell everyone on the attendance list, and the owners of its actions, that the minutes are signed.

    Once per person and meeting, however often it runs. Returns how many were told now.
    """
    meeting = Meeting.objects.filter(pk=meeting_id, status=Meeting.Status.SIGNED).first()
    if meeting is None:
        return 0
    users = {
        a.person.user
        for a in meeting.attendees.select_related("person__user").exclude(person_id=meeting.chair_id)
        if a.person.user.is_active
    }
    for action in Action.objects.filter(decision__meeting=meeting).select_related("owner__user"):
        if action.owner.user.is_active and action.owner_id != meeting.chair_id:
            users.add(action.owner.user)
    held_on = timezone.localdate(meeting.held_at)
    sent = 0
    for user in sorted(users, key=lambda u: u.pk):
        sent += notify_once(
            recipient=user,
            kind="minutes-signed",
            subject_key=f"reviews.meeting:{meeting.pk}",
            period="signed",
            title=f"Minutes signed: {meeting.reference} {meeting.title}",
            body=f"The minutes of the meeting held on {held_on:%d %b %Y} are signed. Check the decisions and "
            "your actions.",
            url=reverse("reviews:meeting-detail", args=[meeting.pk]),
        )
    return sent


# Amendments ----------------------------------------------------------------------------------


def _current_text(meeting: Meeting, agenda_item: AgendaItem | None, decision: Decision | None) -> str:
    """The text as it reads now: the last amendment's, or the signed original."""
    last = (
        MinutesAmendment.objects.filter(meeting=meeting, agenda_item=agenda_item, decision=decision)
        .order_by("-created_at", "-pk")
        .first()
    )
    if last is not None:
        return last.amended_text
    if decision is not None:
        return decision.text
    if agenda_item is not None:
        return agenda_item.minutes
    return meeting.general_notes


def amendment_signed_content(amendment: MinutesAmendment) -> str:
    """The canonical text an amendment's author signs."""
    return canonical_text(
        {
            "record": "reviews.minutesamendment",
            "meeting": amendment.meeting.reference,
            "agenda_item": amendment.agenda_item_id,
            "decision": amendment.decision_id,
            "original_text": amendment.original_text,
            "amended_text": amendment.amended_text,
            "reason": amendment.reason,
            "author": amendment.author_id,
        }
    )


def may_amend(user, meeting: Meeting) -> bool:
    """Whether `user` may amend the meeting's signed minutes: its chair, or anyone who signs minutes."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.has_perm(SIGN):
        return True
    return Person.objects.filter(user_id=user.pk, pk=meeting.chair_id).exists()


@signing_service
@transaction.atomic
def minutes_amend(
    *,
    actor,
    meeting: Meeting,
    password: str,
    otp_code: str = "",
    reason: str,
    amended_text: str,
    agenda_item: AgendaItem | None = None,
    decision: Decision | None = None,
) -> MinutesAmendment:
    """Correct signed minutes: an agenda item's minutes, a decision's text, or (neither given) the general notes.

    The signed rows stay as they were signed; the amendment keeps the text it replaces, the new
    text and the reason, and is e-signed by its author.
    """
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("type").get(pk=meeting.pk)
    if not may_amend(actor, meeting):
        raise PermissionDenied("Only the chair or someone who signs minutes can amend them.")
    if meeting.status != Meeting.Status.SIGNED:
        raise ApplicationError("Only signed minutes are amended; until they are signed, edit them directly.")
    errors = {}
    if agenda_item is not None and decision is not None:
        errors["decision"] = "An amendment corrects an agenda item's minutes or a decision, not both."
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        errors["agenda_item"] = "The agenda item belongs to another meeting."
    if decision is not None and decision.meeting_id != meeting.pk:
        errors["decision"] = "The decision belongs to another meeting."
    if errors:
        raise ValidationError(errors)
    reason = (reason or "").strip()
    amended_text = (amended_text or "").replace("\r\n", "\n").strip()
    original = _current_text(meeting, agenda_item, decision)
    if not reason:
        errors["reason"] = "Say why the minutes are corrected, e.g. “wrong figure quoted: scrap was 2.1%, not 1.2%”."
    if not amended_text:
        errors["amended_text"] = "Write the corrected text."
    elif amended_text == original.strip():
        errors["amended_text"] = "The corrected text is the same as the text it replaces."
    if errors:
        raise ValidationError(errors)
    amendment = MinutesAmendment(
        meeting=meeting,
        agenda_item=agenda_item,
        decision=decision,
        original_text=original,
        amended_text=amended_text,
        reason=reason,
        author=actor,
    )
    # Text added to a part that was empty when signed (general notes, say) replaces nothing.
    amendment.full_clean(exclude=["original_text"] if not original else None)
    amendment._history_user = actor
    amendment.save()
    if decision is not None:
        what = f"decision {decision.label}"
    elif agenda_item is not None:
        what = f"the minutes of item {agenda_item.order}"
    else:
        what = "the general notes"
    amendment.signature = signature_sign(
        actor=actor,
        record=amendment,
        meaning=AMEND_MEANING,
        password=password,
        otp_code=otp_code,
        content=amendment_signed_content(amendment),
        statement=f"I amend {what} of the signed minutes of {meeting.reference}"[:300],
    )
    amendment.save(update_fields=["signature", "updated_at"])
    return amendment


# Follow-up of management review outputs ------------------------------------------------------


def _check_follow_up(decision: Decision) -> None:
    if decision.meeting.status not in (Meeting.Status.HELD, Meeting.Status.SIGNED):
        raise ApplicationError("Follow-up is recorded on decisions of held meetings.")
    if not _is_review(decision.meeting):
        raise ApplicationError("Only a management review's outputs are followed up with requests and revisions.")


@transaction.atomic
def decision_resource_request_create(*, actor, decision: Decision, **fields):
    """Request the resources a management review output calls for (9.3.3 c), linked to the decision."""
    decision = Decision.objects.select_related("meeting__type").get(pk=decision.pk)
    _check_follow_up(decision)
    fields.setdefault("serves", f"{decision.meeting.reference} {decision.label}")
    request = resource_request_create(actor=actor, **fields)
    decision._history_user = actor
    decision.resource_requests.add(request)
    return request


@transaction.atomic
def decision_target_revision_propose(*, actor, decision: Decision, objective, **fields):
    """Propose the target revision a management review output decided, linked to the decision."""
    decision = Decision.objects.select_related("meeting__type").get(pk=decision.pk)
    _check_follow_up(decision)
    if objective is None:
        raise ValidationError({"objective": "Choose the objective whose target is revised."})
    revision = target_revision_propose(actor=actor, objective=objective, **fields)
    decision._history_user = actor
    decision.target_revisions.add(revision)
    return revision
