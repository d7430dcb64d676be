"""Demo risk and opportunity register of a precision machining company (6.1, 5.1.1.d, 5.1.2.b).

Twelve entries, built through the services: supply, calibration, people, a new medical
customer's requirements, automation of line 2 and others, each linked to the demo objectives (by
reference, when they exist) and to customer requirements (by the start of their text). Most were
reviewed by management in the last weeks; the CMM calibration risk is past its review date, a
planted gap for the demo. One risk is closed. Dates are relative to today. Idempotent: an entry
whose title exists is left as it is.
"""

import datetime

from django.utils import timezone

from leadership.models import Department, Person
from leadership.models.customers import CustomerRequirement
from objectives.models import Objective
from objectives.models.risks import Risk
from objectives.services import risks as services

T = Risk.Type
S = Risk.Source
St = Risk.Status

# title, type, source, likelihood, impact, status, owner, department, description, treatment,
# action, objective references, customer requirements (start of their text),
# (reviewed by, days ago) or None, next review in days (negative: overdue)
RISKS = [
    (
        "Single-source titanium bar supplier",
        T.RISK,
        S.SUPPLIER,
        3,
        5,
        St.TREATING,
        "aisha",
        "SUPPLY",
        "All Ti-6Al-4V bar for the medical parts comes from one mill. A strike, a furnace failure or an "
        "export restriction there would stop the Meridian work within six weeks.",
        "Reduce: qualify a second mill with equivalent certification and hold eight weeks of safety stock of "
        "the three most used diameters.",
        "Hannah Fischer: audit of the second mill and first-article trial lot by the end of next quarter.",
        ["OBJ-SUP-1", "OBJ-C1"],
        ["Medical device parts traceable"],
        ("margaret", 20),
        70,
    ),
    (
        "CMM calibration overdue",
        T.RISK,
        S.PROCESS,
        4,
        4,
        St.TREATING,
        "priya",
        "QA",
        "The Zeiss CMM's annual calibration lapsed three weeks ago; the service visit was postponed. "
        "Measurements since then could be challenged by customers and auditors.",
        "Reduce: book the accredited service visit, verify daily with the reference sphere until then, and "
        "assess the lots measured since the due date.",
        "Marek Kowalski: calibration visit booked; impact assessment of released lots.",
        ["OBJ-C1", "OBJ-QA-2"],
        ["Thread pitch diameter of bone screw blanks"],
        ("priya", 45),
        -9,
    ),
    (
        "Retirement of the senior five-axis setter",
        T.RISK,
        S.PEOPLE,
        4,
        3,
        St.TREATING,
        "tom",
        "PROD",
        "The only machinist who sets up the five-axis cells retires in the autumn. Without him set-ups take "
        "longer and first-part scrap rises.",
        "Reduce: mentor-apprentice pairing for two machinists, set-up sheets and videos for the ten most run "
        "part numbers.",
        "Grace Adeyemi: pairing plan and set-up sheets, reviewed monthly at the production meeting.",
        ["OBJ-PROD-2", "OBJ-PROD-1"],
        [],
        ("david", 14),
        45,
    ),
    (
        "New medical customer's requirements not yet built into our processes",
        T.RISK,
        S.CUSTOMER,
        3,
        4,
        St.TREATING,
        "james",
        "SALES",
        "Meridian Medical Devices asks for ISO 13485 lot traceability, UDI labelling and sealed double "
        "bagging. A missed requirement would mean a rejected lot and a lost new customer.",
        "Reduce: walk each Meridian requirement into the router, the packing instruction and the final "
        "inspection plan; contract review sign-off by QA before the first order.",
        "James Whitfield and Priya Raman: requirement-to-process matrix signed off before the first order.",
        ["OBJ-C2", "OBJ-C3"],
        ["Medical device parts traceable", "Blanks packed in sealed double bags"],
        ("margaret", 20),
        40,
    ),
    (
        "Automation of CNC line 2",
        T.OPPORTUNITY,
        S.PROCESS,
        4,
        4,
        St.TREATING,
        "tom",
        "PROD",
        "A robot cell with in-process probing on line 2 would run unattended at night and catch size drift "
        "before parts are scrapped.",
        "Pursue: business case approved; install the cell and revise the line's scrap target once it runs.",
        "Tom Hargreaves: installation and operator training; scrap target revision proposed to top management.",
        ["OBJ-PROD-1", "OBJ-C1"],
        ["Valve body ports free of burrs"],
        ("margaret", 20),
        60,
    ),
    (
        "Late deliveries to the automotive customer",
        T.RISK,
        S.CUSTOMER,
        4,
        3,
        St.TREATING,
        "james",
        "SALES",
        "On-time delivery to Halden Automotive has been below the contractual 95% for two quarters; the "
        "customer has warned of a supplier rating downgrade.",
        "Reduce: weekly capacity review of Halden orders, confirmed dates only after planning checks "
        "material and machine time.",
        "Sophie Turner: weekly capacity review from next Monday; escalation to David Okafor when a date slips.",
        ["OBJ-SALES-2"],
        ["Delivery on the confirmed date"],
        ("david", 14),
        30,
    ),
    (
        "Coolant concentration drift",
        T.RISK,
        S.PROCESS,
        2,
        3,
        St.MONITORING,
        "tom",
        "PROD",
        "Coolant below 6% causes corrosion spots on steel parts, above 8% skin problems for operators.",
        "Accept and monitor: weekly refractometer readings; top up by the concentration chart.",
        "Daniel Price: weekly reading on the machine log.",
        ["OBJ-PROD-3"],
        [],
        ("tom", 30),
        60,
    ),
    (
        "Change in REACH restrictions on lead in free-machining brass",
        T.RISK,
        S.REGULATORY,
        2,
        4,
        St.OPEN,
        "aisha",
        "SUPPLY",
        "The lead exemption for copper alloys is under review. Parts in CW614N brass may need a lead-free "
        "alloy, with new cutting parameters and customer approval.",
        "",
        "",
        ["OBJ-SUP-1"],
        ["Material declarations under REACH and RoHS"],
        ("priya", 45),
        90,
    ),
    (
        "Ransomware on the ERP and CNC program server",
        T.RISK,
        S.PROCESS,
        2,
        5,
        St.TREATING,
        "david",
        "EXEC",
        "Losing the ERP or the CNC programs would stop production and our traceability records.",
        "Reduce: offline nightly backups with a restore test each quarter; separate network for the machines.",
        "External IT provider: quarterly restore test, report to David Okafor.",
        [],
        ["Medical device parts traceable"],
        ("margaret", 20),
        80,
    ),
    (
        "Complaint status portal for customers",
        T.OPPORTUNITY,
        S.CUSTOMER,
        3,
        3,
        St.OPEN,
        "james",
        "SALES",
        "Customers ask by phone where their complaint stands. A portal showing the status would cut calls and "
        "raise satisfaction.",
        "",
        "",
        ["OBJ-SALES-1", "OBJ-C3"],
        [],
        None,
        60,
    ),
    (
        "Cross-training inspectors on the CMM and the vision system",
        T.OPPORTUNITY,
        S.PEOPLE,
        4,
        3,
        St.TREATING,
        "priya",
        "QA",
        "Only two inspectors can program the CMM; cross-training all four would shorten the inspection queue "
        "on late shifts.",
        "Pursue: two-day training with the CMM supplier, then paired programming for a month.",
        "Lucy Chen: training booked for both late-shift inspectors.",
        ["OBJ-QA-2"],
        [],
        ("priya", 45),
        50,
    ),
    (
        "Band saw breakdown delaying bar preparation",
        T.RISK,
        S.PROCESS,
        1,
        3,
        St.CLOSED,
        "tom",
        "PROD",
        "The old band saw broke down twice in a month, delaying bar preparation for the lathes.",
        "Avoid: replaced by a new automatic saw; the old one is kept as a spare.",
        "Done: new saw installed and accepted.",
        [],
        [],
        ("tom", 30),
        90,
    ),
]


def _requirements(starts: list[str]) -> list[CustomerRequirement]:
    found = []
    for start in starts:
        item = CustomerRequirement.objects.filter(requirement__startswith=start).order_by("pk").first()
        if item is not None:
            found.append(item)
    return found


def seed(people: dict[str, Person]) -> dict[str, int]:
    """Create the demo register (idempotent); `people` maps demo usernames to people."""
    today = timezone.localdate()
    existing = set(Risk.objects.values_list("title", flat=True))
    departments = {d.code: d for d in Department.objects.all()}
    objectives = {o.reference: o for o in Objective.objects.all()}
    keeper = people.get("priya")
    created = 0
    for (
        title,
        kind,
        source,
        likelihood,
        impact,
        status,
        owner,
        department,
        description,
        treatment,
        action,
        references,
        requirements,
        reviewed,
        next_review,
    ) in RISKS:
        if title in existing or owner not in people or keeper is None:
            continue
        # The entry goes in open and reviewed before it is given its final status, as it would be.
        final_closed = status == St.CLOSED
        risk = services.risk_create(
            actor=keeper.user,
            title=title,
            description=description,
            type=kind,
            source=source,
            likelihood=likelihood,
            impact=impact,
            owner=people[owner],
            department=departments.get(department),
            treatment=treatment,
            action=action,
            status=St.MONITORING if final_closed else status,
            next_review_date=today + datetime.timedelta(days=next_review),
            objectives=[objectives[r] for r in references if r in objectives],
            customer_requirements=_requirements(requirements),
        )
        if reviewed is not None and reviewed[0] in people:
            reviewer, days_ago = reviewed
            on = today - datetime.timedelta(days=days_ago)
            # The next review stays as planned: an overdue one was due after the last review.
            services.risk_mark_reviewed(
                actor=people[reviewer].user,
                risk=risk,
                next_review_date=max(risk.next_review_date, on + datetime.timedelta(days=1)),
                note="Scores and treatment confirmed at the monthly operations meeting.",
                today=on,
            )
        if final_closed:
            services.risk_update(actor=keeper.user, risk=risk, status=St.CLOSED)
        created += 1
    return {"risks": created}
