"""The demo organisation: a small manufacturer of precision machined parts.

Built through the services, so the demo data obeys every rule real data does.
Idempotent: records that already exist (by code or username) are left as they are.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from leadership.models import Department, Person
from leadership.roles import Role
from leadership.services import people as services

DEMO_PASSWORD = "clause5-demo"

DEPARTMENTS = [
    # code, name, parent code, description
    (
        "EXEC",
        "Executive Office",
        None,
        "Sets strategy, approves the quality policy and resources, chairs management reviews.",
    ),
    (
        "QA",
        "Quality Assurance",
        "EXEC",
        "Runs the quality management system, inspection and the internal audit programme.",
    ),
    ("PROD", "Production", "EXEC", "CNC machining, finishing and assembly on two shifts."),
    ("ENG", "Engineering", "EXEC", "Product and process design, tooling, new product introduction."),
    (
        "SALES",
        "Sales & Customer Service",
        "EXEC",
        "Quotations, orders, customer contact and complaint intake.",
    ),
    ("SUPPLY", "Supply Chain", "EXEC", "Purchasing, supplier approval, goods in and logistics."),
]

PEOPLE = [
    # username, first, last, job title, department, manager username, roles
    ("margaret", "Margaret", "Ellison", "Managing Director", "EXEC", None, [Role.TOP_MANAGEMENT]),
    ("david", "David", "Okafor", "Operations Director", "EXEC", "margaret", [Role.TOP_MANAGEMENT]),
    (
        "priya",
        "Priya",
        "Raman",
        "Quality Manager",
        "QA",
        "margaret",
        [Role.MANAGEMENT_REPRESENTATIVE, Role.DEPARTMENT_MANAGER],
    ),
    ("tom", "Tom", "Hargreaves", "Production Manager", "PROD", "david", [Role.DEPARTMENT_MANAGER]),
    ("elena", "Elena", "Novak", "Engineering Manager", "ENG", "david", [Role.DEPARTMENT_MANAGER]),
    (
        "james",
        "James",
        "Whitfield",
        "Sales & Customer Service Manager",
        "SALES",
        "margaret",
        [Role.DEPARTMENT_MANAGER],
    ),
    ("aisha", "Aisha", "Khan", "Supply Chain Manager", "SUPPLY", "david", [Role.DEPARTMENT_MANAGER]),
    ("lucy", "Lucy", "Chen", "Quality Engineer", "QA", "priya", [Role.QA_STAFF]),
    ("marek", "Marek", "Kowalski", "Senior Quality Inspector", "QA", "priya", [Role.QA_STAFF]),
    ("sophie", "Sophie", "Turner", "Customer Service Coordinator", "SALES", "james", [Role.EMPLOYEE]),
    ("daniel", "Daniel", "Price", "CNC Machinist", "PROD", "grace", [Role.EMPLOYEE]),
    ("grace", "Grace", "Adeyemi", "Production Team Leader", "PROD", "tom", [Role.EMPLOYEE]),
    ("oliver", "Oliver", "Bennett", "Design Engineer", "ENG", "elena", [Role.EMPLOYEE]),
    ("hannah", "Hannah", "Fischer", "Buyer", "SUPPLY", "aisha", [Role.EMPLOYEE]),
    ("robert", "Robert", "Lang", "Internal Auditor", "EXEC", "margaret", [Role.AUDITOR, Role.EMPLOYEE]),
    (
        "claire",
        "Claire",
        "Dubois",
        "Lead Auditor, Meridian Certification (external)",
        None,
        None,
        [Role.AUDITOR],
    ),
]

HEADS = {
    "EXEC": "margaret",
    "QA": "priya",
    "PROD": "tom",
    "ENG": "elena",
    "SALES": "james",
    "SUPPLY": "aisha",
}


@transaction.atomic
def seed_organisation() -> dict:
    """Create the departments, people and an administrator; return what was created."""
    created = {"departments": 0, "people": 0}
    departments = {d.code: d for d in Department.objects.all()}
    for code, name, parent_code, description in DEPARTMENTS:
        if code.lower() in {c.lower() for c in departments}:
            continue
        departments[code] = services.department_create(
            actor=None, name=name, code=code, parent=departments.get(parent_code), description=description
        )
        created["departments"] += 1

    people = {p.user.username: p for p in Person.objects.select_related("user")}
    # Managers first, so that each person's manager exists when they are created.
    pending = [row for row in PEOPLE if row[0] not in people]
    while pending:
        row = next(r for r in pending if r[5] is None or r[5] in people)
        username, first, last, title, dept, manager, roles = row
        people[username] = services.person_create(
            actor=None,
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@northbridge-precision.example",
            job_title=title,
            department=departments.get(dept) if dept else None,
            manager=people.get(manager) if manager else None,
            roles=[r.value for r in roles],
            password=DEMO_PASSWORD,
        )
        created["people"] += 1
        pending.remove(row)

    for code, username in HEADS.items():
        department = departments[code]
        if department.head_id is None:
            services.department_update(actor=None, department=department, head=people[username])

    User = get_user_model()
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@northbridge-precision.example", DEMO_PASSWORD)
    return created


def people_by_username() -> dict[str, Person]:
    return {p.user.username: p for p in Person.objects.select_related("user", "department")}


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, name and job title, roles) of every demo login, for printing."""
    rows = [
        (username, f"{first} {last}, {title}", " + ".join(r.value for r in roles))
        for username, first, last, title, _d, _m, roles in PEOPLE
    ]
    rows.append(("admin", "Administrator (Django admin)", "superuser"))
    return [(u, f"{who} · password {DEMO_PASSWORD}", roles) for u, who, roles in rows]
