"""Demo internal audits of Northbridge Precision Components (9.2, input 9.3.2.c.6 to management review).

One audit of clauses 5, 6.2 and 9.3 in Production and Sales, carried out about four months ago
by Robert Lang, the internal auditor (Executive Office, so independent of both): two minor
nonconformities (one closed with its action verified effective, one whose action is open and
due in a few days), an observation, and an opportunity for improvement whose action is in
progress. A second audit, of purchasing and external providers, is planned for next quarter.
Built through the services; dates are relative to today. Idempotent: an audit whose title
exists is left as it is.
"""

import datetime

from django.utils import timezone

from leadership.models import Department
from reviews.models.audits import AuditFinding, InternalAudit
from reviews.services import actions as action_services
from reviews.services import audits as services

K = AuditFinding.Kind

COMPLETED_AUDIT = {
    "title": "Leadership, quality objectives and management review follow-up",
    "departments": ["PROD", "SALES"],
    "processes": [
        "Quality objectives: deployment and monitoring",
        "Management review follow-up",
        "Customer complaint handling",
    ],
    "criteria": "ISO 9001:2015 clauses 5.1, 5.3, 6.2 and 9.3; QP-02 Management review; QP-07 Customer complaints",
    "lead_auditor": "robert",
    "days_ago": 122,
    "summary": (
        "Interviewed Tom Hargreaves, Grace Adeyemi and two machinists on each shift in Production, James "
        "Whitfield and Sophie Turner in Sales. Sampled ten complaints from the last quarter, the shift boards "
        "of cells 1 to 4 and the minutes and actions of the last management review.\n"
        "The quality policy is displayed and known; departmental objectives exist, are measured monthly and "
        "were reviewed by top management. Two minor nonconformities: objectives not communicated to the night "
        "shift, and complaint response targets not monitored in Sales. One observation and one opportunity for "
        "improvement. No major nonconformity; the system is effective in the areas audited."
    ),
}

# kind, department, clause, description, evidence, action or None:
# (title, description, owner, due in days from today, state, completion note, verification note)
FINDINGS = [
    (
        K.MINOR,
        "PROD",
        "6.2.1",
        "Departmental objectives OBJ-PROD-1 (scrap) and OBJ-PROD-2 (first-pass yield) are not communicated to "
        "the night shift: the boards at cells 3 and 4 still show last year's targets, and two of the four "
        "night-shift machinists interviewed could not say what the targets are.",
        "Shift boards of cells 3 and 4 photographed on the audit day; interviews with four night-shift machinists.",
        (
            "Put the current objectives on every shift board and brief both shifts",
            "Cause: boards are updated by the day-shift team leader only. Correction: new boards; corrective "
            "action: board update added to the monthly objectives review checklist for both team leaders.",
            "tom",
            -92,
            "verified",
            "New boards on cells 1 to 4 with OBJ-PROD-1 and OBJ-PROD-2 and last month's results; briefings held "
            "on both shifts, attendance lists filed; the monthly checklist now includes the board update.",
            "Checked the boards on all four cells on day and night shift: current targets and results shown. "
            "Four of four operators asked stated the targets. Effective.",
        ),
    ),
    (
        K.MINOR,
        "SALES",
        "5.1.2",
        "Response targets for customer complaints are not monitored: 3 of the 10 complaints sampled from the "
        "last quarter (two from Halden Automotive, one from Aerotec Systems) got their first answer after the "
        "5-working-day target, with no escalation to management as QP-07 requires.",
        "Customer feedback register extract for the quarter; QP-07 revision 4, section 5.3.",
        (
            "Weekly complaint ageing review with escalation to the Operations Director",
            "Cause: nobody looks at complaint ageing between monthly reviews. Action: a weekly ageing review by "
            "the customer service coordinator; complaints at day 4 without an answer go to David Okafor.",
            "james",
            6,
            "open",
            "",
            "",
        ),
    ),
    (
        K.OBSERVATION,
        "PROD",
        "5.3",
        "The responsibility matrix posted in the machine shop still names the previous production team leader "
        "as deputy for the release of first-off parts; the record in Clause5 is correct.",
        "Notice board at the machine shop entrance, revision dated two years ago.",
        None,
    ),
    (
        K.OPPORTUNITY,
        "SALES",
        "9.1.2",
        "Customer survey scores and on-time delivery are reported separately. Showing both per customer on the "
        "Sales dashboard would make the link visible at the monthly review (Halden's low score follows its "
        "late deliveries).",
        "",
        (
            "Combined per-customer view of survey scores and on-time delivery",
            "Add a per-customer panel with the last four survey scores beside the monthly on-time delivery.",
            "sophie",
            40,
            "in-progress",
            "",
            "",
        ),
    ),
]

PLANNED_AUDIT = {
    "title": "Purchasing and control of external providers",
    "departments": ["SUPPLY"],
    "processes": ["Supplier approval and re-evaluation", "Purchasing", "Goods-in inspection"],
    "criteria": "ISO 9001:2015 clause 8.4; QP-11 Supplier approval; customer flow-down requirements (Aerotec Systems)",
    "lead_auditor": "lucy",
}


def _next_quarter_date(today: datetime.date) -> datetime.date:
    """Three weeks into the next calendar quarter."""
    quarter_month = (today.month - 1) // 3 * 3 + 4
    year = today.year + (quarter_month > 12)
    return datetime.date(year, (quarter_month - 1) % 12 + 1, 1) + datetime.timedelta(days=20)


def _run_action(action, state: str, completion_note: str, verification_note: str, staff) -> None:
    """Move a new action to `state` through the action register's services, as its owner and a verifier would."""
    owner = action.owner.user
    if state in ("in-progress", "verified"):
        action = action_services.action_start(actor=owner, action=action)
    if state == "verified":
        action = action_services.action_complete(actor=owner, action=action, completion_note=completion_note)
        action_services.action_verify(actor=staff["priya"].user, action=action, effective=True, note=verification_note)


def _seed_completed(staff, departments, today) -> dict[str, int]:
    spec = COMPLETED_AUDIT
    actor = staff["priya"].user
    audit_date = today - datetime.timedelta(days=spec["days_ago"])
    audit = services.internal_audit_plan(
        actor=actor,
        title=spec["title"],
        planned_date=audit_date,
        lead_auditor=staff[spec["lead_auditor"]],
        criteria=spec["criteria"],
        departments=[departments[code] for code in spec["departments"]],
        processes=spec["processes"],
    )
    # Findings are written during the audit, then the audit is completed with its conclusion.
    findings = [
        (
            services.audit_finding_add(
                actor=actor,
                audit=audit,
                kind=kind,
                department=departments[code],
                clause=clause,
                description=description,
                evidence=evidence,
            ),
            action,
        )
        for kind, code, clause, description, evidence, action in FINDINGS
    ]
    services.internal_audit_complete(actor=actor, audit=audit, audit_date=audit_date, summary=spec["summary"])
    actions = 0
    for finding, spec_action in findings:
        if spec_action is None:
            continue
        title, description, owner, due_in, state, completion_note, verification_note = spec_action
        action = services.audit_finding_add_action(
            actor=actor,
            finding=finding,
            title=title,
            description=description,
            owner=staff[owner],
            due_date=today + datetime.timedelta(days=due_in),
        )
        _run_action(action, state, completion_note, verification_note, staff)
        actions += 1
        if state == "verified":
            services.audit_finding_close(actor=actor, finding=finding)
    return {"internal_audits": 1, "audit_findings": len(findings), "audit_actions": actions}


def _seed_planned(staff, departments, today) -> dict[str, int]:
    spec = PLANNED_AUDIT
    services.internal_audit_plan(
        actor=staff["priya"].user,
        title=spec["title"],
        planned_date=_next_quarter_date(today),
        lead_auditor=staff[spec["lead_auditor"]],
        criteria=spec["criteria"],
        departments=[departments[code] for code in spec["departments"]],
        processes=spec["processes"],
    )
    return {"internal_audits": 1}


def seed(staff) -> dict[str, int]:
    """Create the demo audits that do not exist yet; return how many audits, findings and actions were added."""
    created = {"internal_audits": 0, "audit_findings": 0, "audit_actions": 0}
    today = timezone.localdate()
    departments = {d.code: d for d in Department.objects.all()}
    existing = set(InternalAudit.objects.values_list("title", flat=True))
    for spec, build in ((COMPLETED_AUDIT, _seed_completed), (PLANNED_AUDIT, _seed_planned)):
        if spec["title"] in existing:
            continue
        for key, count in build(staff, departments, today).items():
            created[key] += count
    return created
