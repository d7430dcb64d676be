"""The demo quality objectives: three company objectives cascaded into nine departmental ones.

All are active, with their plans and evaluation methods, built through the services. The
measurements area adds 18 months of values to them by reference. Dates are relative to today:
every objective starts on the 1st of the month 18 months ago and is due on the 30 June that
follows the date six months from now. Idempotent: an objective whose reference exists is left
as it is.
"""

import calendar
import datetime
from decimal import Decimal

from django.utils import timezone

from leadership.demo.people import DEMO_PASSWORD
from leadership.models import Department, Person
from leadership.models.commitment import CommitmentEntry
from leadership.models.customers import CustomerRequirement
from leadership.models.positions import Position
from objectives.models import ActionPlanStep, Objective, TargetRevision
from objectives.services import objectives as services
from qms.models import Signature

D = Decimal
Category = Objective.Category
Unit = Objective.Unit
Dir = Objective.Direction
Freq = Objective.Frequency

# reference, title, category, theme, metric, unit, direction, baseline, target, upper, tolerance,
# frequency, owner, department, parent, created by, evaluation method
OBJECTIVES = [
    (
        "OBJ-C1",
        "Defective product rate 2% or less",
        Category.PRODUCT_CONFORMITY,
        "Right first time",
        "Defective product rate",
        Unit.PERCENT,
        Dir.LOWER,
        D("3.1"),
        D("2.0"),
        None,
        D("0.3"),
        Freq.MONTHLY,
        "david",
        "EXEC",
        None,
        "margaret",
        "Monthly rate of parts rejected at final inspection or returned by customers, over parts shipped, "
        "from the ERP quality module; reviewed at the monthly operations meeting and the management review.",
    ),
    (
        "OBJ-C2",
        "Complaints per 1,000 orders down 15%",
        Category.CUSTOMER_SATISFACTION,
        "Customer trust",
        "Complaints per 1,000 orders",
        Unit.COUNT,
        Dir.LOWER,
        D("6.2"),
        D("5.3"),
        None,
        D("0.4"),
        Freq.MONTHLY,
        "margaret",
        "EXEC",
        None,
        "margaret",
        "Complaints logged in Clause5 per 1,000 order lines shipped in the month; the trend is reviewed "
        "quarterly by top management with the complaint causes.",
    ),
    (
        "OBJ-C3",
        "Customer satisfaction 8.5 or more",
        Category.CUSTOMER_SATISFACTION,
        "Customer trust",
        "Average satisfaction score",
        Unit.SCORE,
        Dir.HIGHER,
        D("7.4"),
        D("8.5"),
        None,
        D("0.3"),
        Freq.QUARTERLY,
        "margaret",
        "EXEC",
        None,
        "margaret",
        "Average score (0-10) of the quarterly customer survey, at least 20 responses per quarter; "
        "presented at the management review with the comments of the lowest scores.",
    ),
    (
        "OBJ-PROD-1",
        "CNC scrap rate at or below 1.5%",
        Category.PRODUCT_CONFORMITY,
        "Right first time",
        "Scrap rate",
        Unit.PERCENT,
        Dir.LOWER,
        D("3.0"),
        D("3.0"),
        None,
        D("0.3"),
        Freq.MONTHLY,
        "tom",
        "PROD",
        "OBJ-C1",
        "tom",
        "Scrapped parts over parts machined per month on the CNC cells, from the scrap log; reviewed in the "
        "weekly production meeting and reported monthly to the operations director.",
    ),
    (
        "OBJ-PROD-2",
        "First-pass yield 97% or more",
        Category.PROCESS,
        "Right first time",
        "First-pass yield",
        Unit.PERCENT,
        Dir.HIGHER,
        D("94"),
        D("97"),
        None,
        D("1.0"),
        Freq.MONTHLY,
        "tom",
        "PROD",
        "OBJ-C1",
        "tom",
        "Lots passing final inspection without rework over lots inspected per month; the three-month trend "
        "is reviewed at the monthly operations meeting.",
    ),
    (
        "OBJ-QA-1",
        "Internal audit findings closed within 30 days",
        Category.PROCESS,
        "Right first time",
        "Average days to close findings",
        Unit.DAYS,
        Dir.LOWER,
        D("45"),
        D("30"),
        None,
        D("5"),
        Freq.MONTHLY,
        "priya",
        "QA",
        None,
        "priya",
        "Average days from report to verified closure of the internal audit findings closed in the month; "
        "reported in the weekly operation report and at the management review.",
    ),
    (
        "OBJ-QA-2",
        "Inspection lead time under 24 hours",
        Category.PROCESS,
        "Dependable supply",
        "Inspection lead time",
        Unit.HOURS,
        Dir.LOWER,
        D("36"),
        D("24"),
        None,
        D("4"),
        Freq.WEEKLY,
        "lucy",
        "QA",
        "OBJ-C1",
        "priya",
        "Average hours from a lot arriving at final inspection to its release or rejection, from the "
        "inspection log timestamps; entered weekly and reviewed monthly by the quality manager.",
    ),
    (
        "OBJ-SALES-1",
        "Complaints answered within target 95%",
        Category.CUSTOMER_SATISFACTION,
        "Customer trust",
        "Complaints answered on time",
        Unit.PERCENT,
        Dir.HIGHER,
        D("85"),
        D("95"),
        None,
        D("3"),
        Freq.MONTHLY,
        "james",
        "SALES",
        "OBJ-C2",
        "james",
        "Share of the complaints closed in the month whose first answer met the response target, from the "
        "customer feedback register; reviewed monthly with the customer service team.",
    ),
    (
        "OBJ-SALES-2",
        "On-time delivery 96% or better",
        Category.CUSTOMER_SATISFACTION,
        "Dependable supply",
        "On-time delivery",
        Unit.PERCENT,
        Dir.HIGHER,
        D("91"),
        D("96"),
        None,
        D("2"),
        Freq.MONTHLY,
        "james",
        "SALES",
        "OBJ-C3",
        "james",
        "Order lines delivered on or before the confirmed date over order lines delivered, from the ERP "
        "delivery report; reviewed at the monthly operations meeting and with key customers quarterly.",
    ),
    (
        "OBJ-SUP-1",
        "Rejected incoming lots 0.8% or less",
        Category.SUPPLIER,
        "Dependable supply",
        "Rejected incoming lots",
        Unit.PERCENT,
        Dir.LOWER,
        D("1.6"),
        D("0.8"),
        None,
        D("0.2"),
        Freq.MONTHLY,
        "aisha",
        "SUPPLY",
        "OBJ-C1",
        "aisha",
        "Incoming lots rejected at goods-in inspection over lots received per month; reviewed per supplier "
        "at the quarterly supplier review.",
    ),
    (
        "OBJ-ENG-1",
        "Engineering change lead time 10 days or less",
        Category.PROCESS,
        "Right first time",
        "Engineering change lead time",
        Unit.DAYS,
        Dir.LOWER,
        D("18"),
        D("10"),
        None,
        D("2"),
        Freq.MONTHLY,
        "elena",
        "ENG",
        None,
        "elena",
        "Average working days from an engineering change request to the released drawing and updated work "
        "instruction, for changes released in the month; reviewed monthly by the engineering manager.",
    ),
    (
        "OBJ-PROD-3",
        "Coolant concentration between 6% and 8%",
        Category.PROCESS,
        "Right first time",
        "Coolant concentration",
        Unit.PERCENT,
        Dir.BAND,
        D("7"),
        D("6"),
        D("8"),
        D("0.5"),
        Freq.WEEKLY,
        "tom",
        "PROD",
        "OBJ-C1",
        "tom",
        "Refractometer reading of the central coolant system every Monday, corrected by the oil's factor; "
        "readings outside the band trigger a top-up and a re-check the same day.",
    ),
]

# reference -> plan steps: what, resources, responsible, months after the start it is due, done?
PLANS = {
    "OBJ-C1": [
        (
            "Break the defect target down into departmental objectives for production, inspection and supply",
            "Management meeting time; last year's defect Pareto",
            "david",
            1,
            True,
        ),
        (
            "Review the defect Pareto at every monthly operations meeting and assign an owner to each top cause",
            "Monthly operations meeting; ERP quality report",
            "david",
            3,
            True,
        ),
        (
            "Fund the second automated CNC line to take the worst-scrapping parts off the old machines",
            "Capital budget for line 2; engineering support",
            "margaret",
            12,
            True,
        ),
    ],
    "OBJ-C2": [
        (
            "Analyse the causes of the last 12 months' complaints and pick the three to remove first",
            "Complaint register; two days of the quality manager",
            "priya",
            2,
            True,
        ),
        (
            "Add a pre-dispatch check of packaging and paperwork for the three largest customers",
            "Packing checklist; 30 minutes per shipment",
            "james",
            6,
            True,
        ),
        (
            "Review complaint figures with top management every quarter and decide on the actions",
            "Quarterly management meeting",
            "margaret",
            24,
            False,
        ),
    ],
    "OBJ-C3": [
        (
            "Run the customer survey every quarter with at least 20 responses",
            "Survey tool licence; customer service time",
            "james",
            3,
            True,
        ),
        (
            "Call back every customer scoring 6 or less within two weeks and log the answer",
            "Customer service coordinator, about 4 hours a quarter",
            "sophie",
            24,
            False,
        ),
    ],
    "OBJ-PROD-1": [
        (
            "Commission automated line 2 for the valve bodies and manifold blocks",
            "Line 2 investment; supplier commissioning engineer; 3 weeks",
            "tom",
            10,
            True,
        ),
        (
            "Introduce a first-article check with the CMM on every set-up change",
            "CMM time (about 20 minutes per set-up); trained setters",
            "grace",
            12,
            True,
        ),
        (
            "Replace tooling by tool-life counters instead of by operator judgement",
            "Tool management module; operator training half a day",
            "daniel",
            20,
            False,
        ),
    ],
    "OBJ-PROD-2": [
        (
            "Root-cause the top five rework reasons with the team leaders",
            "Weekly 1-hour problem-solving session",
            "grace",
            6,
            True,
        ),
        (
            "Update the work instructions at the machines for the three most reworked parts",
            "Engineering support; printed instructions at the machines",
            "oliver",
            14,
            False,
        ),
    ],
    "OBJ-QA-1": [
        (
            "Assign an owner and a due date to every audit finding at the closing meeting",
            "Audit closing meeting; action register",
            "priya",
            2,
            True,
        ),
        (
            "Chase open findings in the weekly operation report",
            "Management representative, 1 hour a week",
            "priya",
            4,
            True,
        ),
        (
            "Train two more internal auditors so findings are verified without waiting",
            "ISO 9001 internal auditor course for two people",
            "marek",
            12,
            True,
        ),
    ],
    "OBJ-QA-2": [
        ("Add a second inspection slot on the late shift", "One inspector on the late shift", "marek", 6, True),
        (
            "Book the CMM for final inspection in fixed daily windows",
            "CMM schedule agreed with production",
            "lucy",
            9,
            True,
        ),
        (
            "Enter the inspection lead time every Monday from the inspection log",
            "Quality engineer, 15 minutes a week",
            "lucy",
            24,
            False,
        ),
    ],
    "OBJ-SALES-1": [
        (
            "Set response targets per complaint type and show overdue complaints on the team board",
            "Response targets in Clause5; team board",
            "james",
            2,
            True,
        ),
        (
            "Hold a 15-minute complaint stand-up every morning",
            "Customer service team, 15 minutes a day",
            "sophie",
            4,
            True,
        ),
    ],
    "OBJ-SALES-2": [
        (
            "Confirm delivery dates only after a capacity check with production planning",
            "Planning meeting twice a week",
            "james",
            3,
            True,
        ),
        (
            "Agree buffer stock of the ten fastest-moving parts with the main customers",
            "Stock holding budget; customer agreement",
            "aisha",
            9,
            True,
        ),
        (
            "Review late order lines weekly with production and supply chain and re-plan",
            "Weekly 30-minute review",
            "james",
            24,
            False,
        ),
        (
            "Introduce the MES upgrade to show order progress on the shop floor",
            "MES upgrade budget (resource request); IT support",
            "tom",
            20,
            False,
        ),
    ],
    "OBJ-SUP-1": [
        (
            "Re-approve the three suppliers with the most rejected lots, with an on-site audit",
            "Buyer and quality engineer, 3 audit days",
            "hannah",
            5,
            True,
        ),
        (
            "Require a certificate of conformity with every incoming lot",
            "Purchase order terms; goods-in check",
            "aisha",
            8,
            True,
        ),
        (
            "Review rejected lots per supplier at the quarterly supplier review",
            "Quarterly review meeting",
            "aisha",
            24,
            False,
        ),
    ],
    "OBJ-ENG-1": [
        (
            "Introduce a weekly change board instead of ad-hoc approvals",
            "Engineering manager and production, 1 hour",
            "elena",
            3,
            True,
        ),
        (
            "Use drawing templates with the revision block filled from the change request",
            "CAD template work, 5 days",
            "oliver",
            10,
            True,
        ),
    ],
    "OBJ-PROD-3": [
        (
            "Measure coolant concentration every Monday with the refractometer",
            "Refractometer; 10 minutes a week",
            "daniel",
            1,
            True,
        ),
        (
            "Install automatic coolant mixing on the central system",
            "Mixing unit; maintenance contractor, 1 day",
            "tom",
            8,
            True,
        ),
    ],
}

REVISION_REASON = "New automated line 2: defect target from 3% to 1.5%"


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def demo_dates(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """(start, due) of the demo objectives: the 1st of the month 18 months ago; the 30 June after today + 6 months."""
    today = today or timezone.localdate()
    start = _add_months(today.replace(day=1), -18)
    later = _add_months(today, 6)
    june = datetime.date(later.year, 6, 30)
    return start, june if later <= june else datetime.date(later.year + 1, 6, 30)


def revision_effective_from(today: datetime.date | None = None) -> datetime.date:
    """When the approved revision of OBJ-PROD-1 took effect: the 1st of the month six months ago."""
    today = today or timezone.localdate()
    return _add_months(today.replace(day=1), -6)


def _requirements_for(reference: str) -> list[CustomerRequirement]:
    active = CustomerRequirement.objects.filter(is_active=True)
    if reference == "OBJ-C1":
        return list(active.filter(category=CustomerRequirement.Category.PRODUCT))
    if reference == "OBJ-PROD-1":
        return list(active.filter(category=CustomerRequirement.Category.PRODUCT, department__code="PROD"))
    if reference in ("OBJ-SALES-2", "OBJ-C3"):
        return list(active.filter(category=CustomerRequirement.Category.DELIVERY))
    if reference == "OBJ-SUP-1":
        return list(active.filter(department__code="SUPPLY", category=CustomerRequirement.Category.LEGAL))
    return []


KPI_POSITIONS = {"OBJ-PROD-1": "Production Manager", "OBJ-SALES-2": "Sales & Customer Service Manager"}


def seed(people: dict[str, Person]) -> dict[str, int]:
    """Create the demo objectives, their plans and the approved revision of OBJ-PROD-1; return what was created."""
    created = {"objectives": 0, "action plan steps": 0, "target revisions": 0}
    if not people:
        return created
    start, due = demo_dates()
    departments = {d.code: d for d in Department.objects.all()}
    existing = {o.reference: o for o in Objective.objects.all()}
    for row in OBJECTIVES:
        (
            reference,
            title,
            category,
            theme,
            metric,
            unit,
            direction,
            baseline,
            target,
            upper,
            tolerance,
            frequency,
            owner,
            department,
            parent,
            author,
            evaluation,
        ) = row
        if reference in existing:
            continue
        actor = people[author].user
        positions = list(Position.objects.filter(title=KPI_POSITIONS[reference])) if reference in KPI_POSITIONS else []
        objective = services.objective_create(
            actor=actor,
            reference=reference,
            title=title,
            category=category,
            strategic_theme=theme,
            owner=people[owner],
            department=departments.get(department),
            parent=existing.get(parent),
            kpi_of_positions=positions,
            customer_requirements=_requirements_for(reference),
            metric_name=metric,
            unit=unit,
            direction=direction,
            baseline=baseline,
            target=target,
            target_upper=upper,
            tolerance=tolerance,
            frequency=frequency,
            start_date=start,
            due_date=due,
            evaluation_method=evaluation,
        )
        created["objectives"] += 1
        today = timezone.localdate()
        for what, resources, responsible, months, done in PLANS[reference]:
            step_due = min(_add_months(start, months), due)
            services.action_plan_step_create(
                actor=actor,
                objective=objective,
                what=what,
                resources=resources,
                responsible=people[responsible],
                due_date=step_due,
                status=ActionPlanStep.Status.DONE if done and step_due <= today else ActionPlanStep.Status.PLANNED,
                done_at=step_due if done and step_due <= today else None,
            )
            created["action plan steps"] += 1
        existing[reference] = services.objective_activate(actor=actor, objective=objective)

    prod1 = existing.get("OBJ-PROD-1")
    if prod1 is not None and prod1.status == Objective.Status.ACTIVE and not prod1.revisions.exists():
        revision = services.target_revision_propose(
            actor=people["tom"].user,
            objective=prod1,
            reason=REVISION_REASON,
            effective_from=revision_effective_from(),
            new_target=D("1.5"),
        )
        services.target_revision_approve(
            actor=people["margaret"].user,
            revision=revision,
            password=DEMO_PASSWORD,
            decision_note="Line 2 is commissioned and capable; the scrap target follows the new capability. "
            "Review the first six months at the next management review.",
        )
        # The decision was taken a week before the new target applied, not on the day the demo was loaded.
        decided = datetime.datetime.combine(
            revision.effective_from - datetime.timedelta(days=7), datetime.time(11, 0), tzinfo=datetime.UTC
        )
        revision.refresh_from_db()
        TargetRevision.objects.filter(pk=revision.pk).update(decided_at=decided)
        Signature.objects.filter(pk=revision.signature_id).update(signed_at=decided)
        CommitmentEntry.objects.filter(source=CommitmentEntry.Source.TARGET_REVISED, source_id=str(revision.pk)).update(
            date=decided.date()
        )
        created["target revisions"] += 1
    return created
