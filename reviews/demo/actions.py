"""Demo actions raised from customer complaints, employee feedback, objectives and risks.

Seeded last (after meetings, audits and management reviews, whose demo raises the actions of
decisions), through the services, so every action has its full history: raised by the quality
team, started and completed by its owner, verified or reopened by someone else. Idempotent: an
action whose title exists is left as it is. Dates are relative to today.
"""

import datetime

from django.utils import timezone

from leadership.models import Person
from leadership.models.customers import CustomerFeedback
from leadership.models.feedback import EmployeeFeedback
from objectives.models import Objective
from objectives.models.risks import Risk
from reviews.models.actions import Action
from reviews.services import actions as services

Src = Action.Source
P = Action.Priority

# title, source, how the record is found, owner, raised by, due (days from today), priority,
# description, then the steps: ("start", who), ("complete", who, note), ("verify", who, effective, note)
ACTIONS = [
    (
        "Add a borescope burr check on cross-drilled ports at final inspection",
        Src.CUSTOMER_FEEDBACK,
        ("complaint", "Burrs on the cross-drilled ports"),
        "tom",
        "lucy",
        -60,
        P.HIGH,
        "Aerotec rejected valve bodies for burrs. Brush deburr every cross-drilled port and check five parts "
        "per lot with the borescope before release; record the check on the inspection sheet.",
        [
            ("start", "tom"),
            (
                "complete",
                "tom",
                "Second brush deburring station installed on line 1; borescope check added to final inspection "
                "plan FIP-VB-03 rev D; both shifts briefed at the shift handover.",
            ),
            (
                "verify",
                "priya",
                True,
                "Ten lots (2,400 valve bodies) shipped since with no burr found at goods-out; Aerotec reports no "
                "rejects in six weeks (goods-in reports attached to CF record).",
            ),
        ],
    ),
    (
        "Agree transit packaging for actuator piston rods with the carrier",
        Src.CUSTOMER_FEEDBACK,
        ("responded", ""),
        "aisha",
        "lucy",
        -33,
        P.HIGH,
        "Rods arrived with transit damage. Specify end caps and separators for every rod and agree handling "
        "with the carrier; check the first three shipments on arrival.",
        [("start", "aisha")],
    ),
    (
        "Withdraw superseded drawings from the cells when a revision is released",
        Src.EMPLOYEE_FEEDBACK,
        ("title", "Drawing revisions reach the shop floor late"),
        "oliver",
        "priya",
        10,
        P.MEDIUM,
        "Machinists worked to a superseded drawing because new revisions reach the cells days later. Release "
        "drawings to the cell terminals from the PDM system and have the team leader sign off the swap of "
        "the paper copy on the day of release.",
        [("start", "oliver")],
    ),
    (
        "Set-up verification sheet for the five-axis cells",
        Src.OBJECTIVE,
        ("reference", "OBJ-PROD-1"),
        "grace",
        "tom",
        21,
        P.HIGH,
        "First-part scrap after set-up is the largest share of CNC scrap. Introduce a signed set-up "
        "verification sheet (datum, offsets, first-part measurements) for the ten most run part numbers.",
        [("start", "grace")],
    ),
    (
        "Release lots from final inspection twice per shift",
        Src.OBJECTIVE,
        ("reference", "OBJ-QA-2"),
        "marek",
        "priya",
        -3,
        P.MEDIUM,
        "Lots wait overnight for release. Add a mid-shift release round so no lot waits more than one shift.",
        [
            ("start", "marek"),
            (
                "complete",
                "marek",
                "Release rounds at 10:00 and 14:00 (day shift) and 22:00 (night shift) since the week after the "
                "action was raised; inspection log timestamps exported weekly.",
            ),
        ],
    ),
    (
        "Qualify a second titanium bar mill",
        Src.RISK,
        ("title", "Single-source titanium bar supplier"),
        "hannah",
        "aisha",
        45,
        P.HIGH,
        "Audit the second mill, run a first-article trial lot and add it to the approved supplier list.",
        [
            ("start", "hannah"),
            ("complete", "hannah", "Supplier questionnaire returned and certificates on file."),
            (
                "verify",
                "aisha",
                False,
                "Not effective yet: a questionnaire is not a qualification. The on-site audit and the "
                "first-article trial lot are still to be done; new date agreed.",
            ),
        ],
    ),
    (
        "Verify the CMM daily with the reference sphere until it is calibrated",
        Src.RISK,
        ("title", "CMM calibration overdue"),
        "marek",
        "priya",
        7,
        P.CRITICAL,
        "Measure the reference sphere at each shift start and record it; stop CMM release if the deviation "
        "exceeds 2 µm. Assess the lots measured since the calibration due date.",
        [],
    ),
]


def _record(source: str, key: tuple):
    """Find the demo record an action answers, or None when that app's demo is not loaded."""
    how, value = key
    if source == Src.CUSTOMER_FEEDBACK:
        complaints = CustomerFeedback.objects.filter(type=CustomerFeedback.Type.COMPLAINT)
        if how == "complaint":
            # The most recent closed complaint of this kind: its root cause is known.
            return (
                complaints.filter(status=CustomerFeedback.Status.CLOSED, description__startswith=value)
                .order_by("-received_date")
                .first()
            )
        # The oldest complaint still waiting for its effectiveness check.
        return complaints.filter(status=CustomerFeedback.Status.RESPONDED).order_by("received_date").first()
    if source == Src.EMPLOYEE_FEEDBACK:
        return EmployeeFeedback.objects.filter(title=value).first()
    if source == Src.OBJECTIVE:
        return Objective.objects.filter(reference=value).first()
    return Risk.objects.filter(title=value).first()


def seed(staff: dict[str, Person]) -> dict[str, int]:
    """Create the demo actions of this area (idempotent); `staff` maps demo usernames to people."""
    today = timezone.localdate()
    existing = set(Action.objects.values_list("title", flat=True))
    created = 0
    for title, source, key, owner, raised_by, due_in, priority, description, steps in ACTIONS:
        if title in existing or owner not in staff or raised_by not in staff:
            continue
        record = _record(source, key)
        if record is None:
            continue
        action = services.action_create(
            actor=staff[raised_by].user,
            source=source,
            source_record=record,
            title=title,
            description=description,
            owner=staff[owner],
            due_date=today + datetime.timedelta(days=due_in),
            priority=priority,
        )
        for step in steps:
            kind, who = step[0], staff[step[1]].user
            if kind == "start":
                action = services.action_start(actor=who, action=action)
            elif kind == "complete":
                action = services.action_complete(actor=who, action=action, completion_note=step[2])
            else:
                effective, note = step[2], step[3]
                action = services.action_verify(
                    actor=who,
                    action=action,
                    effective=effective,
                    note=note,
                    new_due_date=None if effective else today + datetime.timedelta(days=60),
                )
        created += 1
    return {"actions (register)": created}
