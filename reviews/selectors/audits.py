"""Reads of internal audits and findings: the pages' querysets and the management review's summary (9.3.2.c.6)."""

import datetime

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Concat, Trim
from django.utils import timezone

from leadership.models import Department
from reviews.models.actions import Action
from reviews.models.audits import AuditFinding, InternalAudit

NONCONFORMITIES = [str(k) for k in AuditFinding.NONCONFORMITIES]
OPEN_ACTION_STATUSES = [str(s) for s in Action.OPEN_STATUSES]


def finding_action_list(*, today: datetime.date | None = None) -> QuerySet[Action]:
    """Actions as a finding shows them: owner loaded, `overdue` when not done and past their due date."""
    today = today or timezone.localdate()
    overdue = ExpressionWrapper(Q(due_date__lt=today) & Q(status__in=OPEN_ACTION_STATUSES), output_field=BooleanField())
    return Action.objects.select_related("owner__user").annotate(overdue=overdue).order_by("reference")


def _actions(today: datetime.date) -> Prefetch:
    return Prefetch("actions", queryset=finding_action_list(today=today))


def _closed_by() -> Subquery:
    """The name of whoever closed a finding, read from its history (the first version with `closed_at`)."""
    name = Trim(Concat("history_user__first_name", Value(" "), "history_user__last_name"))
    versions = AuditFinding.history.model.objects.filter(id=OuterRef("pk"), closed_at__isnull=False)
    return Subquery(versions.order_by("history_date", "history_id").annotate(name=name).values("name")[:1])


def findings_prefetch(*, today: datetime.date | None = None) -> Prefetch:
    """An audit's findings by number, with department, `closed_by_name` and actions, for `prefetch_related`."""
    today = today or timezone.localdate()
    findings = (
        AuditFinding.objects.select_related("department")
        .annotate(closed_by_name=_closed_by())
        .prefetch_related(_actions(today))
    )
    return Prefetch("findings", queryset=findings.order_by("number"))


def _departments() -> Prefetch:
    return Prefetch("departments", queryset=Department.objects.only("id", "name", "code", "head_id").order_by("name"))


def internal_audit_list() -> QuerySet[InternalAudit]:
    """Audits with lead auditor and departments loaded, and their findings counted.

    Annotations: `findings_count`, `open_findings_count`, `nonconformities_count`,
    `open_nonconformities_count`.
    """
    is_open = Q(findings__closed_at__isnull=True)
    is_nc = Q(findings__kind__in=NONCONFORMITIES)
    return (
        InternalAudit.objects.select_related("lead_auditor__user", "lead_auditor__department")
        .prefetch_related(_departments())
        .annotate(
            findings_count=Count("findings"),
            open_findings_count=Count("findings", filter=is_open),
            nonconformities_count=Count("findings", filter=is_nc),
            open_nonconformities_count=Count("findings", filter=is_nc & is_open),
        )
        # Explicit: Meta.ordering is not applied to a query with aggregates.
        .order_by("-planned_date", "-pk")
    )


def internal_audit_get(pk, *, today: datetime.date | None = None) -> InternalAudit:
    """One audit with its scope, and its findings (department) with their actions (owner, `overdue`)."""
    return internal_audit_list().prefetch_related(findings_prefetch(today=today)).get(pk=pk)


def audit_finding_list(*, today: datetime.date | None = None) -> QuerySet[AuditFinding]:
    """Findings of every audit, newest audit first, with audit, department, `closed_by_name` and actions
    (owner, `overdue`)."""
    today = today or timezone.localdate()
    return (
        AuditFinding.objects.select_related("audit", "department")
        .annotate(closed_by_name=_closed_by())
        .prefetch_related(_actions(today))
        .order_by("-audit__planned_date", "-audit_id", "number")
    )


def audit_finding_get(pk) -> AuditFinding:
    """One finding with its audit (and the audit's scope) and department."""
    return AuditFinding.objects.select_related("audit", "department").prefetch_related("audit__departments").get(pk=pk)


def audit_has_open_findings() -> Exists:
    """For filters: whether an audit has a finding that is not closed."""
    return Exists(AuditFinding.objects.filter(audit=OuterRef("pk"), closed_at__isnull=True))


def audit_figures(*, today: datetime.date | None = None) -> dict:
    """Head-line figures for the home dashboard, in three queries.

    Returns {"open_findings", "open_nonconformities", "nonconformities_without_action",
    "overdue_actions", "next_audit": {"id", "reference", "title", "planned_date"} or None}.
    """
    today = today or timezone.localdate()
    is_open_nc = Q(closed_at__isnull=True, kind__in=NONCONFORMITIES)
    has_action = Exists(Action.objects.filter(audit_finding=OuterRef("pk")))
    figures = AuditFinding.objects.aggregate(
        open_findings=Count("id", filter=Q(closed_at__isnull=True)),
        open_nonconformities=Count("id", filter=is_open_nc),
        nonconformities_without_action=Count("id", filter=is_open_nc & ~has_action),
    )
    figures["overdue_actions"] = Action.objects.filter(
        source=Action.Source.AUDIT_FINDING, status__in=OPEN_ACTION_STATUSES, due_date__lt=today
    ).count()
    figures["next_audit"] = (
        InternalAudit.objects.filter(status=InternalAudit.Status.PLANNED)
        .order_by("planned_date", "pk")
        .values("id", "reference", "title", "planned_date")
        .first()
    )
    return figures


# Management review input ---------------------------------------------------------------------


def _action_row(action: Action) -> dict:
    return {
        "id": action.pk,
        "reference": action.reference,
        "title": action.title,
        "owner": action.owner.full_name,
        "due_date": action.due_date.isoformat(),
        "status": action.status,
        "status_label": action.get_status_display(),
        "is_open": action.status in OPEN_ACTION_STATUSES,
        "overdue": bool(action.overdue),
    }


def _finding_row(finding: AuditFinding, *, carried_over: bool) -> dict:
    actions = [_action_row(a) for a in finding.actions.all()]
    audit = finding.audit
    return {
        "id": finding.pk,
        "label": finding.label,
        "audit_id": audit.pk,
        "audit_reference": audit.reference,
        "audit_date": audit.audit_date.isoformat() if audit.audit_date else None,
        "kind": finding.kind,
        "kind_label": finding.get_kind_display(),
        "is_nonconformity": finding.kind in NONCONFORMITIES,
        "department": finding.department.name if finding.department_id else "",
        "clause": finding.clause,
        "description": finding.description,
        "is_open": finding.closed_at is None,
        "closed_on": timezone.localdate(finding.closed_at).isoformat() if finding.closed_at else None,
        "closed_by": finding.closed_by_name or "",
        "carried_over": carried_over,
        "actions": actions,
        "actions_open": sum(1 for a in actions if a["is_open"]),
        "actions_awaiting_verification": sum(1 for a in actions if a["status"] == Action.Status.DONE),
        "actions_verified": sum(1 for a in actions if a["status"] == Action.Status.VERIFIED),
        "actions_overdue": sum(1 for a in actions if a["overdue"]),
    }


def audit_findings_summary(
    *, period_start: datetime.date, period_end: datetime.date, today: datetime.date | None = None
) -> dict:
    """Internal audit results for a management review (9.3.2.c.6) and its nonconformities (9.3.2.c.4).

    Plain, JSON-ready data (dates as ISO strings), so that a management review can freeze it
    as it is. "In the period" means audits completed with an audit date from `period_start` to
    `period_end` inclusive; open and closed are as of now (the moment of compiling). Runs five
    queries, however many audits and findings there are.

    Returns::

        {
          "period_start": "2026-01-01", "period_end": "2026-06-30",
          "programme": {"completed": 2, "cancelled": 0, "planned_not_done": 1},
              # audits planned in the period: completed (any date), cancelled, still planned
          "audits": [{"id", "reference", "title", "audit_date", "lead_auditor", "departments": [names],
                      "processes": [names], "criteria", "summary", "findings": 4}],
              # audits completed in the period, oldest first
          "by_kind": [{"kind": "major", "label": "Major nonconformity", "total": 0, "open": 0, "closed": 0},
                      ...],  # one row per kind in the model's order, findings of the period's audits
          "totals": {"total", "open", "closed", "nonconformities", "open_nonconformities",
                     "carried_over_open"},
          "average_days_to_close": 27.5 or None,
              # from audit date to closure, over the period's findings already closed
          "findings": [{"id", "label" ("IA-2026-001-F1"), "audit_id", "audit_reference", "audit_date",
                        "kind", "kind_label", "is_nonconformity", "department", "clause", "description",
                        "is_open", "closed_on", "closed_by", "carried_over",
                        "actions": [{"id", "reference", "title", "owner", "due_date", "status",
                                     "status_label", "is_open", "overdue"}],
                        "actions_open", "actions_awaiting_verification", "actions_verified",
                        "actions_overdue"}],
              # findings of earlier audits still open at the period's start ("carried_over": true)
              # and the period's findings, by audit date, then number
        }
    """
    if period_end < period_start:
        raise ValueError("period_end is before period_start")
    today = today or timezone.localdate()
    done = InternalAudit.Status.COMPLETED
    planned = InternalAudit.objects.filter(planned_date__range=(period_start, period_end))
    programme = planned.aggregate(
        completed=Count("id", filter=Q(status=done)),
        cancelled=Count("id", filter=Q(status=InternalAudit.Status.CANCELLED)),
        planned_not_done=Count("id", filter=Q(status=InternalAudit.Status.PLANNED)),
    )
    audits = list(
        InternalAudit.objects.filter(status=done, audit_date__range=(period_start, period_end))
        .select_related("lead_auditor__user")
        .prefetch_related(_departments())
        .annotate(findings_count=Count("findings"))
        .order_by("audit_date", "pk")
    )
    start_of_period = timezone.make_aware(datetime.datetime.combine(period_start, datetime.time.min))
    findings = list(
        AuditFinding.objects.filter(audit__status=done)
        .filter(
            Q(audit__audit_date__range=(period_start, period_end))
            | (Q(audit__audit_date__lt=period_start) & (Q(closed_at__isnull=True) | Q(closed_at__gte=start_of_period)))
        )
        .select_related("audit", "department")
        .annotate(closed_by_name=_closed_by())
        .prefetch_related(_actions(today))
        .order_by("audit__audit_date", "audit_id", "number")
    )
    rows = [_finding_row(f, carried_over=f.audit.audit_date < period_start) for f in findings]
    current = [r for r in rows if not r["carried_over"]]
    by_kind = []
    for kind, label in AuditFinding.Kind.choices:
        of_kind = [r for r in current if r["kind"] == kind]
        opened = sum(1 for r in of_kind if r["is_open"])
        by_kind.append(
            {"kind": kind, "label": label, "total": len(of_kind), "open": opened, "closed": len(of_kind) - opened}
        )
    nonconformities = [r for r in current if r["is_nonconformity"]]
    days = [
        (datetime.date.fromisoformat(r["closed_on"]) - datetime.date.fromisoformat(r["audit_date"])).days
        for r in current
        if r["closed_on"]
    ]
    return {
        "period_start": period_start.isoformat(),
        "period_end": period_end.isoformat(),
        "programme": programme,
        "audits": [
            {
                "id": a.pk,
                "reference": a.reference,
                "title": a.title,
                "audit_date": a.audit_date.isoformat(),
                "lead_auditor": a.lead_auditor.full_name,
                "departments": [d.name for d in a.departments.all()],
                "processes": a.processes.splitlines(),
                "criteria": a.criteria,
                "summary": a.summary,
                "findings": a.findings_count,
            }
            for a in audits
        ],
        "by_kind": by_kind,
        "totals": {
            "total": len(current),
            "open": sum(1 for r in current if r["is_open"]),
            "closed": sum(1 for r in current if not r["is_open"]),
            "nonconformities": len(nonconformities),
            "open_nonconformities": sum(1 for r in nonconformities if r["is_open"]),
            "carried_over_open": sum(1 for r in rows if r["carried_over"] and r["is_open"]),
        },
        "average_days_to_close": round(sum(days) / len(days), 1) if days else None,
        "findings": rows,
    }
