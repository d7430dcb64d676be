"""Demo management reviews of Northbridge Precision Components (ISO 9001 9.3).

The yearly review, held about two months ago on the "Management review" schedule and chaired by
Margaret Ellison, is prepared by Priya Raman three weeks before, held (inputs frozen as on the
day), minuted by Lucy Chen, concluded, given five outputs across 9.3.3 a, b and c with owners and
actions (one output requests offline CMM programming through leadership's resource requests, which
Margaret then approves), and signed by Margaret. Its manual sections (external and internal
issues, process performance, external providers) carry realistic entries. One of its outputs
moves the company to half-yearly reviews, so an interim review is being prepared for next month:
compiled, with some notes still missing.

Everything goes through the services; afterwards the time stamps are moved back to when each step
happened, so the pages read like the real sequence. Idempotent: the signed review is made only if
no review is signed yet, the interim one only if none is planned in the future.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from leadership.demo.people import DEMO_PASSWORD
from leadership.models.commitment import CommitmentEntry
from leadership.models.resources import ResourceRequest
from leadership.services import resources as resource_services
from qms.history import history_rewrite_allowed
from qms.models import Signature
from reviews.models.actions import Action
from reviews.models.management_reviews import ManagementReview, ReviewInput
from reviews.models.meetings import AgendaItem, Attendee, Decision, Meeting, MeetingType
from reviews.selectors.meetings import add_months
from reviews.services import actions as action_services
from reviews.services import management_reviews as services
from reviews.services import minutes as minutes_services
from reviews.services.meetings import meeting_type_create

Item = ReviewInput.Item
Out = Decision.OutputCategory
INVITEES = ("margaret", "david", "priya", "tom", "elena", "james", "aisha")

ISSUES = [
    {
        "issue": "Aerospace customers require AS9100 certification",
        "kind": "external",
        "change": "Aerolux and two other aerospace customers will buy only from AS9100-certified suppliers from the "
        "end of next year; their supplier questionnaires already ask for the transition plan.",
        "effect": "QMS to extend to configuration management, product safety, counterfeit parts and FOD; a gap "
        "analysis and a transition plan are needed (see output D2).",
    },
    {
        "issue": "Energy prices and mill surcharges",
        "kind": "external",
        "change": "Electricity up 18% year on year; steel and titanium mills added alloy surcharges.",
        "effect": "Scrap and rework cost more than before: the scrap objective stays a priority.",
    },
    {
        "issue": "Night shift on Line 2 enlarged",
        "kind": "internal",
        "change": "Night shift grew from four to seven machinists, three of them new starters.",
        "effect": "Competence records, first-off inspection discipline and supervision at night to be checked "
        "by the next internal audit.",
    },
    {
        "issue": "Lot traceability moved into the ERP",
        "kind": "internal",
        "change": "Material certificates and lot numbers are now recorded in the ERP instead of spreadsheets.",
        "effect": "Certificates of conformity come from the ERP; procedure QP-05 Control of records updated.",
    },
]
PROCESSES = [
    {
        "process": "CNC machining",
        "indicator": "First-pass yield",
        "result": "96.8%",
        "target": "97%",
        "comment": "Below target in the first quarter (Line 2 bore oversize); on target since the first-off sign-off.",
    },
    {
        "process": "Final inspection",
        "indicator": "Escapes to customers",
        "result": "180 ppm",
        "target": "≤ 250 ppm",
        "comment": "Two escapes in the year: a missing chamfer (Kestrel) and a burr (Aerolux), both closed by 8D.",
    },
    {
        "process": "Finishing and deburring",
        "indicator": "Rework rate",
        "result": "1.9%",
        "target": "≤ 2%",
        "comment": "",
    },
    {
        "process": "Order handling and planning",
        "indicator": "On-time delivery",
        "result": "95.8%",
        "target": "95%",
        "comment": "Recovered after the daily capacity review started in February.",
    },
    {
        "process": "Calibration",
        "indicator": "Instruments within calibration",
        "result": "99.2%",
        "target": "100%",
        "comment": "One lapse (Zeiss CMM, two weeks); register moved into the maintenance planner since.",
    },
]
PROVIDERS = [
    {
        "provider": "Sheffield Alloys",
        "scope": "Titanium bar (Ti-6Al-4V)",
        "rating": "acceptable",
        "on_time_pct": "88",
        "quality_issues": "1",
        "comment": "Lead time now 14 weeks; single source until the second source is approved.",
    },
    {
        "provider": "Castleford Steel",
        "scope": "EN24T and 316 stainless bar",
        "rating": "poor",
        "on_time_pct": "82.5",
        "quality_issues": "3",
        "comment": "Late lots and a missing mill certificate; corrective action request answered, on watch.",
    },
    {
        "provider": "Midland Heat Treatment",
        "scope": "Heat treatment and hardness testing",
        "rating": "good",
        "on_time_pct": "97",
        "quality_issues": "0",
        "comment": "",
    },
    {
        "provider": "Castle Anodising",
        "scope": "Anodising, Type II and III",
        "rating": "acceptable",
        "on_time_pct": "93.5",
        "quality_issues": "2",
        "comment": "Two batches with uneven colour, stripped and re-anodised at their cost.",
    },
    {
        "provider": "Midland Titanium",
        "scope": "Titanium bar (second source, trial)",
        "rating": "good",
        "on_time_pct": "100",
        "quality_issues": "0",
        "comment": "Trial order of 50 bars accepted at goods in; approval pending the supplier audit report.",
    },
]
NOTES = {
    Item.ACTIONS: "First management review recorded in Clause5. The actions of the previous review (paper "
    "minutes in the QMS file, MR-2024) were all closed and verified before this period began.",
    Item.CUSTOMERS: "Complaints concentrated on two aerospace part families; both root causes closed by 8D. "
    "Survey scores steady. One response given after its target day: response targets now on the Sales board.",
    Item.OBJECTIVES: "Objectives reviewed one by one with their owners; each off-track objective has an action "
    "plan and, where the target itself was wrong, a target revision.",
    Item.AUDITS: "The internal audit of clauses 5, 6.2 and 9.3 found two minor nonconformities; their actions "
    "are shown under c.4. The purchasing audit is planned for next quarter.",
    Item.RESOURCES: "The CMM approved this year halved final inspection time per part; CMM programming for new "
    "aerospace parts is now the bottleneck (see output D3).",
    Item.RISKS: "Titanium single source remains the highest risk; second source on trial. No risk review overdue "
    "by more than a month.",
    Item.IMPROVEMENT: "Employee ideas funded from the quality improvement fund: coolant filtration on Line 2 and "
    "a poka-yoke fixture for the bracket drilling.",
}
CONCLUSIONS = {
    "suitability": "The QMS remains suitable for the scope of Northbridge Precision Components: CNC machining, "
    "finishing and assembly of precision components for aerospace and automotive customers. The AS9100 "
    "requirement of the aerospace customers is the main change in context and is addressed by D2.",
    "adequacy": "Adequate: every process in scope has its procedures, objectives and monitoring. Control of "
    "external providers is the weakest part (Castleford Steel rated poor, titanium single-sourced) and is "
    "strengthened by D1.",
    "effectiveness": "Effective overall: on-time delivery and scrap objectives met in the second half of the "
    "period, complaints falling, no major nonconformity at internal audit. Calibration control failed once (CMM "
    "lapse) and was corrected; the correction is verified.",
    "strategic_alignment": "Supports the strategy of growing aerospace work to 40% of sales: AS9100 readiness, CMM "
    "capacity for aerospace first articles and a second titanium source are this year's QMS contributions.",
}
# text, category, owner, actions: (title, owner, days after the review it is due, priority, state today)
OUTPUTS = [
    (
        "Introduce a supplier scorecard (on-time delivery, quality issues, responsiveness) reviewed every quarter; "
        "suppliers rated poor go on a development plan.",
        Out.IMPROVEMENT,
        "aisha",
        [
            ("Draft the supplier scorecard and its rating rules", "aisha", 30, "high", "done"),
            ("Put Castleford Steel on a supplier development plan", "hannah", 45, "medium", "in-progress"),
        ],
    ),
    (
        "Start the transition from ISO 9001 to AS9100D: gap analysis by the end of the quarter, then a transition "
        "plan for top management's approval.",
        Out.QMS_CHANGE,
        "priya",
        [
            ("Carry out the AS9100D gap analysis", "priya", 75, "high", "in-progress"),
            ("Update the QMS scope statement and quality manual for AS9100D", "lucy", 120, "medium", "open"),
        ],
    ),
    (
        "Provide offline CMM programming (software licence and a workstation) so that aerospace first articles are "
        "no longer queued behind production measurement.",
        Out.RESOURCE_NEED,
        "priya",
        [("Install and validate the offline CMM programming workstation", "marek", 90, "medium", "open")],
    ),
    (
        "Hold management reviews every six months instead of yearly, with an interim review next quarter to follow "
        "up D1 to D3.",
        Out.QMS_CHANGE,
        "margaret",
        [("Plan the interim management review and send the invitations", "priya", 21, "medium", "verified")],
    ),
    (
        "Extend statistical process control from part 4471 to the bores of the three aerospace housings with the "
        "tightest tolerances.",
        Out.IMPROVEMENT,
        "tom",
        [("Set up SPC charts for the AH-200 housing bores", "grace", 60, "medium", "open")],
    ),
]
RESOURCE_REQUEST = {
    "title": "Offline CMM programming software and workstation",
    "category": ResourceRequest.Category.EQUIPMENT,
    "amount": Decimal("14500.00"),
    "justification": "New aerospace part numbers wait up to a week for CMM programs written on the machine, which "
    "stops production measurement meanwhile. Offline programming (Calypso licence and a CAD workstation) lets "
    "programs be written and proven before the first article arrives.",
}
MINUTES = [
    "Priya presented the status of the previous review's actions (paper records): all closed and verified.",
    "Four changes recorded under b). The AS9100 requirement was discussed at length: see D2.",
    "Customer, objective, process, nonconformity, measurement, audit and supplier figures presented by their "
    "owners from the frozen inputs. Castleford Steel rated poor: see D1.",
    "Budget use reviewed: the CMM and training were the main spending. CMM programming capacity is short: see D3.",
    "Risk register reviewed; titanium single source remains the highest risk, second source on trial.",
    "Improvement ideas from staff and the audit opportunity reviewed: see D5.",
    "Conclusions agreed as recorded on the review page.",
]


def _users(staff) -> dict:
    return {u.username: u for u in get_user_model().objects.filter(username__in=staff.keys())}


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _review_type(actor, staff) -> MeetingType:
    """The demo's management review type (the meetings demo makes it; made here only if absent)."""
    existing = MeetingType.objects.filter(category=MeetingType.Category.MANAGEMENT_REVIEW).order_by("pk").first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    return meeting_type_create(
        actor=actor,
        name="Management review",
        category=MeetingType.Category.MANAGEMENT_REVIEW,
        description="Top management's yearly review of the QMS (ISO 9001 9.3): inputs, conclusions, outputs.",
        frequency=MeetingType.Frequency.YEARLY,
        first_occurrence=_at(add_months(today, -2, 22), 9, 30),
        plan_ahead=1,
        default_duration_minutes=180,
        default_place="Boardroom, Building A",
        default_chair=staff["margaret"],
        default_invitees=[staff[u] for u in INVITEES],
    )


@history_rewrite_allowed()
def _restamp(since: datetime.datetime, when: datetime.datetime) -> None:
    """Date the records and history rows written since `since` as written at `when`."""
    for model in (ManagementReview, ReviewInput, Meeting, Attendee, AgendaItem, Decision, Action, ResourceRequest):
        model.history.filter(history_date__gte=since).update(history_date=when)
        model.objects.filter(created_at__gte=since).update(created_at=when)
        model.objects.filter(updated_at__gte=since).update(updated_at=when)
    ReviewInput.objects.filter(compiled_at__gte=since).update(compiled_at=when)
    ManagementReview.objects.filter(compiled_at__gte=since).update(compiled_at=when)
    ManagementReview.objects.filter(frozen_at__gte=since).update(frozen_at=when)
    Signature.objects.filter(signed_at__gte=since).update(signed_at=when)
    entries = CommitmentEntry.objects.filter(created_at__gte=since)
    entries.update(created_at=when)
    # Signed minutes are logged on the day the meeting was held; everything else on the day it happened.
    entries.exclude(source=CommitmentEntry.Source.MEETING_CHAIRED).update(date=timezone.localdate(when))


def _inputs(review: ManagementReview) -> dict[str, ReviewInput]:
    return {i.item: i for i in ReviewInput.objects.filter(review=review)}


def _carry(action: Action, state: str, users, done_at: datetime.datetime) -> None:
    """Take an action to `state` through the register's transitions, dated `done_at` (verified a week later)."""
    if state == "open":
        return
    owner = users[action.owner.user.username]
    since = timezone.now()
    action_services.action_start(actor=owner, action=action)
    if state != "in-progress":
        action_services.action_complete(
            actor=owner, action=action, completion_note=f"Done: {action.title.lower()}. Record filed with the action."
        )
    _restamp(since, done_at)
    Action.objects.filter(pk=action.pk, completed_at__isnull=False).update(completed_at=done_at)
    if state != "verified":
        return
    verifier = users["margaret"] if action.owner.user.username == "priya" else users["priya"]
    verified_at = done_at + datetime.timedelta(days=7)
    since = timezone.now()
    action_services.action_verify(
        actor=verifier, action=action, effective=True, note="Checked: done as decided, and it serves its purpose."
    )
    _restamp(since, verified_at)
    Action.objects.filter(pk=action.pk).update(verified_at=verified_at)


def _signed_review(staff, users, meeting_type: MeetingType) -> dict[str, int]:
    """The yearly review of the twelve months before it, held about two months ago and signed."""
    planned = timezone.localtime(meeting_type.first_occurrence)
    today = timezone.localdate()
    if planned.date() >= today - datetime.timedelta(days=30):
        planned = _at(add_months(today, -2, 22), 9, 30)
    meeting_day = planned.date()
    period_end = meeting_day.replace(day=1) - datetime.timedelta(days=1)
    period_start = add_months(period_end.replace(day=1), -11)
    priya, lucy, margaret = users["priya"], users["lucy"], users["margaret"]

    # Prepared three weeks before by the management representative.
    since = timezone.now()
    review = services.management_review_prepare(
        actor=priya,
        meeting_type=meeting_type,
        planned_start=planned,
        chair=staff["margaret"],
        minute_taker=staff["lucy"],
        period_start=period_start,
        period_end=period_end,
        invitees=[staff[u] for u in INVITEES],
    )
    inputs = _inputs(review)
    for item, entries in ((Item.ISSUES, ISSUES), (Item.PROCESSES, PROCESSES), (Item.PROVIDERS, PROVIDERS)):
        services.review_input_set_entries(actor=priya, review_input=inputs[item], entries=entries)
    for item, note in NOTES.items():
        services.review_input_annotate(actor=priya, review_input=inputs[item], note=note)
    _restamp(since, planned - datetime.timedelta(days=21))

    # Held: inputs frozen as on the day, attendance and minutes, conclusions, outputs and their actions.
    since = timezone.now()
    held_at = planned + datetime.timedelta(minutes=5)
    services.management_review_freeze(actor=priya, review=review, today=meeting_day)
    meeting = minutes_services.meeting_start(actor=lucy, meeting=review.meeting, held_at=held_at)
    _restamp(since, held_at)

    since = timezone.now()
    for attendee in meeting.attendees.select_related("person__user"):
        status = Attendee.Status.APOLOGIES if attendee.person.user.username == "elena" else Attendee.Status.PRESENT
        note = "Travelling to a customer; sent her comments on b) in writing." if status == "apologies" else ""
        minutes_services.attendee_mark(actor=lucy, attendee=attendee, status=status, note=note)
    items = list(meeting.agenda_items.order_by("order"))
    for item, text in zip(items, MINUTES, strict=False):
        minutes_services.agenda_item_minutes_save(actor=lucy, item=item, minutes=text)
    services.management_review_conclude(actor=margaret, review=review, **CONCLUSIONS)
    actions, request = [], None
    for text, category, owner, planned_actions in OUTPUTS:
        decision = services.management_review_output_add(
            actor=margaret, review=review, text=text, output_category=category, owner=staff[owner]
        )
        for title, action_owner, due_days, priority, state in planned_actions:
            action = minutes_services.decision_action_add(
                actor=lucy,
                decision=decision,
                title=title,
                owner=staff[action_owner],
                due_date=meeting_day + datetime.timedelta(days=due_days),
                priority=priority,
            )
            actions.append((action, state))
        if category == Out.RESOURCE_NEED:
            request = minutes_services.decision_resource_request_create(
                actor=priya,
                decision=decision,
                needed_by=meeting_day + datetime.timedelta(days=90),
                department=staff["priya"].department,
                **RESOURCE_REQUEST,
            )
    _restamp(since, held_at + datetime.timedelta(hours=2, minutes=40))

    # Signed by the chair the next morning; the request decided a week later.
    since = timezone.now()
    review = services.management_review_sign(actor=margaret, review=review, password=DEMO_PASSWORD)
    signed_at = held_at + datetime.timedelta(days=1, hours=-0.5)
    _restamp(since, signed_at)
    ManagementReview.objects.filter(pk=review.pk).update(signed_at=signed_at)
    Meeting.objects.filter(pk=meeting.pk).update(signed_at=signed_at)

    if request is not None:
        since = timezone.now()
        resource_services.resource_request_approve(
            actor=margaret,
            request=request,
            password=DEMO_PASSWORD,
            reason="Approved as decided at the management review (D3): aerospace first articles must not wait.",
        )
        decided_at = signed_at + datetime.timedelta(days=7)
        _restamp(since, decided_at)
        ResourceRequest.objects.filter(pk=request.pk).update(decided_at=decided_at)

    for action, state in actions:
        done_at = min(
            _at(action.due_date - datetime.timedelta(days=3), 15),
            timezone.now() - datetime.timedelta(days=2),
        )
        _carry(action, state, users, done_at)
    return {"management_reviews": 1, "review_outputs": len(OUTPUTS), "review_actions": len(actions)}


def _interim_review(staff, users, meeting_type: MeetingType, previous: ManagementReview | None) -> dict[str, int]:
    """The interim review decided by the last one (D4): next month, compiled, some notes still missing."""
    today = timezone.localdate()
    day = add_months(today, 1, 15)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    period_start = previous.period_end + datetime.timedelta(days=1) if previous else add_months(today, -6, 1)
    period_end = add_months(today, 1, 1) - datetime.timedelta(days=1)
    priya = users["priya"]
    review = services.management_review_prepare(
        actor=priya,
        meeting_type=meeting_type,
        title="Interim management review: follow-up of suppliers, AS9100 and CMM capacity",
        planned_start=_at(day, 9, 30),
        duration_minutes=120,
        chair=staff["margaret"],
        minute_taker=staff["lucy"],
        period_start=period_start,
        period_end=period_end,
        invitees=[staff[u] for u in INVITEES],
    )
    inputs = _inputs(review)
    services.review_input_set_entries(
        actor=priya,
        review_input=inputs[Item.ISSUES],
        entries=[
            {
                "issue": "AS9100D gap analysis under way",
                "kind": "internal",
                "change": "Gap analysis half done: configuration management and FOD prevention are the largest gaps.",
                "effect": "Transition plan and budget to be proposed at this review.",
            }
        ],
    )
    for item in (Item.ACTIONS, Item.OBJECTIVES):
        services.review_input_annotate(
            actor=priya,
            review_input=inputs[item],
            note="To be presented by the owners; figures recompiled on the morning of the review.",
        )
    return {"management_reviews": 1}


def seed(staff) -> dict[str, int]:
    """The signed yearly review and the interim one being prepared, where they do not exist yet."""
    users = _users(staff)
    meeting_type = _review_type(users["priya"], staff)
    created: dict[str, int] = {}
    if not ManagementReview.objects.filter(status=ManagementReview.Status.SIGNED).exists():
        for key, count in _signed_review(staff, users, meeting_type).items():
            created[key] = created.get(key, 0) + count
    if not ManagementReview.objects.filter(meeting__planned_start__gt=timezone.now()).exists():
        previous = (
            ManagementReview.objects.filter(status=ManagementReview.Status.SIGNED).order_by("-period_end").first()
        )
        for key, count in _interim_review(staff, users, meeting_type, previous).items():
            created[key] = created.get(key, 0) + count
    return created
