"""Services of internal audits and their findings (9.2, results as management review input 9.3.2.c.6).

An audit is planned with its scope (departments and/or processes), criteria, date and lead
auditor, who must not come from an audited department (9.2.2.c). Findings are numbered F1, F2, ...
per audit and recorded while it is carried out or once it is completed. Follow-up goes through the
single action register; a finding closes only when every action from it was verified effective,
and a nonconformity never closes without at least one. Completing an audit reports its results to
the heads of the audited departments (9.2.2.d).
"""

import datetime
import re
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from leadership.models import Department, Person
from qms import outbox
from qms.exceptions import ApplicationError
from qms.notifications import notify_once
from qms.references import save_with_reference
from reviews.models.actions import Action
from reviews.models.audits import AuditFinding, InternalAudit
from reviews.services.actions import action_create

REFERENCE_PREFIX = "IA"
ADD_AUDIT = "reviews.add_internalaudit"
CHANGE_AUDIT = "reviews.change_internalaudit"
ADD_FINDING = "reviews.add_auditfinding"
CHANGE_FINDING = "reviews.change_auditfinding"
ADD_ACTION = "reviews.add_action"

INTERNAL_AUDIT_EDITABLE = ("title", "departments", "processes", "criteria", "planned_date", "lead_auditor")
AUDIT_FINDING_EDITABLE = ("kind", "department", "clause", "description", "evidence")

# An ISO 9001 clause: main clause 4 to 10, up to three further numbers, then an optional list
# letter and item number, e.g. 8.5.1, 9.3.2.c or 9.3.2.c.6.
CLAUSE_RE = re.compile(r"^(?:[4-9]|10)(?:\.[1-9]\d?){0,3}(?:\.[a-z](?:\.[1-9]\d?)?)?$")

# Default priority of an action from a finding, by the finding's kind.
ACTION_PRIORITY = {
    AuditFinding.Kind.MAJOR: Action.Priority.HIGH,
    AuditFinding.Kind.MINOR: Action.Priority.MEDIUM,
    AuditFinding.Kind.OBSERVATION: Action.Priority.LOW,
    AuditFinding.Kind.OPPORTUNITY: Action.Priority.LOW,
}


def _check(actor, *permissions: str, message: str) -> None:
    """Refuse an actor who lacks a permission; `actor=None` is the system (demo data, tasks)."""
    if actor is not None and not actor.has_perms(permissions):
        raise PermissionDenied(message)


def _lines(value: str | Iterable[str] | None) -> str:
    """Processes as stored: one per line, trimmed, blank lines and repeats dropped."""
    items = value.splitlines() if isinstance(value, str) else list(value or ())
    kept: dict[str, str] = {}
    for item in items:
        item = " ".join(str(item).split())
        if item:
            kept.setdefault(item.lower(), item)
    return "\n".join(kept.values())


def _full_clean(instance, **kwargs) -> dict[str, list[str]]:
    try:
        instance.full_clean(**kwargs)
    except ValidationError as exc:
        return exc.message_dict
    return {}


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _check_audit(audit: InternalAudit, departments: list[Department]) -> None:
    """Field rules and the rules that need the scope: not empty, criteria given, an independent lead auditor."""
    errors = _full_clean(audit, exclude=["reference"])
    if not departments and not audit.processes:
        errors.setdefault("departments", []).append(
            "The scope is empty: choose at least one department or list at least one process to audit."
        )
    inactive = [d.name for d in departments if not d.is_active]
    if inactive:
        errors.setdefault("departments", []).append(f"No longer active, so cannot be audited: {', '.join(inactive)}.")
    if not (audit.criteria or "").strip() and "criteria" not in errors:
        errors["criteria"] = [
            "State the audit criteria, e.g. “ISO 9001:2015 clauses 5, 6.2 and 9.3; procedure QP-09” (9.2.2.b)."
        ]
    auditor = audit.lead_auditor if audit.lead_auditor_id else None
    if auditor is not None and "lead_auditor" not in errors:
        if not auditor.user.is_active:
            errors["lead_auditor"] = [f"{auditor} can no longer sign in; choose an active person."]
        else:
            own = [d.name for d in departments if d.pk == auditor.department_id or d.head_id == auditor.pk]
            if own:
                errors["lead_auditor"] = [
                    f"{auditor} belongs to or heads {', '.join(own)}, which this audit covers: auditors do not "
                    "audit their own work (9.2.2.c). Choose a lead auditor from outside the audited departments."
                ]
    _raise(errors)


def _set_departments(audit: InternalAudit, actor, departments: list[Department]) -> None:
    wanted = {d.pk for d in departments}
    # set() with the same members would still write a history entry for nothing.
    if wanted != set(audit.departments.values_list("pk", flat=True)):
        audit._history_user = actor
        audit.departments.set(wanted)


def _locked_audit(audit: InternalAudit) -> InternalAudit:
    return InternalAudit.objects.select_for_update(of=("self",)).select_related("lead_auditor__user").get(pk=audit.pk)


def _check_clause(clause: str, errors: dict) -> None:
    if clause and not CLAUSE_RE.match(clause):
        errors.setdefault("clause", []).append(
            f"“{clause}” is not an ISO 9001 clause number: write it like 9.3.2 or 5.1.1 "
            "(clauses 4 to 10, optionally with a list letter, e.g. 9.3.2.c)."
        )


# Audits --------------------------------------------------------------------------------------


@transaction.atomic
def internal_audit_plan(
    *,
    actor,
    title: str,
    planned_date: datetime.date,
    lead_auditor: Person,
    criteria: str,
    departments: Iterable[Department] = (),
    processes: str | Iterable[str] = "",
) -> InternalAudit:
    """Plan an internal audit under the next IA reference of the year.

    The scope is departments, processes (one per line) or both, and must not be empty. The lead
    auditor must not belong to, or head, an audited department (impartiality, 9.2.2.c).
    """
    _check(actor, ADD_AUDIT, message="Your role cannot plan internal audits.")
    departments = list(departments or ())
    audit = InternalAudit(
        title=(title or "").strip(),
        processes=_lines(processes),
        criteria=(criteria or "").strip(),
        planned_date=planned_date,
        lead_auditor=lead_auditor,
        status=InternalAudit.Status.PLANNED,
    )
    _check_audit(audit, departments)
    save_with_reference(audit, actor, REFERENCE_PREFIX)
    _set_departments(audit, actor, departments)
    return audit


@transaction.atomic
def internal_audit_update(*, actor, audit: InternalAudit, **changes) -> InternalAudit:
    """Change a planned audit's title, scope, criteria, date or lead auditor.

    A completed or cancelled audit is a record of what happened and is not edited. A department
    that a finding was recorded against stays in the scope.
    """
    _check(actor, CHANGE_AUDIT, message="Your role cannot change internal audits.")
    audit = _locked_audit(audit)
    if audit.status != InternalAudit.Status.PLANNED:
        raise ApplicationError(
            f"{audit.reference} is {audit.get_status_display().lower()}: it can no longer be edited."
        )
    departments = list(audit.departments.all())
    for name, value in changes.items():
        if name not in INTERNAL_AUDIT_EDITABLE:
            raise ValueError(f"{name} cannot be changed through internal_audit_update")
        if name == "departments":
            departments = list(value or ())
        elif name == "processes":
            audit.processes = _lines(value)
        else:
            setattr(audit, name, value.strip() if isinstance(value, str) else value)
    _check_audit(audit, departments)
    if departments:
        in_scope = {d.pk for d in departments}
        stranded = audit.findings.exclude(department__isnull=True).exclude(department__in=in_scope)
        labels = [f"F{f.number} ({f.department})" for f in stranded.select_related("department")]
        if labels:
            raise ValidationError(
                {
                    "departments": f"Findings are recorded against departments you removed: {', '.join(labels)}. "
                    "Keep those departments in scope, or change the findings first."
                }
            )
    audit._history_user = actor
    audit.save()
    _set_departments(audit, actor, departments)
    return audit


@transaction.atomic
def internal_audit_complete(
    *, actor, audit: InternalAudit, audit_date: datetime.date, summary: str, today: datetime.date | None = None
) -> InternalAudit:
    """Record that the audit was carried out on `audit_date`, with its overall conclusion.

    The heads of the audited departments are told after commit: audit results are reported to
    the relevant management (9.2.2.d).
    """
    _check(actor, CHANGE_AUDIT, message="Your role cannot complete internal audits.")
    today = today or timezone.localdate()
    audit = _locked_audit(audit)
    if audit.status != InternalAudit.Status.PLANNED:
        raise ApplicationError(f"{audit.reference} is already {audit.get_status_display().lower()}.")
    errors = {}
    if not isinstance(audit_date, datetime.date):
        errors["audit_date"] = ["Give the date the audit was carried out."]
    elif audit_date > today:
        errors["audit_date"] = [
            f"{audit_date:%d %b %Y} is in the future: an audit is completed once it has been carried out."
        ]
    summary = (summary or "").strip()
    if not summary:
        errors["summary"] = ["Write the audit's overall conclusion: what was audited, how it went, what was found."]
    _raise(errors)
    audit.audit_date = audit_date
    audit.summary = summary
    audit.status = InternalAudit.Status.COMPLETED
    _raise(_full_clean(audit, exclude=["reference"]))
    audit._history_user = actor
    audit.save()
    from reviews.tasks.audits import internal_audit_notify_completed_task

    outbox.enqueue(internal_audit_notify_completed_task, audit.pk)
    return audit


@transaction.atomic
def internal_audit_cancel(*, actor, audit: InternalAudit, reason: str) -> InternalAudit:
    """Cancel a planned audit, with the reason kept as its summary.

    An audit that already has findings was (at least partly) carried out: it is completed, not
    cancelled, so that its findings stay with a conclusion.
    """
    _check(actor, CHANGE_AUDIT, message="Your role cannot cancel internal audits.")
    audit = _locked_audit(audit)
    if audit.status != InternalAudit.Status.PLANNED:
        raise ApplicationError(f"{audit.reference} is already {audit.get_status_display().lower()}.")
    numbers = [f"F{n}" for n in audit.findings.values_list("number", flat=True)]
    if numbers:
        raise ApplicationError(
            f"{audit.reference} already has findings ({', '.join(numbers)}): complete it with a summary instead "
            "of cancelling it."
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the audit is cancelled, e.g. “moved to Q3: auditee on leave”."})
    audit.status = InternalAudit.Status.CANCELLED
    audit.summary = f"Cancelled: {reason}"
    _raise(_full_clean(audit, exclude=["reference"]))
    audit._history_user = actor
    audit.save()
    return audit


def internal_audit_notify_completed(*, audit_id: int) -> int:
    """Send the audit's results to the heads of the audited departments; returns messages sent.

    Once per head and audit however often it runs (notify_once's unique constraint). Heads who
    led the audit themselves, or can no longer sign in, are skipped.
    """
    audit = (
        InternalAudit.objects.filter(pk=audit_id, status=InternalAudit.Status.COMPLETED)
        .select_related("lead_auditor")
        .prefetch_related("departments__head__user")
        .first()
    )
    if audit is None:
        return 0
    findings = list(audit.findings.select_related("department"))
    sent = 0
    for department in audit.departments.all():
        head = department.head
        if head is None or not head.user.is_active or head.pk == audit.lead_auditor_id:
            continue
        own = [f for f in findings if f.department_id == department.pk]
        counts = ", ".join(
            f"{sum(1 for f in own if f.kind == kind)} {label.lower()}"
            for kind, label in AuditFinding.Kind.choices
            if any(f.kind == kind for f in own)
        )
        sent += notify_once(
            recipient=head.user,
            kind="internal-audit-completed",
            subject_key=f"reviews.internalaudit:{audit.pk}",
            period=f"department-{department.pk}",
            title=f"Internal audit {audit.reference} of {department.name} completed",
            body=(
                f"{audit.title}, carried out on {audit.audit_date:%d %b %Y} by {audit.lead_auditor}. "
                f"Findings for {department.name}: {counts or 'none'}.\n\n{audit.summary}"
            ),
            url=settings.BASE_URL + audit.get_absolute_url(),
        )
    return sent


# Findings ------------------------------------------------------------------------------------


def _check_finding(finding: AuditFinding, scope: list[Department]) -> None:
    errors = _full_clean(finding, exclude=["audit", "number"])
    if not (finding.description or "").strip():
        errors["description"] = ["Describe what was found and against which requirement."]
    _check_clause(finding.clause, errors)
    department = finding.department if finding.department_id else None
    if department is not None and "department" not in errors:
        if scope and department.pk not in {d.pk for d in scope}:
            names = ", ".join(d.name for d in scope)
            errors["department"] = [f"{department} is not in this audit's scope ({names}); choose one of those."]
        elif not scope and not department.is_active:
            errors["department"] = [f"{department} is no longer active."]
    _raise(errors)


@transaction.atomic
def audit_finding_add(
    *,
    actor,
    audit: InternalAudit,
    kind: str,
    description: str,
    department: Department | None = None,
    clause: str = "",
    evidence: str = "",
) -> AuditFinding:
    """Record a finding of the audit under the next number (F1, F2, ...).

    Allowed while the audit is planned (findings written during it) or completed; a finding's
    department must be in scope when the scope lists departments.
    """
    _check(actor, ADD_FINDING, message="Your role cannot record audit findings.")
    audit = _locked_audit(audit)
    if audit.status == InternalAudit.Status.CANCELLED:
        raise ApplicationError(f"{audit.reference} was cancelled: it takes no findings.")
    finding = AuditFinding(
        audit=audit,
        kind=kind,
        department=department,
        clause=(clause or "").strip(),
        description=(description or "").strip(),
        evidence=(evidence or "").strip(),
    )
    _check_finding(finding, list(audit.departments.all()))
    # The audit row is locked, so two findings recorded at once cannot take the same number.
    finding.number = (audit.findings.aggregate(n=Max("number"))["n"] or 0) + 1
    _raise(_full_clean(finding))
    finding._history_user = actor
    finding.save()
    return finding


def _locked_finding(finding: AuditFinding) -> AuditFinding:
    return AuditFinding.objects.select_for_update(of=("self",)).select_related("audit", "department").get(pk=finding.pk)


@transaction.atomic
def audit_finding_update(*, actor, finding: AuditFinding, **changes) -> AuditFinding:
    """Correct a finding's kind, department, clause, description or evidence while it is open."""
    _check(actor, CHANGE_FINDING, message="Your role cannot change audit findings.")
    finding = _locked_finding(finding)
    if finding.closed_at is not None:
        raise ApplicationError(f"{finding.label} is closed: it is kept as it was closed.")
    for name, value in changes.items():
        if name not in AUDIT_FINDING_EDITABLE:
            raise ValueError(f"{name} cannot be changed through audit_finding_update")
        setattr(finding, name, value.strip() if isinstance(value, str) else value)
    _check_finding(finding, list(finding.audit.departments.all()))
    finding._history_user = actor
    finding.save()
    return finding


@transaction.atomic
def audit_finding_close(*, actor, finding: AuditFinding) -> AuditFinding:
    """Close a finding of a completed audit.

    Refused while any action from it is not verified effective (the open ones are named), and
    for a nonconformity without at least one verified action: a nonconformity is closed by a
    corrective action that worked (10.2.1).
    """
    _check(actor, CHANGE_FINDING, message="Your role cannot close audit findings.")
    finding = _locked_finding(finding)
    if finding.closed_at is not None:
        raise ApplicationError(f"{finding.label} is already closed.")
    if finding.audit.status != InternalAudit.Status.COMPLETED:
        raise ApplicationError(
            f"{finding.audit.reference} is not completed yet: findings are closed after the audit is completed."
        )
    actions = list(finding.actions.order_by("reference"))
    open_actions = [a for a in actions if a.status != Action.Status.VERIFIED]
    if open_actions:
        listed = ", ".join(f"{a.reference} ({a.get_status_display().lower()})" for a in open_actions)
        raise ApplicationError(
            f"{finding.label} has actions not yet verified effective: {listed}.",
            extra={"open_actions": [a.reference for a in open_actions]},
        )
    if finding.kind in AuditFinding.NONCONFORMITIES and not actions:
        raise ApplicationError(
            f"{finding.label} is a {finding.get_kind_display().lower()}: it closes only once a corrective action "
            "has been verified effective. Add an action first."
        )
    finding.closed_at = timezone.now()
    _raise(_full_clean(finding))
    finding._history_user = actor
    finding.save(update_fields=["closed_at", "updated_at"])
    return finding


@transaction.atomic
def audit_finding_add_action(
    *,
    actor,
    finding: AuditFinding,
    title: str,
    owner: Person,
    due_date: datetime.date,
    description: str = "",
    priority: str | None = None,
    department: Department | None = None,
) -> Action:
    """Open an action in the register to follow up an open finding (correction, corrective action, improvement).

    The priority defaults from the finding's kind (a major nonconformity is high) and the
    department from the finding, else the owner's.
    """
    _check(actor, CHANGE_FINDING, ADD_ACTION, message="Your role cannot add actions to audit findings.")
    finding = _locked_finding(finding)
    if finding.closed_at is not None:
        raise ApplicationError(f"{finding.label} is closed: open a new finding if follow-up is needed.")
    if finding.audit.status == InternalAudit.Status.CANCELLED:
        raise ApplicationError(f"{finding.audit.reference} was cancelled.")
    return action_create(
        actor=actor,
        source=Action.Source.AUDIT_FINDING,
        source_record=finding,
        title=title,
        owner=owner,
        due_date=due_date,
        description=description,
        priority=priority or ACTION_PRIORITY[finding.kind],
        department=department or finding.department,
    )
