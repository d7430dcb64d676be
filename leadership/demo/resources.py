"""Demo of resource requests and the quality budget (5.1.1.e, 7.1).

A year of requests at Northbridge Precision Components: a CMM approved by the managing
director, internal auditor training approved, a second inspector post rejected with a reason,
an MES upgrade still waiting, and a few more, with spending and this year's budget lines.
Everything goes through the services (signatures included); afterwards the time stamps are
moved back to when each step happened in the story, so that the pages read like a real year.
"""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from leadership.demo.people import DEMO_PASSWORD
from leadership.models import Department, Person
from leadership.models.commitment import CommitmentEntry
from leadership.models.resources import QualityBudget, ResourceRequest, ResourceSpend
from leadership.services import resources as services
from qms.history import history_rewrite_allowed
from qms.models import Signature

C = ResourceRequest.Category

# title, category, amount, requester, department code, serves, justification,
# (submitted, needed by, decided) as fractions of the year so far, decision, decider, reason,
# spending as (fraction of the year so far, amount, note).
REQUESTS = [
    (
        "Coordinate measuring machine (CMM) for final inspection",
        C.EQUIPMENT,
        "68500.00",
        "priya",
        "QA",
        "Management review decision: move final inspection of aerospace housings from hand gauges to CMM",
        "Final inspection of the AH-200 housings relies on height gauges and pin gauges; 3 of last year's 5 "
        "customer complaints were dimensional escapes on true position. A bridge CMM with automatic programs "
        "measures every feature, keeps the results and halves inspection time per part.",
        (0.10, 0.45, 0.22),
        "approved",
        "margaret",
        "The escapes are our largest customer risk. Install before the AH-200 volume ramp.",
        [
            (0.30, "20550.00", "30% deposit, Zeiss order 4471"),
            (0.50, "47950.00", "Balance on installation and acceptance"),
        ],
    ),
    (
        "ISO 9001 internal auditor training for four staff",
        C.TRAINING,
        "4800.00",
        "lucy",
        "QA",
        "Internal audit programme: audit every process once a year with trained auditors from other departments",
        "Only two people are qualified to audit; the programme needs four so that nobody audits their own "
        "department. Two-day course, certified, 4 places at 1,200.",
        (0.08, 0.35, 0.15),
        "approved",
        "margaret",
        "Approved. Choose auditors from Production and Engineering as well as Quality.",
        [(0.35, "4800.00", "Course invoice, 4 delegates")],
    ),
    (
        "Second final inspector post (day shift)",
        C.PEOPLE,
        "34000.00",
        "tom",
        "PROD",
        "Objective: on-time delivery of 95% without skipping final inspection",
        "Final inspection is a bottleneck on day shift: parts wait up to two days. A second inspector "
        "would clear the queue.",
        (0.18, 0.40, 0.28),
        "rejected",
        "margaret",
        "Not now: the CMM approved this year halves final inspection time per part. Bring CMM throughput "
        "figures to the next management review and ask again if the queue remains.",
        [],
    ),
    (
        "UKAS calibration contract for gauges and torque tools",
        C.EQUIPMENT,
        "6200.00",
        "marek",
        "QA",
        "Measuring equipment kept calibrated and traceable (7.1.5)",
        "Annual contract with an accredited lab for 240 gauges and 35 torque tools; the current contract ends "
        "this year.",
        (0.03, 0.12, 0.06),
        "approved",
        "david",
        "",
        [(0.20, "3100.00", "First half-year calibrations"), (0.70, "2900.00", "Second half-year calibrations")],
    ),
    (
        "Coolant filtration unit for line 2",
        C.EQUIPMENT,
        "9800.00",
        "tom",
        "PROD",
        "Employee feedback: coolant contamination on line 2",
        "Tramp oil and fines in the line 2 coolant leave residue on bores and shorten tool life. A bypass "
        "filtration unit keeps the coolant clean between changes.",
        (0.62, 0.85, 0.68),
        "approved",
        "david",
        "Approved: it answers the operators' feedback and the residue findings at final inspection.",
        [(0.80, "9450.00", "Filtration unit, installed")],
    ),
    (
        "Quality improvement fund for ideas from the feedback box",
        C.BUDGET,
        "5000.00",
        "priya",
        "QA",
        "Employee engagement in improvement (5.1.1.h): fund small ideas within weeks, not at the next budget",
        "A small fund the quality manager can draw on for employees' improvement ideas under 1,000 each.",
        (0.45, 0.60, 0.52),
        "approved",
        "margaret",
        "Approved. Report what it paid for at each management review.",
        [(0.75, "1250.00", "Colour-coded calibration tags and shadow boards")],
    ),
    (
        "Air conditioning for the inspection room",
        C.INFRASTRUCTURE,
        "18500.00",
        "priya",
        "QA",
        "Measurement at 20 °C reference temperature",
        "The inspection room reaches 27 °C in summer; CMM and gauge results drift.",
        (0.20, 0.50, None),
        "withdrawn",
        None,
        "",
        [],
    ),
    (
        "Customer-specific requirements workshop for sales and engineering",
        C.TRAINING,
        "2400.00",
        "james",
        "SALES",
        "Customer requirements register (5.1.2.a): flow-down of aerospace customer requirements",
        "One-day workshop on reading and flowing down customer-specific requirements, for 6 people.",
        (0.86, 0.98, None),
        "submitted",
        None,
        "",
        [],
    ),
    (
        "MES upgrade with electronic travellers and SPC",
        C.INFRASTRUCTURE,
        "42000.00",
        "elena",
        "ENG",
        "Objective: first-pass yield 98%; replace hand-written inspection records",
        "The MES version in use is out of support. The upgrade adds electronic travellers and SPC charts at "
        "the machines, so that out-of-trend dimensions are seen before parts are scrapped.",
        (0.92, 1.00, None),
        "submitted",
        None,
        "",
        [],
    ),
]

BUDGETS = {
    C.PEOPLE: "40000.00",
    C.EQUIPMENT: "90000.00",
    C.TRAINING: "10000.00",
    C.INFRASTRUCTURE: "50000.00",
    C.BUDGET: "8000.00",
}


def _day(fraction: float) -> datetime.date:
    """A day of this year, the given fraction of the way from 1 January to today."""
    today = timezone.localdate()
    start = datetime.date(today.year, 1, 1)
    return start + datetime.timedelta(days=round((today - start).days * fraction))


def _needed_by(fraction: float) -> datetime.date:
    """Like `_day`, but needed-by dates run to the end of the year."""
    today = timezone.localdate()
    start, end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
    return start + datetime.timedelta(days=round((end - start).days * fraction))


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 15)))


@history_rewrite_allowed()
def backdate_history(model, pk, moments: list[datetime.datetime], **stamps: datetime.datetime) -> None:
    """Give a record's history entries, oldest first, the moments of the story (the last repeats).

    `stamps` are time-stamp fields moved back on the record; the entries that hold a value for
    them get the moved-back value too, so the history shows the story's times.
    """
    rows = list(model.history.filter(id=pk).order_by("history_id").values_list("history_id", flat=True))
    for i, history_id in enumerate(rows):
        model.history.filter(history_id=history_id).update(history_date=moments[min(i, len(moments) - 1)])
    for field, value in stamps.items():
        model.history.filter(id=pk, **{f"{field}__isnull": False}).update(**{field: value})


@history_rewrite_allowed()
def backdate_commitment(record, when: datetime.datetime) -> None:
    entries = CommitmentEntry.objects.filter(
        source_type=ContentType.objects.get_for_model(record), source_id=str(record.pk)
    )
    for entry in entries:
        CommitmentEntry.objects.filter(pk=entry.pk).update(date=timezone.localdate(when), created_at=when)
        CommitmentEntry.history.filter(id=entry.pk).update(history_date=when)


def seed(people: dict[str, Person]) -> dict[str, int]:
    """Create this area's demo records (idempotent); `people` maps demo usernames to people."""
    created = {"resource requests": 0, "resource spends": 0, "quality budgets": 0}
    existing = set(ResourceRequest.objects.values_list("title", flat=True))
    departments = {d.code: d for d in Department.objects.all()}
    for row in REQUESTS:
        title, category, amount, requester, dept, serves, justification, when, outcome, decider, reason, spends = row
        if title in existing:
            continue
        submitted_f, needed_f, decided_f = when
        actor = people[requester].user
        request = services.resource_request_create(
            actor=actor,
            title=title,
            category=category,
            amount=Decimal(amount),
            justification=justification,
            needed_by=_needed_by(needed_f),
            department=departments.get(dept),
            serves=serves,
        )
        created["resource requests"] += 1
        submitted_at = _at(_day(submitted_f), 9)
        moments, stamps = [submitted_at], {}
        if outcome in ("approved", "rejected"):
            service = services.resource_request_approve if outcome == "approved" else services.resource_request_reject
            request = service(actor=people[decider].user, request=request, password=DEMO_PASSWORD, reason=reason)
            decided_at = _at(_day(decided_f), 16)
            ResourceRequest.objects.filter(pk=request.pk).update(decided_at=decided_at)
            Signature.objects.filter(pk=request.decision_signature_id).update(signed_at=decided_at)
            backdate_commitment(request, decided_at)
            moments.append(decided_at)
            stamps["decided_at"] = decided_at
        elif outcome == "withdrawn":
            services.resource_request_withdraw(actor=actor, request=request)
            moments.append(_at(_day(submitted_f + 0.1), 11))
        ResourceRequest.objects.filter(pk=request.pk).update(created_at=submitted_at)
        for spend_f, spend_amount, note in spends:
            spend = services.resource_spend_record(
                actor=people["priya"].user,
                request=request,
                date=_day(spend_f),
                amount=Decimal(spend_amount),
                note=note,
            )
            spent_at = _at(_day(spend_f), 14)
            ResourceSpend.objects.filter(pk=spend.pk).update(created_at=spent_at)
            backdate_history(ResourceSpend, spend.pk, [spent_at])
            moments.append(spent_at)
            created["resource spends"] += 1
        backdate_history(ResourceRequest, request.pk, moments[:2], **stamps)

    year = timezone.localdate().year
    for category, planned in BUDGETS.items():
        if not QualityBudget.objects.filter(year=year, category=category).exists():
            services.quality_budget_create(
                actor=people["margaret"].user, year=year, category=category, planned_amount=Decimal(planned)
            )
            created["quality budgets"] += 1
    return created
