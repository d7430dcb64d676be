"""Services of internal audits and findings: planning, scope and independence, lifecycle, findings, closure."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from qms.exceptions import ApplicationError
from qms.models import Notification
from reviews.models.actions import Action
from reviews.models.audits import AuditFinding, InternalAudit
from reviews.services import audits as services
from tests.leadership.factories import DepartmentFactory, PersonFactory
from tests.reviews.factories_audits import (
    CompletedAuditFactory,
    FindingActionFactory,
    ScopedAuditFactory,
    finding_in,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def plan(actor, **overrides) -> InternalAudit:
    kwargs = {
        "title": "Leadership and objectives in Production",
        "planned_date": TODAY + datetime.timedelta(days=20),
        "lead_auditor": PersonFactory(),
        "criteria": "ISO 9001:2015 clauses 5.1, 6.2 and 9.3",
        "departments": [DepartmentFactory()],
        "processes": "",
        **overrides,
    }
    return services.internal_audit_plan(actor=actor, **kwargs)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# Planning ----------------------------------------------------------------------------------------


def test_planning_allocates_the_yearly_reference_and_records_scope_and_actor(mgmt_rep):
    production, sales = DepartmentFactory(name="Production"), DepartmentFactory(name="Sales")

    audit = plan(
        mgmt_rep,
        departments=[production, sales],
        processes="  Management review follow-up \n\nComplaint handling\ncomplaint   handling\n",
    )

    assert audit.reference == "IA-2026-001"
    assert audit.status == InternalAudit.Status.PLANNED
    assert set(audit.departments.all()) == {production, sales}
    # Lines trimmed, blanks and repeats (whatever their case and spacing) dropped.
    assert audit.processes == "Management review follow-up\nComplaint handling"
    assert audit.history.earliest().history_user == mgmt_rep
    assert plan(mgmt_rep).reference == "IA-2026-002"


def test_an_audit_of_processes_only_needs_no_department(qa):
    audit = plan(qa, departments=[], processes=["Purchasing", "Supplier approval"])

    assert audit.departments.count() == 0
    assert audit.processes.splitlines() == ["Purchasing", "Supplier approval"]


def test_an_empty_scope_is_refused_and_nothing_is_saved(mgmt_rep):
    with pytest.raises(ValidationError) as excinfo:
        plan(mgmt_rep, departments=[], processes=" \n ")

    assert "choose at least one department or list at least one process" in errors_of(excinfo)["departments"][0]
    assert not InternalAudit.objects.exists()


def test_criteria_are_required(mgmt_rep):
    with pytest.raises(ValidationError) as excinfo:
        plan(mgmt_rep, criteria="  ")

    assert "9.2.2.b" in errors_of(excinfo)["criteria"][0]


def test_the_lead_auditor_cannot_audit_their_own_department(mgmt_rep):
    production = DepartmentFactory(name="Production")
    machinist = PersonFactory(department=production)

    with pytest.raises(ValidationError) as excinfo:
        plan(mgmt_rep, departments=[production], lead_auditor=machinist)

    message = errors_of(excinfo)["lead_auditor"][0]
    assert "belongs to or heads Production" in message
    assert "9.2.2.c" in message
    assert not InternalAudit.objects.exists()


def test_the_head_of_an_audited_department_cannot_lead_its_audit_either(mgmt_rep):
    manager = PersonFactory()
    production = DepartmentFactory(name="Production", head=manager)

    with pytest.raises(ValidationError) as excinfo:
        plan(mgmt_rep, departments=[production], lead_auditor=manager)

    assert "lead_auditor" in errors_of(excinfo)


def test_an_inactive_department_or_lead_auditor_is_refused(mgmt_rep):
    closed = DepartmentFactory(name="Old paint shop", is_active=False)
    leaver = PersonFactory(user__is_active=False)

    with pytest.raises(ValidationError) as excinfo:
        plan(mgmt_rep, departments=[closed], lead_auditor=leaver)

    assert "Old paint shop" in errors_of(excinfo)["departments"][0]
    assert "can no longer sign in" in errors_of(excinfo)["lead_auditor"][0]


@pytest.mark.parametrize("persona", ["ceo", "dept_manager", "auditor", "employee"])
def test_only_the_representative_and_qa_plan_audits(request, persona):
    with pytest.raises(PermissionDenied):
        plan(request.getfixturevalue(persona))


# Updating ----------------------------------------------------------------------------------------


def test_a_planned_audit_is_edited_and_unchanged_departments_write_no_history(qa):
    audit = plan(qa)
    versions = audit.history.count()

    services.internal_audit_update(actor=qa, audit=audit, title="Leadership audit", departments=audit.departments.all())

    audit.refresh_from_db()
    assert audit.title == "Leadership audit"
    assert audit.history.count() == versions + 1
    assert audit.history.latest().history_user == qa


def test_independence_is_checked_again_when_the_scope_changes(qa):
    auditor = PersonFactory()
    audit = plan(qa, lead_auditor=auditor)

    with pytest.raises(ValidationError) as excinfo:
        services.internal_audit_update(
            actor=qa, audit=audit, departments=[*audit.departments.all(), auditor.department]
        )

    assert "lead_auditor" in errors_of(excinfo)
    assert audit.departments.count() == 1


def test_a_department_with_findings_stays_in_scope(qa):
    production, sales = DepartmentFactory(name="Production"), DepartmentFactory(name="Sales")
    audit = plan(qa, departments=[production, sales])
    services.audit_finding_add(actor=qa, audit=audit, kind="minor", department=sales, description="No targets.")

    with pytest.raises(ValidationError) as excinfo:
        services.internal_audit_update(actor=qa, audit=audit, departments=[production])

    assert "F1 (Sales)" in errors_of(excinfo)["departments"][0]


def test_a_completed_audit_is_not_edited(qa):
    audit = CompletedAuditFactory()

    with pytest.raises(ApplicationError, match="completed: it can no longer be edited"):
        services.internal_audit_update(actor=qa, audit=audit, title="Changed")


def test_update_accepts_only_the_editable_fields(qa):
    with pytest.raises(ValueError, match="status cannot be changed through internal_audit_update"):
        services.internal_audit_update(actor=qa, audit=plan(qa), status="completed")


# Completing and cancelling -----------------------------------------------------------------------


def test_completing_records_date_and_summary_and_reports_to_the_audited_heads(qa, django_capture_on_commit_callbacks):
    head = PersonFactory()
    production = DepartmentFactory(name="Production", head=head)
    audit = plan(qa, departments=[production], planned_date=TODAY - datetime.timedelta(days=3))
    services.audit_finding_add(actor=qa, audit=audit, kind="minor", department=production, description="Old targets.")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.internal_audit_complete(
            actor=qa, audit=audit, audit_date=TODAY - datetime.timedelta(days=1), summary=" Effective overall. "
        )

    audit.refresh_from_db()
    assert (audit.status, audit.audit_date, audit.summary) == (
        "completed",
        datetime.date(2026, 3, 9),
        "Effective overall.",
    )
    assert len(callbacks) == 1
    note = Notification.objects.get(recipient=head.user, kind="internal-audit-completed")
    assert audit.reference in note.title
    assert "1 minor nonconformity" in note.body
    # A second run, as after a retried task, sends nothing more.
    assert services.internal_audit_notify_completed(audit_id=audit.pk) == 0


def test_an_audit_is_not_completed_in_advance_nor_without_summary(qa):
    audit = plan(qa)

    with pytest.raises(ValidationError) as excinfo:
        services.internal_audit_complete(
            actor=qa, audit=audit, audit_date=TODAY + datetime.timedelta(days=1), summary=""
        )

    assert "in the future" in errors_of(excinfo)["audit_date"][0]
    assert "overall conclusion" in errors_of(excinfo)["summary"][0]
    audit.refresh_from_db()
    assert audit.status == InternalAudit.Status.PLANNED


def test_an_audit_is_completed_once(qa):
    audit = CompletedAuditFactory()

    with pytest.raises(ApplicationError, match="already completed"):
        services.internal_audit_complete(actor=qa, audit=audit, audit_date=TODAY, summary="Again.")


def test_cancelling_keeps_the_reason_as_the_summary(mgmt_rep):
    audit = plan(mgmt_rep)

    services.internal_audit_cancel(actor=mgmt_rep, audit=audit, reason="Moved to Q3: auditee on leave.")

    audit.refresh_from_db()
    assert audit.status == InternalAudit.Status.CANCELLED
    assert audit.summary == "Cancelled: Moved to Q3: auditee on leave."


def test_cancelling_needs_a_reason_and_no_findings(mgmt_rep):
    audit = plan(mgmt_rep)
    with pytest.raises(ValidationError) as excinfo:
        services.internal_audit_cancel(actor=mgmt_rep, audit=audit, reason=" ")
    assert "reason" in errors_of(excinfo)

    finding_in(audit)
    with pytest.raises(ApplicationError, match=r"already has findings \(F\d+\): complete it"):
        services.internal_audit_cancel(actor=mgmt_rep, audit=audit, reason="No time.")


@pytest.mark.parametrize("persona", ["dept_manager", "auditor"])
def test_only_the_representative_and_qa_complete_or_cancel(request, persona):
    user = request.getfixturevalue(persona)
    audit = ScopedAuditFactory()
    with pytest.raises(PermissionDenied):
        services.internal_audit_complete(actor=user, audit=audit, audit_date=TODAY, summary="Done.")
    with pytest.raises(PermissionDenied):
        services.internal_audit_cancel(actor=user, audit=audit, reason="No.")


# Findings ----------------------------------------------------------------------------------------


def test_findings_are_numbered_per_audit_during_and_after_the_audit(qa):
    planned = ScopedAuditFactory()
    done = CompletedAuditFactory()
    department = planned.departments.get()

    first = services.audit_finding_add(actor=qa, audit=planned, kind="minor", department=department, description="A")
    second = services.audit_finding_add(actor=qa, audit=planned, kind="observation", description="B")
    other = services.audit_finding_add(actor=qa, audit=done, kind="opportunity", description="C")

    assert (first.number, second.number, other.number) == (1, 2, 1)
    assert first.label == f"{planned.reference}-F1"
    assert first.history.get().history_user == qa


def test_a_finding_department_must_be_in_scope(qa):
    audit = ScopedAuditFactory(departments=[DepartmentFactory(name="Production")])

    with pytest.raises(ValidationError) as excinfo:
        services.audit_finding_add(
            actor=qa, audit=audit, kind="minor", department=DepartmentFactory(name="Sales"), description="X"
        )

    assert errors_of(excinfo)["department"] == ["Sales is not in this audit's scope (Production); choose one of those."]


def test_an_audit_of_processes_takes_findings_of_any_department(qa):
    audit = ScopedAuditFactory(departments=[])

    finding = services.audit_finding_add(
        actor=qa, audit=audit, kind="minor", department=DepartmentFactory(), description="X"
    )

    assert finding.department is not None


@pytest.mark.parametrize("clause", ["9.3.2", "5.1.1", "10.2", "8.5.1", "7.1.5.1", "9.3.2.c", "9.3.2.c.6", "4"])
def test_well_formed_clauses_are_accepted(qa, clause):
    finding = services.audit_finding_add(
        actor=qa, audit=ScopedAuditFactory(departments=[]), kind="observation", clause=f" {clause} ", description="X"
    )
    assert finding.clause == clause


@pytest.mark.parametrize("clause", ["9,3", "11.1", "3.2", "clause 5", "9.3.2.", "ISO 9.3", "9.3.2.C", "9..3"])
def test_malformed_clauses_are_refused_with_an_example(qa, clause):
    with pytest.raises(ValidationError) as excinfo:
        services.audit_finding_add(
            actor=qa, audit=ScopedAuditFactory(departments=[]), kind="minor", clause=clause, description="X"
        )
    assert "write it like 9.3.2 or 5.1.1" in errors_of(excinfo)["clause"][0]


def test_a_finding_needs_a_description_and_a_known_kind(qa):
    with pytest.raises(ValidationError) as excinfo:
        services.audit_finding_add(actor=qa, audit=ScopedAuditFactory(departments=[]), kind="serious", description="")

    assert set(errors_of(excinfo)) == {"kind", "description"}
    assert not AuditFinding.objects.exists()


def test_a_cancelled_audit_takes_no_findings(qa):
    audit = ScopedAuditFactory(status=InternalAudit.Status.CANCELLED)

    with pytest.raises(ApplicationError, match="cancelled"):
        services.audit_finding_add(actor=qa, audit=audit, kind="minor", description="X")


@pytest.mark.parametrize("persona", ["dept_manager", "auditor", "employee"])
def test_only_the_representative_and_qa_record_findings(request, persona):
    with pytest.raises(PermissionDenied):
        services.audit_finding_add(
            actor=request.getfixturevalue(persona), audit=ScopedAuditFactory(), kind="minor", description="X"
        )


def test_an_open_finding_is_corrected_a_closed_one_is_not(qa):
    finding = finding_in(CompletedAuditFactory(), kind=AuditFinding.Kind.OBSERVATION)

    services.audit_finding_update(actor=qa, finding=finding, kind="minor", clause="6.2.1", description="Targets old.")
    finding.refresh_from_db()
    assert (finding.kind, finding.clause) == ("minor", "6.2.1")

    finding.kind = AuditFinding.Kind.OBSERVATION
    finding.save()
    services.audit_finding_close(actor=qa, finding=finding)
    with pytest.raises(ApplicationError, match="is closed"):
        services.audit_finding_update(actor=qa, finding=finding, description="Changed")


def test_a_corrected_finding_keeps_its_department_in_scope(qa):
    finding = finding_in(CompletedAuditFactory())

    with pytest.raises(ValidationError) as excinfo:
        services.audit_finding_update(actor=qa, finding=finding, department=DepartmentFactory(name="Sales"))

    assert "not in this audit's scope" in errors_of(excinfo)["department"][0]


# Closing -----------------------------------------------------------------------------------------


def test_a_finding_with_actions_not_verified_stays_open_and_they_are_named(qa):
    finding = finding_in(CompletedAuditFactory())
    verified = FindingActionFactory(audit_finding=finding, verified=True)
    done = FindingActionFactory(audit_finding=finding, done=True)
    started = FindingActionFactory(audit_finding=finding, status=Action.Status.IN_PROGRESS)

    with pytest.raises(ApplicationError) as excinfo:
        services.audit_finding_close(actor=qa, finding=finding)

    message = excinfo.value.message
    assert f"{done.reference} (done, awaiting verification)" in message
    assert f"{started.reference} (in progress)" in message
    assert verified.reference not in message
    assert excinfo.value.extra == {"open_actions": sorted([done.reference, started.reference])}
    finding.refresh_from_db()
    assert finding.closed_at is None


def test_a_nonconformity_closes_only_with_a_verified_action(qa):
    finding = finding_in(CompletedAuditFactory(), kind=AuditFinding.Kind.MAJOR)

    with pytest.raises(ApplicationError, match="major nonconformity: it closes only once a corrective action"):
        services.audit_finding_close(actor=qa, finding=finding)

    FindingActionFactory(audit_finding=finding, verified=True)
    closed = services.audit_finding_close(actor=qa, finding=finding)

    assert closed.closed_at is not None
    assert closed.history.latest().history_user == qa


@pytest.mark.parametrize("kind", [AuditFinding.Kind.OBSERVATION, AuditFinding.Kind.OPPORTUNITY])
def test_an_observation_or_opportunity_closes_without_actions(qa, kind):
    finding = finding_in(CompletedAuditFactory(), kind=kind)

    assert services.audit_finding_close(actor=qa, finding=finding).closed_at is not None


def test_findings_close_after_the_audit_is_completed_and_only_once(qa):
    finding = finding_in(ScopedAuditFactory(), kind=AuditFinding.Kind.OBSERVATION)
    with pytest.raises(ApplicationError, match="not completed yet"):
        services.audit_finding_close(actor=qa, finding=finding)

    finding = finding_in(CompletedAuditFactory(), kind=AuditFinding.Kind.OBSERVATION)
    services.audit_finding_close(actor=qa, finding=finding)
    with pytest.raises(ApplicationError, match="already closed"):
        services.audit_finding_close(actor=qa, finding=finding)


@pytest.mark.parametrize("persona", ["dept_manager", "auditor"])
def test_only_the_representative_and_qa_close_findings(request, persona):
    finding = finding_in(CompletedAuditFactory(), kind=AuditFinding.Kind.OBSERVATION)
    with pytest.raises(PermissionDenied):
        services.audit_finding_close(actor=request.getfixturevalue(persona), finding=finding)


# Actions -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "priority"),
    [("major", "high"), ("minor", "medium"), ("observation", "low"), ("opportunity", "low")],
)
def test_an_action_from_a_finding_takes_its_priority_and_department(mgmt_rep, kind, priority):
    finding = finding_in(CompletedAuditFactory(), kind=kind)
    owner = PersonFactory()

    action = services.audit_finding_add_action(
        actor=mgmt_rep,
        finding=finding,
        title="Brief both shifts",
        owner=owner,
        due_date=TODAY + datetime.timedelta(days=30),
    )

    assert action.source == Action.Source.AUDIT_FINDING
    assert action.audit_finding == finding
    assert action.source_record == finding
    assert (action.priority, action.department) == (priority, finding.department)
    assert action.reference.startswith("ACT-2026-")
    assert action.created_by == mgmt_rep


def test_an_explicit_priority_and_department_win(qa):
    finding = finding_in(CompletedAuditFactory(), kind="observation")
    elsewhere = DepartmentFactory()

    action = services.audit_finding_add_action(
        actor=qa,
        finding=finding,
        title="Update the matrix",
        owner=PersonFactory(),
        due_date=TODAY,
        priority="critical",
        department=elsewhere,
    )

    assert (action.priority, action.department) == ("critical", elsewhere)


def test_a_closed_finding_takes_no_action_and_bad_input_names_the_field(qa):
    finding = finding_in(CompletedAuditFactory(), kind="observation")
    with pytest.raises(ValidationError) as excinfo:
        services.audit_finding_add_action(actor=qa, finding=finding, title="", owner=PersonFactory(), due_date=TODAY)
    assert "title" in errors_of(excinfo)

    services.audit_finding_close(actor=qa, finding=finding)
    with pytest.raises(ApplicationError, match="is closed"):
        services.audit_finding_add_action(
            actor=qa, finding=finding, title="Late", owner=PersonFactory(), due_date=TODAY
        )
    assert not Action.objects.exists()


@pytest.mark.parametrize("persona", ["dept_manager", "auditor", "employee"])
def test_only_who_keeps_findings_and_actions_adds_them(request, persona):
    finding = finding_in(CompletedAuditFactory())
    with pytest.raises(PermissionDenied):
        services.audit_finding_add_action(
            actor=request.getfixturevalue(persona), finding=finding, title="X", owner=PersonFactory(), due_date=TODAY
        )


def test_the_lifecycle_from_plan_to_closed_findings(qa, mgmt_rep):
    """Plan -> findings during the audit -> completed -> action verified -> finding closed."""
    production = DepartmentFactory(name="Production")
    audit = plan(qa, departments=[production], planned_date=TODAY - datetime.timedelta(days=2))
    finding = services.audit_finding_add(
        actor=qa, audit=audit, kind="minor", department=production, clause="6.2.1", description="Old targets on board."
    )
    services.internal_audit_complete(actor=qa, audit=audit, audit_date=TODAY, summary="One minor NC.")
    action = services.audit_finding_add_action(
        actor=qa, finding=finding, title="New boards", owner=PersonFactory(department=production), due_date=TODAY
    )
    Action.objects.filter(pk=action.pk).update(
        status=Action.Status.VERIFIED,
        completed_at=action.created_at,
        verified_at=action.created_at,
        verified_by=mgmt_rep.person,
    )

    services.audit_finding_close(actor=qa, finding=finding)

    audit.refresh_from_db()
    finding.refresh_from_db()
    assert audit.status == InternalAudit.Status.COMPLETED
    assert finding.closed_at is not None


def test_the_completion_report_goes_only_to_active_heads_of_audited_departments(qa):
    active_head, leaver = PersonFactory(), PersonFactory(user__is_active=False)
    departments = [
        DepartmentFactory(head=active_head),
        DepartmentFactory(head=leaver),
        DepartmentFactory(head=None),
    ]
    planned = ScopedAuditFactory(departments=departments)
    done = CompletedAuditFactory(departments=departments)

    assert services.internal_audit_notify_completed(audit_id=planned.pk) == 0
    assert services.internal_audit_notify_completed(audit_id=done.pk) == 1
    assert list(Notification.objects.values_list("recipient", flat=True)) == [active_head.user_id]
