"""Demo of positions, holders and the management representative (5.3) at Northbridge Precision Components.

Built through the services. Two gaps are planted on purpose for the matrix and the readiness
page to find: 5.3.e (keeping the QMS intact through changes) is assigned to no position, and
Tom Hargreaves has not acknowledged revision 2 of the Production Manager description.
"""

import datetime
import decimal

from leadership.demo.people import DEMO_PASSWORD
from leadership.models import Department, Person
from leadership.models.commitment import CommitmentEntry
from leadership.models.positions import ManagementRepresentativeAppointment, Position, PositionHolder
from leadership.services import positions as services
from qms.models import Signature

D = datetime.date

POSITIONS = [
    # title, department code, reports to (title), responsibilities, authorities, requirement ids, holders
    (
        "Managing Director",
        "EXEC",
        None,
        [
            "Is accountable for the effectiveness of the quality management system",
            "Approves the quality policy and the quality objectives and makes sure they fit the business strategy",
            "Chairs the management review twice a year and signs its conclusions",
            "Provides the people, equipment and budget the quality management system needs",
            "Appoints the management representative and gives them the powers the role needs",
        ],
        [
            "May approve capital expenditure and the annual quality budget",
            "May stop the shipment of any product to protect the customer",
            "May appoint and remove the management representative",
        ],
        ["5.1.1.a", "5.1.1.b", "5.1.1.e", "9.3.1"],
        [("margaret", D(2015, 3, 2))],
    ),
    (
        "Operations Director",
        "EXEC",
        "Managing Director",
        [
            "Runs production, engineering and the supply chain to the delivery and quality plan",
            "Builds the quality requirements into the operational processes and their KPIs",
            "Supports the Production, Engineering and Supply Chain Managers in leading their departments",
            "Reviews the operational quality figures in the monthly operations meeting",
        ],
        [
            "May approve overtime, subcontracting and changes to the production plan",
            "May approve operational spending up to £50,000",
        ],
        ["5.1.1.c", "5.1.1.j"],
        [("david", D(2017, 9, 4))],
    ),
    (
        "Quality Manager",
        "QA",
        "Managing Director",
        [
            "Makes sure the quality management system conforms to ISO 9001 and to customer requirements",
            "Reports the performance of the QMS and the opportunities for improvement to the Managing Director "
            "every week",
            "Plans and runs the internal audit programme",
            "Keeps the quality policy, the position descriptions and the QMS records under control",
            "Leads the handling of nonconformities and corrective actions",
        ],
        [
            "May release or reject product for delivery after final inspection",
            "May require any department to take corrective action on a nonconformity",
            "May quarantine suspect material or product",
        ],
        ["5.3.a", "5.3.c", "5.2.2.b", "9.3.2.c.6"],
        [("priya", D(2019, 1, 7))],
    ),
    (
        "Production Manager",
        "PROD",
        "Operations Director",
        [
            "Makes sure the machining, finishing and assembly processes deliver parts to drawing and on time",
            "Keeps the work instructions at the machines current",
            "Makes sure operators are trained and signed off for the machines they run",
        ],
        [
            "May re-plan the production sequence within the agreed delivery dates",
            "May stop a machine that drifts out of tolerance",
        ],
        ["5.3.b", "9.3.2.c.3"],
        [("tom", D(2018, 6, 11))],
    ),
    (
        "Sales & Customer Service Manager",
        "SALES",
        "Managing Director",
        [
            "Promotes customer focus across the organisation",
            "Makes sure customer requirements are reviewed and confirmed before an order is accepted",
            "Logs every customer complaint and follows the response through to closure",
            "Reports customer satisfaction and complaint trends to the management review",
        ],
        [
            "May decline an order whose requirements cannot be met",
            "May agree goodwill credits up to £2,000 per complaint",
        ],
        ["5.3.d", "5.1.2.a", "5.1.2.c", "9.3.2.c.1"],
        [("james", D(2020, 2, 3))],
    ),
    (
        "Engineering Manager",
        "ENG",
        "Operations Director",
        [
            "Leads product and process design and the introduction of new parts",
            "Approves drawings, CNC programs and tooling before their release to production",
            "Evaluates the effect of design changes on the parts already in production",
        ],
        [
            "May release or withhold a drawing revision or a CNC program",
            "May approve tooling purchases up to £10,000",
        ],
        [],
        [("elena", D(2021, 5, 10))],
    ),
    (
        "Supply Chain Manager",
        "SUPPLY",
        "Operations Director",
        [
            "Selects, approves and re-evaluates suppliers and subcontractors",
            "Makes sure purchase orders state the quality requirements of the drawing",
            "Reports supplier delivery and quality performance to the management review",
        ],
        [
            "May approve a new supplier after a successful evaluation",
            "May put a supplier on hold after repeated nonconformities",
        ],
        ["9.3.2.c.7"],
        [("aisha", D(2022, 1, 10))],
    ),
    (
        "Quality Inspector",
        "QA",
        "Quality Manager",
        [
            "Inspects first-off and final parts against the drawing and the inspection plan",
            "Records the measurement results and the defect rate of every batch",
            "Labels and segregates nonconforming parts",
        ],
        [
            "May stop a batch that fails inspection and place it in quarantine",
            "May refuse to release a batch whose inspection records are incomplete",
        ],
        ["9.3.2.c.5"],
        [("marek", D(2016, 4, 18)), ("lucy", D(2023, 3, 6))],
    ),
]

# The Production Manager description gained a line and an authority after Tom acknowledged
# revision 1; he has not acknowledged revision 2 yet.
PRODUCTION_MANAGER_REVISION_2 = {
    "responsibilities": [
        "Makes sure the machining, finishing and assembly processes deliver parts to drawing and on time",
        "Keeps the work instructions at the machines current",
        "Makes sure operators are trained and signed off for the machines they run",
        "Has the first-off part of every new set-up inspected before the batch runs",
    ],
    "authorities": [
        "May re-plan the production sequence within the agreed delivery dates",
        "May stop a machine that drifts out of tolerance",
        "May authorise overtime within the approved production budget",
    ],
}

APPOINTMENT_POWERS = [
    "Reports directly to the Managing Director on the performance of the quality management system",
    "Can require any department to cooperate in audits, corrective actions and improvement work",
    "Can approve improvement spending up to the budget limit without further sign-off",
    "Can stop the release of product when the controls of the quality management system were not followed",
]


def seed(people: dict[str, Person]) -> dict[str, int]:
    """Create the positions, their holders and acknowledgements, and the signed appointment (idempotent)."""
    created = {
        "positions": 0,
        "position_holders": 0,
        "position_acknowledgements": 0,
        "management_representative_appointments": 0,
    }
    representative = people["priya"].user
    departments = {d.code: d for d in Department.objects.all()}
    positions = {p.title: p for p in Position.objects.select_related("department")}

    for title, dept, reports_to, responsibilities, authorities, requirement_ids, holders in POSITIONS:
        position = positions.get(title)
        new = position is None
        if new:
            position = services.position_create(
                actor=representative,
                title=title,
                department=departments[dept],
                reports_to=positions.get(reports_to) if reports_to else None,
                responsibilities="\n".join(responsibilities),
                authorities="\n".join(authorities),
                requirement_ids=requirement_ids,
            )
            positions[title] = position
            created["positions"] += 1
        for username, start in holders:
            person = people[username]
            if not PositionHolder.objects.filter(position=position, person=person).exists():
                services.position_holder_assign(
                    actor=representative, position=position, person=person, start_date=start
                )
                created["position_holders"] += 1
            if new:
                services.position_acknowledge(actor=person.user, position=position, revision=position.revision)
                created["position_acknowledgements"] += 1
        if new and title == "Production Manager":
            services.position_update(
                actor=representative,
                position=position,
                **{field: "\n".join(text) for field, text in PRODUCTION_MANAGER_REVISION_2.items()},
            )

    if not ManagementRepresentativeAppointment.objects.filter(person=people["priya"]).exists():
        appointment = services.management_representative_appointment_create(
            actor=representative,
            person=people["priya"],
            powers="\n".join(APPOINTMENT_POWERS),
            budget_limit=decimal.Decimal("25000.00"),
            budget_currency="GBP",
            start_date=D(2024, 1, 8),
        )
        services.management_representative_appointment_sign(
            actor=people["margaret"].user, appointment=appointment, password=DEMO_PASSWORD
        )
        # The demo's appointment was signed when it began, not on the day the demo was loaded.
        signed_on = D(2024, 1, 5)
        CommitmentEntry.objects.filter(
            source=CommitmentEntry.Source.APPOINTMENT_SIGNED, source_id=str(appointment.pk)
        ).update(date=signed_on)
        if appointment.signature_id:
            Signature.objects.filter(pk=appointment.signature_id).update(
                signed_at=datetime.datetime.combine(signed_on, datetime.time(10, 0), tzinfo=datetime.UTC)
            )
        created["management_representative_appointments"] += 1
    return created
