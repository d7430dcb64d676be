"""Internal audits and findings through the API: /api/internal-audits/ and /api/audit-findings/."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from reviews.models.actions import Action
from reviews.models.audits import AuditFinding, InternalAudit
from tests.leadership.factories import DepartmentFactory, PersonFactory
from tests.reviews.factories_audits import (
    CompletedAuditFactory,
    FindingActionFactory,
    ScopedAuditFactory,
    finding_in,
    grow_audits,
)

pytestmark = pytest.mark.django_db

READERS = ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor"]
WRITERS = ["mgmt_rep", "qa"]
NOT_WRITERS = ["ceo", "dept_manager", "auditor", "employee"]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def audit_payload(**overrides) -> dict:
    return {
        "title": "Purchasing and external providers",
        "departments": [DepartmentFactory().pk],
        "processes": ["Supplier approval", "Purchasing"],
        "criteria": "ISO 9001:2015 clause 8.4; QP-11",
        "planned_date": "2026-05-12",
        "lead_auditor": PersonFactory().pk,
        **overrides,
    }


# Reading -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_readers_list_and_read_audits_with_their_findings(request, api_as, persona):
    audit = CompletedAuditFactory(processes="Management review\nObjectives")
    finding = finding_in(audit, kind="minor")
    action = FindingActionFactory(audit_finding=finding)
    client = api_as(request.getfixturevalue(persona))

    listed = client.get(reverse("internal-audit-list")).json()
    detail = client.get(reverse("internal-audit-detail", args=[audit.pk])).json()

    assert [a["reference"] for a in listed["results"]] == [audit.reference]
    assert detail["processes"] == ["Management review", "Objectives"]
    assert detail["department_names"] == [finding.department.name]
    assert (detail["findings_count"], detail["open_findings_count"], detail["nonconformities_count"]) == (1, 1, 1)
    assert detail["findings"][0]["label"] == finding.label
    assert detail["findings"][0]["actions"][0]["reference"] == action.reference
    assert client.get(reverse("audit-finding-detail", args=[finding.pk])).json()["is_open"] is True


@pytest.mark.parametrize("persona", ["employee", "outsider"])
def test_others_cannot_read_audits_or_findings(request, api_as, persona):
    finding = finding_in(CompletedAuditFactory())
    client = api_as(request.getfixturevalue(persona))

    assert client.get(reverse("internal-audit-list")).status_code == 403
    assert client.get(reverse("internal-audit-detail", args=[finding.audit_id])).status_code == 403
    assert client.get(reverse("audit-finding-list")).status_code == 403
    assert client.get(reverse("audit-finding-detail", args=[finding.pk])).status_code == 403


def test_anonymous_callers_get_401(api_client):
    audit = ScopedAuditFactory()
    assert api_client.get(reverse("internal-audit-list")).status_code == 401
    assert api_client.post(reverse("internal-audit-complete", args=[audit.pk]), {}).status_code == 401
    assert api_client.get(reverse("audit-finding-list")).status_code == 401


def test_the_lists_filter_like_the_pages(api_as, auditor):
    production = DepartmentFactory(name="Production")
    done = CompletedAuditFactory(departments=[production], planned_date=datetime.date(2025, 12, 1))
    major = finding_in(done, kind="major")
    ScopedAuditFactory(planned_date=datetime.date(2026, 4, 1))
    client = api_as(auditor)

    def references(**params):
        return {a["reference"] for a in client.get(reverse("internal-audit-list"), params).json()["results"]}

    assert references(status="completed", year=2025, department=production.pk, has_open_findings=True) == {
        done.reference
    }
    assert references(has_open_findings=False, status="completed") == set()
    found = client.get(reverse("audit-finding-list"), {"kind": "nonconformity", "state": "open"}).json()
    assert [f["label"] for f in found["results"]] == [major.label]


def test_nothing_is_deleted_through_the_api(api_as, mgmt_rep):
    finding = finding_in(CompletedAuditFactory())
    client = api_as(mgmt_rep)
    assert client.delete(reverse("internal-audit-detail", args=[finding.audit_id])).status_code == 405
    assert client.delete(reverse("audit-finding-detail", args=[finding.pk])).status_code == 405


@pytest.mark.parametrize("rows", [3, 60])
def test_audit_list_endpoint_query_count_does_not_grow(api_as, auditor, rows, django_assert_num_queries):
    grow_audits(rows)
    client = api_as(auditor)
    # token and user, permissions (user + group), count for pagination, the page of audits (lead
    # auditor joined, findings counted), their departments, their findings (department joined),
    # the findings' actions (owner joined).
    with django_assert_num_queries(8):
        assert client.get(reverse("internal-audit-list")).status_code == 200


@pytest.mark.parametrize("rows", [3, 60])
def test_finding_list_endpoint_query_count_does_not_grow(api_as, auditor, rows, django_assert_num_queries):
    grow_audits(rows)
    client = api_as(auditor)
    # token and user, permissions (user + group), count for pagination, the page of findings (audit
    # and department joined), their actions (owner joined).
    with django_assert_num_queries(6):
        assert client.get(reverse("audit-finding-list")).status_code == 200


# Audits ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", WRITERS)
def test_the_representative_and_qa_plan_audits(request, api_as, persona):
    response = api_as(request.getfixturevalue(persona)).post(reverse("internal-audit-list"), audit_payload())

    assert response.status_code == 201
    body = response.json()
    assert (body["reference"], body["status"], body["processes"]) == (
        "IA-2026-001",
        "planned",
        ["Supplier approval", "Purchasing"],
    )


@pytest.mark.parametrize("persona", NOT_WRITERS)
def test_nobody_else_plans_changes_completes_or_cancels(request, api_as, persona):
    audit = ScopedAuditFactory()
    client = api_as(request.getfixturevalue(persona))

    assert client.post(reverse("internal-audit-list"), audit_payload()).status_code == 403
    assert client.patch(reverse("internal-audit-detail", args=[audit.pk]), {"title": "X"}).status_code == 403
    complete = {"audit_date": "2026-03-09", "summary": "Done."}
    assert client.post(reverse("internal-audit-complete", args=[audit.pk]), complete).status_code == 403
    assert client.post(reverse("internal-audit-cancel", args=[audit.pk]), {"reason": "No."}).status_code == 403
    audit.refresh_from_db()
    assert (audit.status, InternalAudit.objects.count()) == ("planned", 1)


def test_rule_breaches_answer_400_naming_the_field(api_as, qa):
    production = DepartmentFactory(name="Production")
    insider = PersonFactory(department=production)
    client = api_as(qa)

    empty = client.post(reverse("internal-audit-list"), audit_payload(departments=[], processes=[]))
    own = client.post(
        reverse("internal-audit-list"), audit_payload(departments=[production.pk], lead_auditor=insider.pk)
    )

    assert empty.status_code == own.status_code == 400
    assert "choose at least one department" in empty.json()["departments"][0]
    assert "9.2.2.c" in own.json()["lead_auditor"][0]


def test_a_planned_audit_is_patched_a_completed_one_answers_409(api_as, qa):
    planned, done = ScopedAuditFactory(), CompletedAuditFactory()
    client = api_as(qa)

    patched = client.patch(reverse("internal-audit-detail", args=[planned.pk]), {"title": "Renamed"})
    refused = client.patch(reverse("internal-audit-detail", args=[done.pk]), {"title": "Renamed"})

    assert (patched.status_code, patched.json()["title"]) == (200, "Renamed")
    assert refused.status_code == 409
    assert "can no longer be edited" in refused.json()["detail"]


def test_completing_and_its_errors(api_as, mgmt_rep):
    audit = ScopedAuditFactory()
    client = api_as(mgmt_rep)
    url = reverse("internal-audit-complete", args=[audit.pk])

    early = client.post(url, {"audit_date": "2026-03-11", "summary": "Early."})
    done = client.post(url, {"audit_date": "2026-03-10", "summary": "Effective."})
    again = client.post(url, {"audit_date": "2026-03-10", "summary": "Again."})

    assert early.status_code == 400
    assert "in the future" in early.json()["audit_date"][0]
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["audit_date"]) == ("completed", "2026-03-10")
    assert again.status_code == 409


def test_cancelling_and_its_errors(api_as, qa):
    audit, busy = ScopedAuditFactory(), ScopedAuditFactory()
    finding_in(busy)
    client = api_as(qa)

    response = client.post(reverse("internal-audit-cancel", args=[audit.pk]), {"reason": "Auditee on leave."})
    refused = client.post(reverse("internal-audit-cancel", args=[busy.pk]), {"reason": "No time."})

    assert (response.status_code, response.json()["summary"]) == (200, "Cancelled: Auditee on leave.")
    assert refused.status_code == 409


# Findings ----------------------------------------------------------------------------------------


def test_findings_are_recorded_with_the_next_number(api_as, qa):
    audit = ScopedAuditFactory()
    department = audit.departments.get()
    client = api_as(qa)
    payload = {"audit": audit.pk, "kind": "minor", "department": department.pk, "clause": "6.2.1", "description": "X"}

    first = client.post(reverse("audit-finding-list"), payload)
    second = client.post(reverse("audit-finding-list"), {**payload, "kind": "opportunity", "department": None})

    assert first.status_code == second.status_code == 201
    assert (first.json()["number"], second.json()["number"]) == (1, 2)
    assert first.json()["label"] == f"{audit.reference}-F1"


def test_finding_errors_name_the_field(api_as, qa):
    audit = ScopedAuditFactory(departments=[DepartmentFactory(name="Production")])
    client = api_as(qa)
    base = {"audit": audit.pk, "kind": "minor", "description": "X"}

    clause = client.post(reverse("audit-finding-list"), {**base, "clause": "9,3"})
    outside = client.post(reverse("audit-finding-list"), {**base, "department": DepartmentFactory(name="Sales").pk})

    assert clause.status_code == outside.status_code == 400
    assert "9.3.2 or 5.1.1" in clause.json()["clause"][0]
    assert "not in this audit's scope (Production)" in outside.json()["department"][0]


def test_a_finding_is_corrected_while_open(api_as, mgmt_rep):
    finding = finding_in(CompletedAuditFactory(), kind="observation")
    client = api_as(mgmt_rep)

    response = client.patch(reverse("audit-finding-detail", args=[finding.pk]), {"kind": "minor", "clause": "7.5.3"})

    assert response.status_code == 200
    assert (response.json()["kind"], response.json()["clause"]) == ("minor", "7.5.3")


@pytest.mark.parametrize("persona", NOT_WRITERS)
def test_nobody_else_records_corrects_or_closes_findings(request, api_as, persona):
    audit = CompletedAuditFactory()
    finding = finding_in(audit, kind="observation")
    client = api_as(request.getfixturevalue(persona))

    created = client.post(reverse("audit-finding-list"), {"audit": audit.pk, "kind": "minor", "description": "X"})
    assert created.status_code == 403
    assert client.patch(reverse("audit-finding-detail", args=[finding.pk]), {"clause": "5.3"}).status_code == 403
    assert client.post(reverse("audit-finding-close", args=[finding.pk])).status_code == 403
    finding.refresh_from_db()
    assert finding.closed_at is None


def test_closing_answers_409_with_the_open_actions_then_closes(api_as, qa):
    finding = finding_in(CompletedAuditFactory())
    action = FindingActionFactory(audit_finding=finding, done=True)
    client = api_as(qa)
    url = reverse("audit-finding-close", args=[finding.pk])

    refused = client.post(url)
    Action.objects.filter(pk=action.pk).update(
        status=Action.Status.VERIFIED, verified_at=action.completed_at, verified_by=PersonFactory()
    )
    closed = client.post(url)

    assert refused.status_code == 409
    assert refused.json()["open_actions"] == [action.reference]
    assert closed.status_code == 200
    assert closed.json()["is_open"] is False
    assert closed.json()["closed_by_name"] == qa.get_full_name()


def test_add_action_opens_one_in_the_register(api_as, qa):
    finding = finding_in(CompletedAuditFactory(), kind="major")
    owner = PersonFactory()

    response = api_as(qa).post(
        reverse("audit-finding-add-action", args=[finding.pk]),
        {"title": "Hold a management review", "owner": owner.pk, "due_date": "2026-04-30"},
    )

    assert response.status_code == 201
    body = response.json()
    action = Action.objects.get(pk=body["id"])
    assert (action.audit_finding, action.priority, action.owner) == (finding, "high", owner)
    assert (body["status"], body["overdue"], body["owner_name"]) == ("open", False, owner.full_name)


@pytest.mark.parametrize("persona", NOT_WRITERS)
def test_nobody_else_adds_actions_to_findings(request, api_as, persona):
    finding = finding_in(CompletedAuditFactory())
    response = api_as(request.getfixturevalue(persona)).post(
        reverse("audit-finding-add-action", args=[finding.pk]),
        {"title": "X", "owner": PersonFactory().pk, "due_date": "2026-04-30"},
    )
    assert response.status_code == 403
    assert not Action.objects.exists()


def test_a_closed_finding_takes_no_action(api_as, qa):
    finding = finding_in(
        CompletedAuditFactory(), kind="opportunity", closed_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    )
    response = api_as(qa).post(
        reverse("audit-finding-add-action", args=[finding.pk]),
        {"title": "X", "owner": PersonFactory().pk, "due_date": "2026-04-30"},
    )
    assert response.status_code == 409
    assert AuditFinding.objects.get().actions.count() == 0
