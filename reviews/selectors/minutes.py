"""Reads of minutes: a meeting with everything recorded in it, the signed content, what blocks signing, history.

Every function here runs a fixed number of queries, whatever the number of attendees, items,
decisions and actions.
"""

import datetime
from collections import defaultdict

from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, QuerySet
from django.utils import timezone

from leadership.models.resources import ResourceRequest
from objectives.models import TargetRevision
from qms.signatures import canonical_text, signature_matches
from reviews.models.actions import Action
from reviews.models.meetings import AgendaItem, Attendee, Decision, Meeting, MinutesAmendment

HISTORY_LIMIT = 200
HISTORY_VALUE_CHARS = 160


def _overdue(today: datetime.date) -> ExpressionWrapper:
    return ExpressionWrapper(Q(status__in=Action.OPEN_STATUSES, due_date__lt=today), output_field=BooleanField())


def action_queryset(*, today: datetime.date | None = None) -> QuerySet[Action]:
    """Actions with their owner loaded and `is_overdue` when open past their due date."""
    today = today or timezone.localdate()
    return (
        Action.objects.select_related("owner__user")
        .annotate(is_overdue=_overdue(today))
        .order_by("decision_id", "reference", "pk")
    )


def meeting_get(pk, *, today: datetime.date | None = None) -> Meeting:
    """A meeting with its type, people, attendance, agenda, decisions with their actions, and amendments."""
    decisions = Decision.objects.select_related("owner__user", "agenda_item").prefetch_related(
        Prefetch("actions", queryset=action_queryset(today=today))
    )
    return (
        Meeting.objects.select_related(
            "type", "chair__user", "minute_taker__user", "department", "signature", "management_review"
        )
        .prefetch_related(
            Prefetch("attendees", queryset=Attendee.objects.select_related("person__user", "person__department")),
            Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("presenter__user")),
            Prefetch("decisions", queryset=decisions.order_by("number")),
            Prefetch(
                "amendments",
                queryset=MinutesAmendment.objects.select_related("author", "signature").order_by("created_at", "pk"),
            ),
        )
        .get(pk=pk)
    )


def decision_list(*, today: datetime.date | None = None) -> QuerySet[Decision]:
    """Decisions with their meeting, owner, agenda item and actions, for lists and the API."""
    return (
        Decision.objects.select_related("meeting__type", "owner__user", "agenda_item")
        .prefetch_related(
            Prefetch("actions", queryset=action_queryset(today=today)),
            Prefetch("resource_requests", queryset=ResourceRequest.objects.only("id")),
            Prefetch("target_revisions", queryset=TargetRevision.objects.only("id")),
        )
        .order_by("-meeting__planned_start", "meeting_id", "number")
    )


def decision_get(pk, *, today: datetime.date | None = None) -> Decision:
    """A decision with its meeting (type, chair), owner, actions, amendments and follow-up records."""
    return (
        Decision.objects.select_related(
            "meeting__type", "meeting__chair__user", "owner__user", "agenda_item", "recorded_by"
        )
        .prefetch_related(
            Prefetch("actions", queryset=action_queryset(today=today)),
            Prefetch("amendments", queryset=MinutesAmendment.objects.select_related("author", "signature")),
            Prefetch("resource_requests", queryset=ResourceRequest.objects.select_related("requester__user")),
            Prefetch("target_revisions", queryset=TargetRevision.objects.select_related("objective")),
        )
        .get(pk=pk)
    )


def attendee_list(meeting: Meeting) -> QuerySet[Attendee]:
    return meeting.attendees.select_related("person__user", "person__department")


# What is signed --------------------------------------------------------------------------------


def _utc(value: datetime.datetime | None) -> str | None:
    return value.astimezone(datetime.UTC).isoformat() if value else None


def _signed_actions(meeting: Meeting, decision_ids: list[int]) -> list[Action]:
    """The actions raised on the meeting's decisions, as they were when the minutes were signed.

    Actions live on after signing (started, re-planned, verified) and new ones may follow a decision;
    none of that changes the minutes, so the signed content takes them as of the signature.
    """
    if not decision_ids:
        return []
    if meeting.signed_at is not None:
        return list(Action.history.as_of(meeting.signed_at).filter(decision_id__in=decision_ids))
    return list(Action.objects.filter(decision_id__in=decision_ids))


def meeting_signed_content(meeting: Meeting, *, signed_actions: list | None = None) -> str:
    """The canonical text of the minutes the chair signs: meeting, attendance, items, decisions, actions.

    Uses the meeting's prefetched relations when `meeting_get` loaded it. `signed_actions` are the
    actions as they were at signing, when the caller has loaded them for many meetings at once.
    """
    attendees = sorted(meeting.attendees.all(), key=lambda a: a.person_id)
    items = sorted(meeting.agenda_items.all(), key=lambda i: (i.order, i.pk))
    decisions = sorted(meeting.decisions.all(), key=lambda d: d.number)
    if signed_actions is None:
        signed_actions = _signed_actions(meeting, [d.pk for d in decisions])
    actions = sorted(signed_actions, key=lambda a: a.reference)
    return canonical_text(
        {
            "record": "reviews.meeting",
            "reference": meeting.reference,
            "type": meeting.type_id,
            "title": meeting.title,
            "planned_start": _utc(meeting.planned_start),
            "held_at": _utc(meeting.held_at),
            "place": meeting.place,
            "link": meeting.link,
            "department": meeting.department_id,
            "chair": meeting.chair_id,
            "minute_taker": meeting.minute_taker_id,
            "general_notes": meeting.general_notes,
            "attendees": [[a.person_id, a.status, a.note] for a in attendees],
            "items": [[i.pk, i.order, i.title, i.description, i.presenter_id, i.minutes] for i in items],
            "decisions": [[d.pk, d.number, d.agenda_item_id, d.text, d.output_category, d.owner_id] for d in decisions],
            "actions": [
                [a.reference, a.decision_id, a.title, a.owner_id, a.due_date.isoformat(), a.priority] for a in actions
            ],
        }
    )


def meeting_signature_intact(meeting: Meeting) -> bool | None:
    """Whether the minutes still match what the chair signed (None while unsigned)."""
    if meeting.signature_id is None:
        return None
    return signature_matches(meeting.signature, meeting_signed_content(meeting))


def meeting_sign_problems(meeting: Meeting) -> list[str]:
    """What stops the minutes being signed, one sentence each; empty when they are complete."""
    problems = []
    unmarked = [
        a.person.full_name
        for a in meeting.attendees.select_related("person__user")
        if a.status == Attendee.Status.INVITED
    ]
    if unmarked:
        problems.append(f"Mark the attendance of {', '.join(sorted(unmarked))}.")
    items = list(meeting.agenda_items.all())
    with_decision = set(meeting.decisions.exclude(agenda_item=None).values_list("agenda_item_id", flat=True))
    empty = [f"{i.order}. {i.title}" for i in items if not i.minutes.strip() and i.pk not in with_decision]
    if empty:
        problems.append(
            f"Write minutes or record a decision for agenda item{'s' if len(empty) > 1 else ''} {'; '.join(empty)}."
        )
    if not items and not meeting.general_notes.strip() and not meeting.decisions.exists():
        problems.append("Nothing is recorded yet: add an agenda item with its minutes, or general notes.")
    return problems


# How the minutes read now ------------------------------------------------------------------------


def minutes_outline(meeting: Meeting) -> dict:
    """The meeting's minutes laid out for a page, from `meeting_get`'s prefetched relations (no queries).

    Returns {"items": [{"item", "decisions", "amendments", "text"}], "general": {...}, "attendees"} where
    `text` is the text as it reads now (the last amendment's, or the signed original), and each decision
    carries `amendment_list` and `current_text` the same way.
    """
    amendments = list(meeting.amendments.all())
    by_item, by_decision, general_amendments = defaultdict(list), defaultdict(list), []
    for amendment in amendments:
        if amendment.decision_id:
            by_decision[amendment.decision_id].append(amendment)
        elif amendment.agenda_item_id:
            by_item[amendment.agenda_item_id].append(amendment)
        else:
            general_amendments.append(amendment)
    decisions_by_item = defaultdict(list)
    for decision in meeting.decisions.all():
        decision.amendment_list = by_decision.get(decision.pk, [])
        decision.current_text = decision.amendment_list[-1].amended_text if decision.amendment_list else decision.text
        decisions_by_item[decision.agenda_item_id].append(decision)
    items = []
    for item in sorted(meeting.agenda_items.all(), key=lambda i: (i.order, i.pk)):
        item_amendments = by_item.get(item.pk, [])
        items.append(
            {
                "key": item.pk,
                "item": item,
                "decisions": decisions_by_item.get(item.pk, []),
                "amendments": item_amendments,
                "text": item_amendments[-1].amended_text if item_amendments else item.minutes,
            }
        )
    attendees = sorted(
        meeting.attendees.all(), key=lambda a: (a.person.user.last_name.lower(), a.person.user.first_name.lower())
    )
    actions = [action for decision in meeting.decisions.all() for action in decision.actions.all()]
    return {
        "items": items,
        "general": {
            "key": "general",
            "item": None,
            "decisions": decisions_by_item.get(None, []),
            "amendments": general_amendments,
            "text": general_amendments[-1].amended_text if general_amendments else meeting.general_notes,
        },
        "attendees": attendees,
        "attendance": {status: sum(1 for a in attendees if a.status == status) for status in Attendee.Status.values},
        "actions": actions,
        "overdue_actions": sum(1 for a in actions if a.is_overdue),
    }


def decisions_withdrawn(meeting: Meeting) -> list[dict]:
    """Decision numbers removed before signing and not used again, with who removed them and when."""
    present = {d.number for d in meeting.decisions.all()}
    rows = (
        Decision.history.filter(meeting_id=meeting.pk, history_type="-")
        .select_related("history_user")
        .order_by("number", "-history_date")
    )
    withdrawn = {}
    for row in rows:
        if row.number not in present and row.number not in withdrawn:
            withdrawn[row.number] = {
                "label": f"D{row.number}",
                "text": row.text,
                "by": row.history_user,
                "at": row.history_date,
            }
    return list(withdrawn.values())


# History ---------------------------------------------------------------------------------------


def _short(value) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= HISTORY_VALUE_CHARS else text[: HISTORY_VALUE_CHARS - 1] + "…"


def meeting_history(meeting: Meeting, limit: int = HISTORY_LIMIT) -> list[dict]:
    """The change history of the meeting and everything recorded in it, newest first.

    One query per kind of record (meeting, attendance, agenda items, decisions, amendments) and
    one per kind of related record named in a change. Each row has `record` (the historical row),
    `what` (which part of the minutes) and `changes` as (field, old, new), long texts shortened.
    """
    sources = [
        (Meeting, Meeting.history.filter(id=meeting.pk), lambda h: "Meeting"),
        (
            Attendee,
            Attendee.history.filter(meeting_id=meeting.pk).select_related("person__user"),
            lambda h: f"Attendance: {h.person.full_name if h.person else '?'}",
        ),
        (AgendaItem, AgendaItem.history.filter(meeting_id=meeting.pk), lambda h: f"Item {h.order}. {h.title}"),
        (Decision, Decision.history.filter(meeting_id=meeting.pk), lambda h: f"Decision D{h.number}"),
        (MinutesAmendment, MinutesAmendment.history.filter(meeting_id=meeting.pk), lambda h: "Amendment"),
    ]
    skip = {"id", "created_at", "updated_at"}
    rows, wanted = [], defaultdict(set)
    for model, queryset, what in sources:
        records = list(queryset.select_related("history_user").order_by("id", "history_date", "history_id"))
        # Concrete fields only: comparing many-to-many links would cost a query per row.
        compared = (
            {f.name for f in records[0].tracked_fields if f.editable and f.name not in skip} if records else set()
        )
        previous = {}
        for record in records:
            older = previous.get(record.id)
            changes = []
            if older is not None:
                for change in record.diff_against(older, included_fields=compared).changes:
                    field = model._meta.get_field(change.field)
                    if field.is_relation:
                        wanted[field.related_model].update(v for v in (change.old, change.new) if v is not None)
                    changes.append((field, change.old, change.new))
            previous[record.id] = record
            rows.append({"record": record, "what": what(record), "changes": changes})
    rows.sort(key=lambda r: (r["record"].history_date, r["record"].history_id), reverse=True)
    rows = rows[:limit]
    names = {
        related: {obj.pk: str(obj) for obj in related._base_manager.filter(pk__in=ids)}
        for related, ids in wanted.items()
    }

    def shown(field, value):
        if value is None or value == "":
            return ""
        if field.is_relation:
            return names.get(field.related_model, {}).get(value, f"#{value}")
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return _short(value)

    for row in rows:
        row["changes"] = [
            (str(field.verbose_name), shown(field, old), shown(field, new)) for field, old, new in row["changes"]
        ]
    return rows
