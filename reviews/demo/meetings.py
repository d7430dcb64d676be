"""Demo meetings of Northbridge Precision Components: the meeting types and a year of monthly quality meetings.

Twelve past monthly quality meetings are recorded and signed through the services exactly as the
minute-taker and the chair would (start, attendance, minutes, decisions, actions, signature), and
their actions are carried through the action register's own transitions. Records made for a past
meeting are then dated when they would have happened (created, signed, started, completed,
verified; with their history rows), so the trail reads as a year of work rather than one
afternoon. The next two meetings are planned by the type's schedule. Idempotent: nothing is added
once the monthly quality meetings exist.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from leadership.demo.people import DEMO_PASSWORD
from qms.history import history_rewrite_allowed
from qms.models import Signature
from reviews.models.actions import Action
from reviews.models.meetings import AgendaItem, Attendee, Decision, Meeting, MeetingType, MinutesAmendment
from reviews.selectors.meetings import add_months, schedule_occurrence
from reviews.services import actions as action_services
from reviews.services import minutes as minutes_services
from reviews.services.meetings import meeting_create, meeting_type_create

QUALITY = "Monthly quality meeting"
INVITEES = ("margaret", "david", "priya", "tom", "elena", "james", "aisha", "lucy")
STANDING_AGENDA = (
    "Actions from the last meeting",
    "Scrap and rework",
    "On-time delivery",
    "Customer complaints",
    "Calibration and measuring equipment",
    "Supplier performance",
)

# One row per month, oldest first: the figures discussed, who came, what was decided and done.
# Attendance: everyone invited is present unless listed under "apologies" or "absent".
# Actions: (title, owner, days after the meeting it is due, priority, state it has reached today).
MONTHS = [
    {
        "scrap": "3.4",
        "otd": "93.1",
        "complaints": 2,
        "apologies": ["david"],
        "items": [1, 2, 3, 4, 5],
        "notes": {
            2: "Scrap at 3.4% against the 2.5% target. Two thirds of it on Line 2 (Haas VF-4): bore oversize on "
            "the A320 hinge bracket after tool changes on the night shift. Tom showed the Pareto.",
            4: "Two complaints: Aerolux (burr on bracket 7730, 12 parts returned) and Kestrel Automotive "
            "(late certificate of conformity). Both contained; 8D opened for Aerolux.",
        },
        "decisions": [
            (
                "Introduce a signed first-off inspection on Line 2 for every aerospace batch, after each tool change.",
                2,
                "tom",
                [
                    ("Update work instruction WI-PRD-014 with the first-off sign-off", "tom", 21, "high", "verified"),
                    ("Brief the night shift on the first-off sign-off", "grace", 14, "medium", "verified"),
                ],
            ),
        ],
    },
    {
        "scrap": "3.0",
        "otd": "91.4",
        "complaints": 1,
        "apologies": ["david"],
        "items": [1, 2, 3, 4, 6],
        "notes": {
            3: "On-time delivery fell to 91.4% (target 95%). January late orders were mostly the Kestrel "
            "gearbox housings waiting for the 5-axis cell; capacity was not reviewed daily.",
            6: "Castleford Steel delivered two lots of EN24T bar late; one without a mill certificate. Aisha "
            "raised it with their account manager.",
        },
        "decisions": [
            (
                "Hold a 15-minute capacity review at 08:30 every working day for the CNC cells.",
                3,
                "tom",
                [
                    ("Set up the daily capacity board in the production office", "tom", 14, "medium", "verified"),
                ],
            ),
            (
                "Ask Castleford Steel for a corrective action on late deliveries and the missing certificate.",
                6,
                "aisha",
                [
                    ("Issue a supplier corrective action request to Castleford Steel", "aisha", 10, "high", "verified"),
                ],
            ),
        ],
    },
    {
        "scrap": "2.8",
        "otd": "94.2",
        "complaints": 1,
        "apologies": [],
        "items": [1, 2, 4, 5],
        "notes": {
            4: "Aerolux 8D closed: root cause was a worn deburring brush on the finishing bench; no deburr check "
            "at final inspection. David asked how we would know sooner next time.",
            5: "Calibration status 97%: the Zeiss CMM calibration was found two weeks overdue during the "
            "Aerolux investigation. Results since then were re-checked on the backup CMM; no escapes.",
        },
        "decisions": [
            (
                "Add a deburr check to the final inspection checklist for all machined brackets.",
                4,
                "priya",
                [
                    ("Revise final inspection checklist FI-03 with the deburr check", "marek", 14, "high", "verified"),
                ],
            ),
            (
                "Manage calibration due dates in the maintenance planner with reminders 30 days ahead.",
                5,
                "lucy",
                [
                    ("Move the calibration register into the maintenance planner", "lucy", 30, "medium", "verified"),
                ],
            ),
        ],
    },
    {
        "scrap": "2.6",
        "otd": "95.3",
        "complaints": 0,
        "apologies": ["margaret", "david"],
        "absent": ["james"],
        "items": [1, 2, 3, 6],
        "notes": {
            2: "Scrap down to 2.6%. Line 2 first-off sign-off in place since January; bore oversize gone. "
            "Remaining scrap mostly setup parts on the automotive cell.",
            6: "Castleford Steel answered the corrective action request: new dispatch check for certificates. "
            "Titanium bar lead time from Sheffield Alloys now 14 weeks.",
        },
        "decisions": [
            (
                "Qualify a second titanium bar supplier to cut the single-source risk.",
                6,
                "aisha",
                [
                    ("Audit Midland Titanium as a second source", "aisha", 45, "high", "verified"),
                    ("Place a trial order of 50 bars with Midland Titanium", "hannah", 60, "medium", "verified"),
                ],
            ),
        ],
    },
    {
        "scrap": "2.4",
        "otd": "95.8",
        "complaints": 1,
        "apologies": ["david"],
        "items": [1, 2, 3, 4, 5, 6],
        "notes": {
            4: "Kestrel Automotive complaint: PPAP documents for part 4471 incomplete at submission (no "
            "capability study). Submission was accepted late; no product issue.",
        },
        "decisions": [
            (
                "Use a PPAP checklist for every new automotive part number before submission.",
                4,
                "elena",
                [
                    (
                        "Create the PPAP checklist and add it to the new-part procedure",
                        "oliver",
                        30,
                        "medium",
                        "verified",
                    ),
                ],
            ),
        ],
    },
    {
        "scrap": "2.1",
        "otd": "96.4",
        "complaints": 0,
        "apologies": ["david"],
        "items": [1, 2, 3, 5],
        "notes": {
            2: "Scrap 2.1%, best month this year. Setup parts on the automotive cell still 40% of scrap.",
        },
        "decisions": [
            (
                "Extend the first-off sign-off to the automotive cell.",
                2,
                "tom",
                [
                    ("Roll out the first-off sign-off on the automotive cell", "grace", 21, "medium", "verified"),
                ],
            ),
        ],
    },
    {
        "scrap": "2.3",
        "otd": "95.1",
        "complaints": 2,
        "apologies": ["david", "aisha"],
        "items": [1, 2, 3, 4, 6],
        "notes": {
            4: "Two complaints: Aerolux (scratches on anodised cover, 4 parts) and Brennan Hydraulics (thread "
            "gauge rejected at goods in). Both parts reworked; packaging of anodised parts questioned.",
        },
        "decisions": [
            (
                "Pack anodised aerospace parts in individual foam trays.",
                4,
                "james",
                [
                    ("Source foam trays and update packing instruction PI-07", "hannah", 30, "medium", "verified"),
                ],
            ),
        ],
    },
    {
        "scrap": "2.2",
        "otd": "96.0",
        "complaints": 1,
        "apologies": ["margaret", "david"],
        "items": [1, 2, 3, 5],
        "notes": {
            5: "Measurement system analysis: two of the five digital height gauges fail gauge R&R (over 30%). "
            "They are 11 years old; repair quotes exceed replacement.",
        },
        "decisions": [
            (
                "Replace the two height gauges that failed gauge R&R.",
                5,
                "lucy",
                [
                    ("Raise a resource request for two digital height gauges", "lucy", 20, "medium", "done"),
                ],
            ),
            ("Keep the daily capacity review; look again at its value in the fourth quarter.", 3, "tom", []),
        ],
    },
    {
        "scrap": "2.0",
        "otd": "96.7",
        "complaints": 0,
        "apologies": [],
        "items": [1, 2, 3, 6],
        "notes": {
            6: "Supplier on-time delivery 88% overall; three suppliers below 80%. No scorecards are sent, so "
            "suppliers do not know where they stand. David asked for a simple quarterly scorecard.",
        },
        "decisions": [
            (
                "Send quarterly scorecards to the ten largest suppliers, starting with the third quarter.",
                6,
                "aisha",
                [
                    (
                        "Send the third-quarter scorecards to the top ten suppliers",
                        "hannah",
                        30,
                        "medium",
                        "in-progress",
                    ),
                    (
                        "Add supplier delivery performance to the supplier approval procedure",
                        "aisha",
                        45,
                        "low",
                        "open",
                    ),
                ],
            ),
        ],
    },
    {
        "scrap": "1.9",
        "otd": "97.2",
        "complaints": 1,
        "apologies": ["david", "elena"],
        "items": [1, 2, 3, 4, 5],
        "notes": {
            4: "Aerolux audit of our site found no nonconformities; one observation on storage of rejected parts.",
        },
        "decisions": [
            (
                "Mark a locked quarantine area for rejected parts in the finishing shop.",
                4,
                "tom",
                [
                    ("Fit the quarantine cage and signage in the finishing shop", "tom", 21, "medium", "open"),
                ],
            ),
        ],
    },
    {
        "scrap": "1.9",
        "otd": "96.9",
        "complaints": 1,
        "apologies": ["david"],
        "items": [1, 2, 3, 4, 6],
        "notes": {
            4: "Kestrel Automotive: one housing with a missing chamfer reached the customer. Contained at the "
            "customer (sort of 320 parts, none found). 8D opened.",
        },
        "decisions": [
            (
                "Complete the 8D for the Kestrel missing-chamfer complaint and present it next month.",
                4,
                "james",
                [
                    ("Complete the 8D report for the Kestrel missing-chamfer complaint", "marek", 21, "high", "done"),
                ],
            ),
        ],
    },
    {
        "scrap": "1.8",
        "otd": "97.4",
        "complaints": 0,
        "apologies": ["david"],
        "items": [1, 2, 3, 4, 5, 6],
        "notes": {
            2: "Scrap 1.8%, below the 2.5% target for the fifth month running. Bore diameter on part 4471 drifts "
            "over a shift; tool wear compensation is manual.",
            4: "Kestrel 8D presented: root cause a skipped program block after an edit; the CAM post-processor "
            "check now blocks manual edits. No complaints this month.",
        },
        "decisions": [
            (
                "Start statistical process control on the bore diameter of part 4471.",
                2,
                "tom",
                [
                    ("Set up the SPC chart for the 4471 bore at the machine", "grace", 40, "medium", "in-progress"),
                    ("Train Line 2 operators to read and react to the SPC chart", "tom", 49, "medium", "open"),
                ],
            ),
            (
                "Hold a toolbox talk on foreign object damage in the aerospace area.",
                4,
                "tom",
                [
                    ("Deliver the FOD toolbox talk to both shifts", "grace", 35, "low", "open"),
                ],
            ),
        ],
    },
]

MINUTES = {
    1: "Actions from the last meeting reviewed one by one; status as shown in the action register.",
    2: "Scrap and rework at {scrap}% of production hours (target 2.5%).",
    3: "On-time delivery {otd}% (target 95%).",
    4: "{complaints} customer complaint(s) received this month.",
    5: "Calibration status reviewed: all instruments in use within their calibration date.",
    6: "Supplier deliveries and quality reviewed; no supplier on probation.",
}


def _when(day: datetime.datetime, days: float = 0, hours: float = 0) -> datetime.datetime:
    return day + datetime.timedelta(days=days, hours=hours)


@history_rewrite_allowed()
def _restamp(since: datetime.datetime, when: datetime.datetime) -> None:
    """Date the meeting records and history rows written since `since` as written at `when`."""
    for model in (Meeting, Attendee, AgendaItem, Decision, Action, MinutesAmendment):
        model.history.filter(history_date__gte=since).update(history_date=when)
        model.objects.filter(created_at__gte=since).update(created_at=when, updated_at=when)
    Signature.objects.filter(signed_at__gte=since).update(signed_at=when)


def _types(actor, staff, today: datetime.date) -> tuple[dict[str, MeetingType], int]:
    """The demo's meeting types (existing ones kept), and how many were created."""
    existing = {t.name: t for t in MeetingType.objects.all()}
    local = timezone.get_current_timezone()

    def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=local)

    # The latest monthly meeting already held is the 10th of this month (if past) or of the last one.
    latest = today.replace(day=10) if today.day > 10 else add_months(today, -1, 10)
    specs = [
        {
            "name": "Management review",
            "category": MeetingType.Category.MANAGEMENT_REVIEW,
            "description": "Top management's yearly review of the QMS (ISO 9001 9.3): inputs, conclusions, outputs.",
            "frequency": MeetingType.Frequency.YEARLY,
            "first_occurrence": at(add_months(today, -2, 22), 9, 30),
            "plan_ahead": 1,
            "default_duration_minutes": 180,
            "default_place": "Boardroom, Building A",
            "default_chair": staff["margaret"],
            "default_invitees": [staff[u] for u in ("margaret", "david", "priya", "tom", "elena", "james", "aisha")],
        },
        {
            "name": QUALITY,
            "category": MeetingType.Category.QUALITY,
            "description": "Monthly review of quality: scrap, delivery, complaints, calibration, suppliers.",
            "frequency": MeetingType.Frequency.MONTHLY,
            "first_occurrence": at(add_months(latest, -11, 10), 10),
            "plan_ahead": 2,
            "default_duration_minutes": 90,
            "default_place": "Boardroom, Building A",
            "default_chair": staff["margaret"],
            "default_invitees": [staff[u] for u in INVITEES],
            "default_agenda": "\n".join(STANDING_AGENDA),
            "agenda_reminder_days": 5,
        },
        {
            "name": "Cross-department quality meeting",
            "category": MeetingType.Category.CROSS_DEPARTMENT,
            "description": "Quarterly: department managers review quality issues that cross department boundaries.",
            "frequency": MeetingType.Frequency.QUARTERLY,
            "first_occurrence": at(add_months(today, 1, 15), 14),
            "plan_ahead": 1,
            "default_duration_minutes": 120,
            "default_place": "Training room",
            "default_chair": staff["priya"],
            "default_invitees": [staff[u] for u in ("priya", "tom", "elena", "james", "aisha", "lucy", "marek")],
            "default_agenda": "Open cross-department actions\nInterface problems between departments\n"
            "Internal audit findings\nImprovement proposals",
        },
        {
            "name": "Operations meeting",
            "category": MeetingType.Category.OPERATIONAL,
            "description": "Weekly production and planning meeting; quality is one standing item of its agenda.",
            "is_quality_meeting": False,
            "frequency": MeetingType.Frequency.WEEKLY,
            "first_occurrence": at(today + datetime.timedelta(days=(7 - today.weekday()) % 7 or 7), 8, 30),
            "plan_ahead": 2,
            "default_duration_minutes": 45,
            "default_place": "Production office",
            "default_chair": staff["david"],
            "default_invitees": [staff[u] for u in ("david", "tom", "aisha", "grace")],
            "default_agenda": "Safety\nOutput against plan\nQuality: scrap, holds and customer issues\n"
            "Maintenance and tooling\nNext week's plan",
        },
    ]
    types, created = {}, 0
    for spec in specs:
        if spec["name"] in existing:
            types[spec["name"]] = existing[spec["name"]]
            continue
        plan = spec["name"] != "Management review"
        types[spec["name"]] = meeting_type_create(actor=actor, plan=plan, **spec)
        created += 1
    return types, created


def _hold(month: dict, index: int, meeting_type: MeetingType, staff, users) -> dict[str, int]:
    """Plan, hold, minute and sign one past monthly quality meeting, then carry its actions forward."""
    planned_start = schedule_occurrence(meeting_type, index)
    apologies, absent = set(month["apologies"]), set(month.get("absent", ()))
    chair = "priya" if "margaret" in apologies else "margaret"
    taker = "marek" if index % 5 == 4 else "lucy"
    since = timezone.now()
    meeting = meeting_create(
        actor=users["priya"],
        type=meeting_type,
        title=f"{QUALITY}, {timezone.localtime(planned_start):%B %Y}",
        planned_start=planned_start,
        chair=staff[chair],
        minute_taker=staff[taker],
        agenda=[STANDING_AGENDA[i - 1] for i in month["items"]],
        scheduled=True,
    )
    _restamp(since, _when(planned_start, days=-12))

    since = timezone.now()
    recorder = users[taker]
    held_at = _when(planned_start, hours=0.05)
    minutes_services.meeting_start(actor=recorder, meeting=meeting, held_at=held_at)
    for attendee in meeting.attendees.select_related("person__user"):
        username = attendee.person.user.username
        status = (
            Attendee.Status.APOLOGIES
            if username in apologies
            else Attendee.Status.ABSENT
            if username in absent
            else Attendee.Status.PRESENT
        )
        minutes_services.attendee_mark(actor=recorder, attendee=attendee, status=status)
    items = {STANDING_AGENDA.index(i.title) + 1: i for i in meeting.agenda_items.all()}
    for number, item in items.items():
        text = month["notes"].get(number) or MINUTES[number].format(**month)
        minutes_services.agenda_item_minutes_save(actor=recorder, item=item, minutes=text)
    actions = []
    for text, item_number, owner, planned_actions in month["decisions"]:
        decision = minutes_services.decision_add(
            actor=recorder, meeting=meeting, text=text, agenda_item=items.get(item_number), owner=staff[owner]
        )
        for title, action_owner, due_days, priority, state in planned_actions:
            action = minutes_services.decision_action_add(
                actor=recorder,
                decision=decision,
                title=title,
                owner=staff[action_owner],
                due_date=timezone.localdate(planned_start) + datetime.timedelta(days=due_days),
                priority=priority,
            )
            actions.append((action, state))
    _restamp(since, _when(held_at, hours=1.5))

    since = timezone.now()
    signed = minutes_services.meeting_sign(actor=users[chair], meeting=meeting, password=DEMO_PASSWORD)
    signed_at = _when(held_at, days=1, hours=5)
    _restamp(since, signed_at)
    Meeting.objects.filter(pk=signed.pk).update(signed_at=signed_at)
    for action, state in actions:
        _carry(action, state, users)
    return {"decisions": len(month["decisions"]), "actions": len(actions)}


def _carry(action: Action, state: str, users) -> None:
    """Take an action to `state` through the register's transitions, dated along the way to its due date."""
    if state == "open":
        return
    owner = users[action.owner.user.username]
    created = Action.objects.values_list("created_at", flat=True).get(pk=action.pk)
    due = timezone.make_aware(datetime.datetime.combine(action.due_date, datetime.time(15)))
    now = timezone.now()
    started = min(_when(created, days=3), now)
    since = timezone.now()
    action_services.action_start(actor=owner, action=action)
    _restamp(since, started)
    if state == "in-progress":
        return
    done_at = min(_when(due, days=-2), now)
    since = timezone.now()
    action_services.action_complete(
        actor=owner, action=action, completion_note=f"Done: {action.title.lower()}. Evidence filed with the action."
    )
    _restamp(since, done_at)
    Action.objects.filter(pk=action.pk).update(completed_at=done_at)
    if state == "done":
        return
    verifier = users["margaret"] if action.owner.user.username == "priya" else users["priya"]
    verified_at = min(_when(done_at, days=14), now)
    since = timezone.now()
    action_services.action_verify(
        actor=verifier,
        action=action,
        effective=True,
        note="Checked at the point of use: in place and followed; no recurrence since.",
    )
    _restamp(since, verified_at)
    Action.objects.filter(pk=action.pk).update(verified_at=verified_at)


def _amend(meeting: Meeting, users) -> None:
    """One signed correction, as an auditor would expect to find once in a year of minutes."""
    item = meeting.agenda_items.filter(title="Customer complaints").first()
    if item is None:
        return
    since = timezone.now()
    minutes_services.minutes_amend(
        actor=users["margaret"],
        meeting=meeting,
        password=DEMO_PASSWORD,
        reason="The brush was on the finishing bench of Line 1, not Line 2; corrected after checking the 8D report.",
        amended_text=item.minutes + " (Deburring brush on the Line 1 finishing bench.)",
        agenda_item=item,
    )
    _restamp(since, _when(meeting.signed_at, days=6))


def seed(staff) -> dict[str, int]:
    """Meeting types, twelve signed monthly quality meetings with decisions and actions, the next two planned."""
    if Meeting.objects.filter(type__name=QUALITY).exists():
        return {}
    users = {u.username: u for u in get_user_model().objects.filter(username__in=staff.keys())}
    today = timezone.localdate()
    types, types_created = _types(users["priya"], staff, today)
    quality = types[QUALITY]
    counts = {"meeting types": types_created, "meetings": 0, "decisions": 0, "actions": 0}
    for index, month in enumerate(MONTHS):
        if schedule_occurrence(quality, index) >= timezone.now():
            break
        result = _hold(month, index, quality, staff, users)
        counts["meetings"] += 1
        counts["decisions"] += result["decisions"]
        counts["actions"] += result["actions"]
    third = Meeting.objects.filter(type=quality, status=Meeting.Status.SIGNED).order_by("planned_start")[2:3].first()
    if third is not None:
        _amend(third, users)
    counts["meetings"] += Meeting.objects.filter(type__in=types.values(), status=Meeting.Status.PLANNED).count()
    return counts
