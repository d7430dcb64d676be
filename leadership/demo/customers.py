"""Demo of customer focus (5.1.2): about 18 months of customer feedback for a precision machining company.

Dates are relative to today, so the register, the overdue flags and the figures stay current.
Complaints, returns, compliments and requirement changes go through the lifecycle services
(so top management's responses reach the commitment log); the monthly survey responses are
inserted in bulk, each with its history row. Idempotent: customers, requirements, targets and
order volumes are added where missing; feedback is generated once.

Planted gaps for the demo: one high-severity complaint overdue for management's response, one
complaint overdue for closure, one customer requirement past its review date.
"""

import datetime
import random

from django.utils import timezone

from leadership.models import Department, Person
from leadership.models.customers import Customer, CustomerFeedback, CustomerRequirement, OrderVolume, ResponseTarget
from leadership.services import customers as services

Type = CustomerFeedback.Type
Channel = CustomerFeedback.Channel
Severity = CustomerFeedback.Severity
Status = CustomerFeedback.Status

MONTHS = 18

CUSTOMERS = [
    # name, account code
    ("Aerotec Systems", "AER-1001"),
    ("Meridian Medical Devices", "MMD-2040"),
    ("Halden Automotive", "HAL-3310"),
    ("Nordwind Hydraulics", "NWH-4120"),
    ("Castell Instruments", "CAS-5075"),
]

PRODUCTS = {
    "Aerotec Systems": ["hydraulic valve body", "actuator piston rod"],
    "Meridian Medical Devices": ["titanium bone screw blank", "surgical drill guide"],
    "Halden Automotive": ["steering rack housing", "gear shaft"],
    "Nordwind Hydraulics": ["manifold block", "hydraulic valve body"],
    "Castell Instruments": ["sensor housing", "precision spacer"],
}

# Complaint and return scenarios: customer, product, type, severity, department, description,
# assessment, root cause, response, effectiveness check, responder's rank ("top" or "manager").
SCENARIOS = [
    (
        "Aerotec Systems",
        "hydraulic valve body",
        Type.COMPLAINT,
        Severity.HIGH,
        "PROD",
        "Burrs on the cross-drilled ports of valve bodies, lot {lot}: 14 of 240 parts rejected at goods-in.",
        "Justified: burrs confirmed on retained samples from the same lot.",
        "Second-shift operators skipped the brush deburring step while the station was down for repair.",
        "Approved a second brush deburring station and added a borescope burr check to the final inspection plan.",
        "The next 10 lots (2,400 parts) were inspected at goods-out with no burrs; Aerotec reported no rejects in six "
        "weeks.",
        "top",
    ),
    (
        "Halden Automotive",
        "steering rack housing",
        Type.COMPLAINT,
        Severity.MEDIUM,
        "SUPPLY",
        "Delivery of order {lot} arrived 6 working days late; Halden's line had to re-sequence.",
        "Justified: the promised date was missed by six days.",
        "42CrMo4 bar stock arrived late from the mill and there was no safety stock for this grade.",
        "Agreed four weeks' safety stock of 42CrMo4 bar and a weekly capacity review between sales and production.",
        "On-time delivery to Halden was 98% over the following eight weeks (weekly delivery report).",
        "manager",
    ),
    (
        "Meridian Medical Devices",
        "titanium bone screw blank",
        Type.COMPLAINT,
        Severity.MEDIUM,
        "SUPPLY",
        "Wrong packaging: blanks of lot {lot} shipped in single bags instead of the specified sealed double bags.",
        "Justified: the packing instruction in use was an old revision.",
        "The packing instruction was not updated when Meridian changed its packaging specification.",
        "Put packing instructions under document control and added customer packaging specifications to contract "
        "review.",
        "Three consecutive shipments were checked against the new instruction; Meridian's receiving confirmed them.",
        "manager",
    ),
    (
        "Meridian Medical Devices",
        "titanium bone screw blank",
        Type.COMPLAINT,
        Severity.CRITICAL,
        "QA",
        "Dimensional deviation: thread pitch diameter of lot {lot} measured 0.012 mm over the upper limit.",
        "Justified: 100% re-gauging found 37 of 500 parts out of tolerance. Stock and WIP quarantined.",
        "Worn thread-rolling die not detected: the gauge check interval was too long for this material.",
        "Containment by 100% gauging of stock and WIP; die change interval halved; SPC on pitch diameter; approved "
        "the budget for an in-process thread gauge.",
        "Cpk of pitch diameter 1.67 over 30 production days; no escapes reported by Meridian in three months.",
        "top",
    ),
    (
        "Aerotec Systems",
        "actuator piston rod",
        Type.COMPLAINT,
        Severity.LOW,
        "PROD",
        "Surface finish of piston rods in lot {lot} at Ra 0.45 µm against the specified Ra 0.4 µm.",
        "Justified, marginal: parts usable after the customer's concession.",
        "Grinding wheel dressed too late in the run.",
        "Set a fixed dressing interval on the cylindrical grinder and added Ra to the first-off check.",
        "Ra measured on five following lots, all at or below 0.35 µm.",
        "manager",
    ),
    (
        "Halden Automotive",
        "gear shaft",
        Type.COMPLAINT,
        Severity.LOW,
        "QA",
        "Certificate of conformity missing from the delivery of lot {lot}.",
        "Justified: the certificate was printed but not packed.",
        "The dispatch checklist had no line for certificates.",
        "Added the certificate of conformity to the dispatch checklist and to the ERP shipping release.",
        "Dispatch checklists of the next 20 shipments audited: certificates present in all.",
        "manager",
    ),
    (
        "Nordwind Hydraulics",
        "manifold block",
        Type.COMPLAINT,
        Severity.MEDIUM,
        "SUPPLY",
        "Manifold blocks of lot {lot} damaged in transit: sealing faces dented.",
        "Justified: the pallet was not strapped and the blocks were not separated.",
        "The carrier's handling and our pallet layout together; no separators specified.",
        "Introduced foam separators and strapping for manifold blocks and briefed the carrier.",
        "Four deliveries arrived undamaged, confirmed by Nordwind's goods-in reports.",
        "manager",
    ),
    (
        "Castell Instruments",
        "precision spacer",
        Type.COMPLAINT,
        Severity.HIGH,
        "PROD",
        "Spacers of lot {lot} 0.02 mm under the minimum thickness; Castell stopped its assembly line for a shift.",
        "Justified: the lapping machine's stop was set from an out-of-date drawing revision.",
        "Drawing revision C was not issued to the lapping cell.",
        "Moved drawings at machines to the controlled electronic viewer and approved the tablets for the cells.",
        "Spot checks in all cells for two months found only current revisions; no further thickness complaints.",
        "top",
    ),
    (
        "Aerotec Systems",
        "hydraulic valve body",
        Type.RETURN,
        Severity.HIGH,
        "QA",
        "Return of 50 valve bodies from lot {lot} with porosity found after the customer's pressure test.",
        "Justified: porosity traced to one casting batch from the supplier.",
        "The supplier changed its foundry process without telling us; incoming inspection had no pressure test.",
        "Required change notification in the supplier agreement and added a pressure test sample at goods-in.",
        "Five following casting batches passed the goods-in pressure test; no further returns.",
        "top",
    ),
    (
        "Halden Automotive",
        "gear shaft",
        Type.RETURN,
        Severity.MEDIUM,
        "PROD",
        "Return of 120 gear shafts of lot {lot}: spline runout out of tolerance.",
        "Justified: runout measured on the returned parts.",
        "A worn collet on the spline hobbing machine.",
        "Replaced the collet, added collet wear to preventive maintenance and runout to the patrol inspection.",
        "Patrol inspection records of the next six weeks show runout within half the tolerance.",
        "manager",
    ),
]

COMPLIMENTS = [
    (
        "Aerotec Systems",
        "Thanks for turning the prototype valve bodies around in nine days; it kept our test rig programme on track.",
    ),
    (
        "Meridian Medical Devices",
        "Our supplier auditor praised the traceability from bar certificate to each lot of screw blanks.",
    ),
    ("Halden Automotive", "Thank you for the quick 8D on the runout return; a model of how to handle a problem."),
    ("Castell Instruments", "The new spacer packaging arrives perfectly clean; thank you for listening."),
    ("Nordwind Hydraulics", "Delivery performance this quarter has been the best of all our machining suppliers."),
    ("Aerotec Systems", "The engineering support during the drawing change was excellent."),
]

SURVEY_COMMENTS = {
    "low": [
        "Deliveries often late; we have to chase every order.",
        "Quality has been inconsistent this quarter.",
        "Hard to get answers from customer service.",
    ],
    "mid": [
        "Good parts, but paperwork sometimes arrives after the goods.",
        "Generally reliable; lead times could be shorter.",
        "Quality fine, communication on delays could be better.",
    ],
    "high": [
        "Reliable supplier, good communication.",
        "Parts consistently to drawing, delivery on time.",
        "Very responsive engineering team.",
        "Excellent quality and service.",
    ],
}

REQUIREMENTS = [
    # requirement, customer, category, department, process, verification, source, source reference, review in days
    (
        "Thread pitch diameter of bone screw blanks within ±0.008 mm, Cpk ≥ 1.33",
        "Meridian Medical Devices",
        CustomerRequirement.Category.PRODUCT,
        "QA",
        "In-process gauging and final inspection",
        "SPC chart on pitch diameter per lot; Cpk reported with the certificate of conformity.",
        CustomerRequirement.Source.DRAWING,
        "MMD-DRW-7741 rev D",
        120,
    ),
    (
        "Blanks packed in sealed double bags, 50 per bag, labelled with lot and UDI",
        "Meridian Medical Devices",
        CustomerRequirement.Category.PACKAGING,
        "SUPPLY",
        "Packing and dispatch",
        "Packing instruction PI-12 checked at dispatch; photo of each shipment kept.",
        CustomerRequirement.Source.SPECIFICATION,
        "MMD-PKG-003",
        90,
    ),
    (
        "Valve body ports free of burrs and chips (visual at 10x, borescope on cross-drillings)",
        "Aerotec Systems",
        CustomerRequirement.Category.PRODUCT,
        "PROD",
        "Deburring and final inspection",
        "Borescope check on 5 parts per lot, recorded on the inspection sheet.",
        CustomerRequirement.Source.DRAWING,
        "AER-2231-14 rev F",
        150,
    ),
    (
        "Delivery on the confirmed date, at least 95% of order lines on time per quarter",
        "Halden Automotive",
        CustomerRequirement.Category.DELIVERY,
        "SALES",
        "Order planning and dispatch",
        "On-time delivery report from the ERP, reviewed monthly.",
        CustomerRequirement.Source.CONTRACT,
        "HAL-SA-2024-017",
        60,
    ),
    (
        "Certificate of conformity (EN 10204 3.1) with every delivery",
        "Halden Automotive",
        CustomerRequirement.Category.DOCUMENTATION,
        "QA",
        "Dispatch release",
        "Dispatch checklist line; ERP blocks shipping release without an attached certificate.",
        CustomerRequirement.Source.CONTRACT,
        "HAL-SA-2024-017 §8",
        200,
    ),
    (
        "Material declarations under REACH and RoHS for every part number",
        None,
        CustomerRequirement.Category.LEGAL,
        "SUPPLY",
        "Supplier approval and material purchasing",
        "Declarations collected from mills and kept per part number; checked at annual supplier review.",
        CustomerRequirement.Source.REGULATION,
        "EC 1907/2006, 2011/65/EU",
        -12,
    ),
    (
        "Medical device parts traceable from bar stock heat number to customer lot (ISO 13485 §7.5.9)",
        "Meridian Medical Devices",
        CustomerRequirement.Category.LEGAL,
        "QA",
        "Lot traceability",
        "Trace test on one lot per quarter from shipment back to heat certificate.",
        CustomerRequirement.Source.REGULATION,
        "ISO 13485:2016 7.5.9",
        75,
    ),
    (
        "Manifold blocks shipped with foam separators, strapped on pallets",
        "Nordwind Hydraulics",
        CustomerRequirement.Category.PACKAGING,
        "SUPPLY",
        "Packing and dispatch",
        "Dispatch photo of each pallet; damage claims tracked in the feedback register.",
        CustomerRequirement.Source.SPECIFICATION,
        "NWH-LOG-11",
        180,
    ),
    (
        "First article inspection report (AS9102) for new part numbers and drawing changes",
        "Aerotec Systems",
        CustomerRequirement.Category.DOCUMENTATION,
        "ENG",
        "New product introduction",
        "FAI report approved by the customer before the first production delivery.",
        CustomerRequirement.Source.CONTRACT,
        "AER-QR-9100",
        240,
    ),
]

# Responders by rank for the scenarios: top managers respond to critical and high feedback.
RESPONDERS = {"top": ["margaret", "david"], "manager": ["priya", "tom", "james", "aisha"]}
ASSESSORS = ["lucy", "marek", "priya"]


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _seed_targets(actor) -> int:
    created = 0
    for severity, (to_response, to_close) in ResponseTarget.DEFAULTS.items():
        if not ResponseTarget.objects.filter(severity=severity).exists():
            services.response_target_create(
                actor=actor, severity=severity, days_to_response=to_response, days_to_close=to_close
            )
            created += 1
    return created


def _seed_customers(actor) -> tuple[dict[str, Customer], int]:
    created = 0
    customers = {}
    for name, code in CUSTOMERS:
        existing = Customer.objects.filter(name__iexact=name).first()
        if existing is None:
            existing = services.customer_get_or_create(actor=actor, name=name)
            services.customer_update(actor=actor, customer=existing, account_code=code)
            created += 1
        customers[name] = existing
    return customers, created


def _seed_requirements(actor, customers, departments, today) -> int:
    created = 0
    for text, customer, category, dept, process, verification, source, reference, review_in in REQUIREMENTS:
        if CustomerRequirement.objects.filter(requirement=text).exists():
            continue
        services.customer_requirement_create(
            actor=actor,
            requirement=text,
            customer=customers[customer] if customer else None,
            category=category,
            department=departments[dept],
            process=process,
            verification=verification,
            source=source,
            source_reference=reference,
            review_date=today + datetime.timedelta(days=review_in),
        )
        created += 1
    return created


def _seed_order_volumes(actor, today, rng) -> int:
    created = 0
    existing = set(OrderVolume.objects.values_list("month", flat=True))
    first = _add_months(today.replace(day=1), -(MONTHS - 1))
    for i in range(MONTHS):
        month = _add_months(first, i)
        if month in existing:
            continue
        orders = 410 + i * 4 + rng.randint(-25, 25)
        note = "ERP report “Orders shipped per month”"
        if month == today.replace(day=1):
            # The current month so far.
            orders = max(1, round(orders * today.day / 30))
            note += ", month to date"
        services.order_volume_create(actor=actor, month=month, orders=orders, note=note)
        created += 1
    return created


class _Feedback:
    """Generates the feedback register in date order, so references follow the received dates."""

    def __init__(self, people, customers, departments, today, rng):
        self.people = people
        self.customers = customers
        self.departments = departments
        self.today = today
        self.rng = rng
        self.targets = {str(k): v for k, v in ResponseTarget.DEFAULTS.items()}
        self.targets.update({t.severity: (t.days_to_response, t.days_to_close) for t in ResponseTarget.objects.all()})
        self.pending_bulk: list[CustomerFeedback] = []
        self.count = 0
        self.lot = 24000

    def user(self, username):
        return self.people[username].user

    def day(self, days_ago: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days_ago)

    def next_lot(self) -> str:
        self.lot += self.rng.randint(7, 60)
        return f"L{self.lot}"

    def flush(self):
        if self.pending_bulk:
            self.pending_bulk.sort(key=lambda f: f.received_date)
            services.customer_feedback_bulk_record(
                actor=self.user("lucy"), records=self.pending_bulk, targets=self.targets
            )
            self.count += len(self.pending_bulk)
            self.pending_bulk = []

    def survey(self, received: datetime.date, progress: float):
        """A survey response; `progress` 0..1 across the period lifts the mean score slightly."""
        name = self.rng.choice(list(self.customers))
        mean = 7.0 + 1.2 * progress
        score = max(2, min(10, round(self.rng.gauss(mean, 1.2))))
        band = "low" if score <= 5 else "mid" if score <= 7 else "high"
        comment = self.rng.choice(SURVEY_COMMENTS[band])
        product = self.rng.choice(PRODUCTS[name] + [""])
        if score <= 4:
            # A poor score gets a call and a management response, through the lifecycle.
            self.flush()
            self.lifecycle(
                type_=Type.SURVEY_RESPONSE,
                customer=name,
                product=product,
                severity="",
                score=score,
                department="SALES",
                description=f"Survey score {score}/10: {comment}",
                received=received,
                assessment="Low score: James called the customer to understand it.",
                root_cause="",
                response="Agreed a monthly review call with the customer's buyer and a named contact in customer "
                "service.",
                check="Customer confirmed at the next monthly call that the contact arrangement works.",
                responder="james",
                respond_after=5,
                close_after=30,
            )
            return
        age = (self.today - received).days
        feedback = CustomerFeedback(
            type=Type.SURVEY_RESPONSE,
            customer=self.customers[name],
            channel=Channel.SURVEY,
            received_date=received,
            product=product,
            satisfaction_score=score,
            description=f"Survey score {score}/10: {comment}",
            department=self.departments["SALES"],
            owner=self.departments["SALES"].head,
        )
        if age >= 10:
            # Reviewed at the monthly customer feedback review and closed without a management response.
            reviewed = received + datetime.timedelta(days=self.rng.randint(3, 8))
            feedback.status = Status.CLOSED
            feedback.assessment_note = "Reviewed at the monthly customer feedback review."
            feedback.assessed_on = reviewed
            feedback.assessed_by = self.user("lucy")
            feedback.effectiveness_check = "Comments passed to the sales team; no action needed."
            feedback.closed_on = reviewed
            feedback.closed_by = self.user("lucy")
        self.pending_bulk.append(feedback)

    def lifecycle(
        self,
        *,
        type_,
        customer,
        product,
        severity,
        department,
        description,
        received,
        assessment,
        root_cause,
        response,
        check,
        responder,
        respond_after,
        close_after,
        score=None,
        channel=None,
        assess_after=None,
        stop_after=None,
    ):
        """Create feedback and take it through the services as far as `stop_after` ('new', 'assessed', ...)."""
        self.flush()
        feedback = services.customer_feedback_create(
            actor=self.user("lucy"),
            type=type_,
            customer=self.customers[customer],
            channel=channel or self.rng.choice([Channel.EMAIL, Channel.EMAIL, Channel.PHONE, Channel.PORTAL]),
            received_date=received,
            product=product,
            severity=severity,
            satisfaction_score=score,
            description=description,
            department=self.departments[department],
        )
        self.count += 1
        if stop_after == "new":
            return feedback
        assessed_on = received + datetime.timedelta(days=assess_after if assess_after is not None else 1)
        feedback = services.customer_feedback_assess(
            actor=self.user(self.rng.choice(ASSESSORS)),
            feedback=feedback,
            assessment_note=assessment,
            root_cause=root_cause,
            assessed_on=min(assessed_on, self.today),
        )
        if stop_after == "assessed":
            return feedback
        if response:
            feedback = services.customer_feedback_respond(
                actor=self.user(responder),
                feedback=feedback,
                response=response,
                responded_on=min(received + datetime.timedelta(days=respond_after), self.today),
            )
        if stop_after == "responded":
            return feedback
        last = feedback.responded_on or feedback.assessed_on
        return services.customer_feedback_close(
            actor=self.user(self.rng.choice(["priya", "lucy"])),
            feedback=feedback,
            effectiveness_check=check,
            closed_on=min(max(received + datetime.timedelta(days=close_after), last), self.today),
        )

    def scenario(self, received, scenario, **overrides):
        name, product, type_, severity, dept, text, assessment, cause, response, check, rank = scenario
        to_response, to_close = self.targets[severity]
        # Most responses come within target; about one in ten is late.
        late = self.rng.random() < 0.1
        respond_after = to_response + self.rng.randint(1, 4) if late else self.rng.randint(1, to_response)
        close_after = min(to_close, respond_after + self.rng.randint(10, 30))
        kwargs = {
            "type_": type_,
            "customer": name,
            "product": product,
            "severity": severity,
            "department": dept,
            "description": text.format(lot=self.next_lot()),
            "received": received,
            "assessment": assessment,
            "root_cause": cause,
            "response": response,
            "check": check,
            "responder": self.rng.choice(RESPONDERS[rank]),
            "respond_after": respond_after,
            "close_after": max(close_after, respond_after),
            "assess_after": min(1, respond_after),
        }
        kwargs.update(overrides)
        return self.lifecycle(**kwargs)


def seed(people: dict[str, Person]) -> dict[str, int]:
    """Create this area's demo records (idempotent); `people` maps demo usernames to people."""
    today = timezone.localdate()
    rng = random.Random(512)  # a fixed seed keeps the demo the same from one run to the next
    actor = people["priya"].user
    departments = {d.code: d for d in Department.objects.select_related("head__user")}
    created = {"response targets": _seed_targets(actor)}
    customers, created["customers"] = _seed_customers(actor)
    created["customer requirements"] = _seed_requirements(actor, customers, departments, today)
    created["order volumes"] = _seed_order_volumes(actor, today, rng)
    if CustomerFeedback.objects.exists():
        created["customer feedback"] = 0
        return created

    gen = _Feedback(people, customers, departments, today, rng)
    start = _add_months(today.replace(day=1), -(MONTHS - 1))
    # Older feedback (70 days back and more) is all closed; the recent weeks are written by hand below.
    events = []
    for i in range(MONTHS):
        month = _add_months(start, i)
        days_in_month = (_add_months(month, 1) - month).days
        progress = i / (MONTHS - 1)
        for _ in range(rng.randint(6, 9)):
            received = month + datetime.timedelta(days=rng.randint(0, days_in_month - 1))
            if received <= today:
                events.append((received, "survey", progress))
        # Complaints fall slightly over the period as actions take effect.
        for _ in range(rng.randint(3, 5) if progress < 0.5 else rng.randint(2, 4)):
            received = month + datetime.timedelta(days=rng.randint(0, days_in_month - 1))
            if received <= today - datetime.timedelta(days=70):
                events.append((received, "complaint", rng.choice(SCENARIOS)))
    for i, (name, text) in enumerate(COMPLIMENTS):
        events.append((today - datetime.timedelta(days=500 - i * 80), "compliment", (name, text)))
    events.append(
        (
            today - datetime.timedelta(days=150),
            "requirement-change",
            (
                "Meridian Medical Devices",
                "Meridian requires UDI labels on every bag of bone screw blanks from the next quarter.",
            ),
        )
    )
    # The recent weeks, written so that the register shows every state.
    _burrs, late_delivery, packaging, deviation, finish, certificate, transit, _spacer = SCENARIOS[:8]
    recent = [
        # Closed within target last month.
        (40, certificate, {"respond_after": 3, "close_after": 20}),
        # Responded, overdue for closure (medium: 45 days): planted gap.
        (52, transit, {"respond_after": 8, "stop_after": "responded"}),
        # Responded, waiting for the effectiveness check, within target.
        (18, finish, {"respond_after": 6, "stop_after": "responded"}),
        # High complaint received 9 days ago, assessed, no management response (target 5 days): planted gap.
        (9, late_delivery, {"severity": Severity.HIGH, "stop_after": "assessed"}),
        # Assessed and within target.
        (4, packaging, {"stop_after": "assessed"}),
        # Critical complaint received yesterday, not yet assessed.
        (1, deviation, {"stop_after": "new"}),
    ]
    for days_ago, scenario, overrides in recent:
        events.append((today - datetime.timedelta(days=days_ago), "recent", (scenario, overrides)))
    events.sort(key=lambda e: e[0])

    for received, kind, payload in events:
        if kind == "survey":
            gen.survey(received, payload)
        elif kind == "complaint":
            gen.scenario(received, payload)
        elif kind == "recent":
            scenario, overrides = payload
            gen.scenario(received, scenario, **overrides)
        elif kind == "compliment":
            name, text = payload
            gen.lifecycle(
                type_=Type.COMPLIMENT,
                customer=name,
                product="",
                severity="",
                department="SALES",
                description=text,
                received=received,
                assessment="Shared with the team at the monthly quality meeting.",
                root_cause="",
                response="",
                check="Thanked the customer; passed on to the people involved.",
                responder="james",
                respond_after=0,
                close_after=3,
                channel=Channel.EMAIL,
            )
        else:
            name, text = payload
            gen.lifecycle(
                type_=Type.REQUIREMENT_CHANGE,
                customer=name,
                product="titanium bone screw blank",
                severity="",
                department="ENG",
                description=text,
                received=received,
                assessment="Affects labels, packing instruction PI-12 and the ERP label template.",
                root_cause="",
                response="Approved the UDI label printer and the change of PI-12; customer requirement register "
                "updated.",
                check="First UDI-labelled shipment accepted by Meridian's receiving inspection.",
                responder="margaret",
                respond_after=6,
                close_after=40,
                channel=Channel.PORTAL,
            )
    gen.flush()
    created["customer feedback"] = gen.count
    return created
