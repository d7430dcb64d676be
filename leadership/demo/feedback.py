"""Demo of the employee quality feedback box (5.1.1.h).

About ten items from the shop floor and the offices, some anonymous, most answered. One is
planted as a gap: acknowledged but still unanswered well past the answer limit, so the list
flags it and the daily reminder reaches the management representative.
"""

import datetime

from django.utils import timezone

from leadership.demo.resources import backdate_commitment, backdate_history
from leadership.models import Department, Person
from leadership.models.feedback import EmployeeFeedback, feedback_answer_days
from leadership.services import feedback as services

K = EmployeeFeedback.Kind

# title, kind, department code, reporter (None: anonymous; the submitting account is not stored),
# submitted (days ago), acknowledged (days after, or None), answered (days after, or None), answered by,
# closed (days after, or None), description, answer.
ITEMS = [
    (
        "Coolant contamination on line 2",
        K.PROBLEM,
        "PROD",
        "daniel",
        150,
        1,
        6,
        "david",
        20,
        "The coolant on line 2 smells and has an oil film by Wednesday each week. Bores on the AH-200 housings "
        "come out with residue and we re-clean them by hand before inspection.",
        "Thank you, Daniel. Tramp oil from the way lube is leaking into the sump. Maintenance has fixed the "
        "leak, coolant concentration and oil film are now checked at each shift start, and a filtration unit "
        "for line 2 has been approved and installed.",
    ),
    (
        "Unclear work instruction for deburring",
        K.PROBLEM,
        "PROD",
        None,
        120,
        2,
        7,
        "priya",
        25,
        "WI-PROD-014 says 'remove all sharp edges' but inspection rejects parts for too large a chamfer. "
        "Nobody knows what size of edge break is acceptable.",
        "The instruction is revised (rev C): edge break 0.2 to 0.4 mm, with photos of acceptable and "
        "rejected edges and the gauge to check it. Every deburring operator was briefed on it.",
    ),
    (
        "Idea: colour-coded gauges by calibration month",
        K.IDEA,
        "QA",
        "grace",
        100,
        1,
        5,
        "margaret",
        None,
        "Put a coloured tag on every gauge for the month its calibration is due. Anyone can then see at a "
        "glance if a gauge is out of date, without reading the label.",
        "A good idea, Grace: we will do it across all cells. The tags are paid from the quality improvement "
        "fund and the calibration procedure now includes the colour code.",
    ),
    (
        "Idea: shadow boards for go/no-go gauges",
        K.IDEA,
        "PROD",
        None,
        90,
        None,
        4,
        "tom",
        30,
        "Gauges get left in drawers or at the wrong cell. A shadow board at each cell shows what is missing.",
        "Shadow boards are now at cells 1 to 6, funded from the improvement fund. Thank you for the idea.",
    ),
    (
        "Incoming inspection results not visible to buyers",
        K.PROBLEM,
        "SUPPLY",
        "hannah",
        75,
        1,
        8,
        "aisha",
        None,
        "We find out about rejected supplier deliveries only when production complains. We cannot chase the "
        "supplier on the same day.",
        "Goods-in now e-mails the buyer on every rejection, and the weekly supplier report lists them.",
    ),
    (
        "Complaint replies promised without quality's input",
        K.PROBLEM,
        "SALES",
        "sophie",
        60,
        1,
        12,
        "james",
        None,
        "Customers are promised a root cause in 48 hours before quality has seen the parts.",
        "Agreed: complaint replies now go through the quality engineer, and the first reply only confirms "
        "receipt and the date of the investigation.",
    ),
    (
        "Idea: digital first-article inspection checklist",
        K.IDEA,
        "QA",
        "oliver",
        45,
        2,
        9,
        "priya",
        None,
        "A checklist on a tablet at the machine for first-article inspection, with the drawing balloons, "
        "would avoid missed features.",
        "We will pilot it on line 1 with the MES upgrade requested this year; until then the paper checklist "
        "gets the balloon numbers.",
    ),
    (
        "Idea: a quality moment at the start of each shift briefing",
        K.IDEA,
        None,
        None,
        30,
        None,
        3,
        "margaret",
        None,
        "Two minutes at each shift briefing on one recent defect or complaint, so that everyone hears about it.",
        "Yes. From next month each shift briefing opens with a quality moment; team leaders get a short "
        "weekly note from quality to use.",
    ),
    (
        "Drawing revisions reach the shop floor late",
        K.PROBLEM,
        "ENG",
        None,
        18,
        2,
        None,
        None,
        None,
        "Twice this month we machined parts to a drawing that had already been revised. The new revision was "
        "in the system but the printed copy at the machine was old.",
        "",
    ),
    (
        "Hand-written inspection records are hard to read at audit",
        K.PROBLEM,
        "QA",
        "marek",
        2,
        None,
        None,
        None,
        None,
        "Auditors and customers struggle with our hand-written records; some figures are ambiguous (1 and 7).",
        "",
    ),
]


def _moment(days_ago: float, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 5)))


def seed(people: dict[str, Person]) -> dict[str, int]:
    """Create this area's demo records (idempotent); `people` maps demo usernames to people."""
    created = {"employee feedback": 0}
    existing = set(EmployeeFeedback.objects.values_list("title", flat=True))
    departments = {d.code: d for d in Department.objects.all()}
    # Planted gap: however the limit is configured, the unanswered item stays overdue.
    days_limit = feedback_answer_days()
    for row in ITEMS:
        title, kind, dept, reporter, ago, ack, answered, answerer, closed, description, answer = row
        if title in existing:
            continue
        if answered is None and ack is not None:
            ago = max(ago, days_limit + 8)
        # The account submitting anonymous items is not stored; any employee's will do.
        actor = people[reporter].user if reporter else people["daniel"].user
        feedback, _code = services.employee_feedback_submit(
            actor=actor,
            kind=kind,
            title=title,
            description=description,
            department=departments.get(dept) if dept else None,
            anonymous=reporter is None,
        )
        created["employee feedback"] += 1
        submitted = _moment(ago, 9)
        stamps = {"submitted_at": submitted, "created_at": submitted}
        moments = [submitted]
        handler = people[answerer].user if answerer else people["priya"].user
        if ack is not None:
            feedback = services.employee_feedback_acknowledge(actor=handler, feedback=feedback)
            stamps["acknowledged_at"] = _moment(ago - ack, 11)
            moments.append(stamps["acknowledged_at"])
        if answered is not None:
            feedback = services.employee_feedback_answer(actor=handler, feedback=feedback, answer=answer)
            stamps["answered_at"] = _moment(ago - answered, 15)
            moments.append(stamps["answered_at"])
            backdate_commitment(feedback, stamps["answered_at"])
        if closed is not None:
            feedback = services.employee_feedback_close(actor=handler, feedback=feedback)
            stamps["closed_at"] = _moment(ago - closed, 16)
            moments.append(stamps["closed_at"])
        EmployeeFeedback.objects.filter(pk=feedback.pk).update(**stamps)
        backdate_history(EmployeeFeedback, feedback.pk, moments, **stamps)
    return created
