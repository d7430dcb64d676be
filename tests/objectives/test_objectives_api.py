"""Quality objectives through the API: /api/objectives/, /api/action-plan-steps/, /api/target-revisions/."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from objectives.models import ActionPlanStep, Objective, TargetRevision
from tests.conftest import PASSWORD
from tests.leadership.factories import DepartmentFactory, PersonFactory
from tests.leadership.factories_customers import CustomerRequirementFactory
from tests.leadership.factories_positions import PositionFactory
from tests.objectives.factories_objectives import ActionPlanStepFactory, ObjectiveFactory, TargetRevisionFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def own_department(dept_manager):
    department = dept_manager.person.department
    department.head = dept_manager.person
    department.save()
    return department


def new_objective(owner, **overrides) -> dict:
    return {
        "title": "On-time delivery 96% or better",
        "category": "customer",
        "owner": owner.pk,
        "metric_name": "On-time delivery",
        "unit": "%",
        "direction": "higher",
        "baseline": "91",
        "target": "96",
        "tolerance": "2",
        "frequency": "monthly",
        "start_date": "2025-01-01",
        "due_date": "2026-06-30",
        "evaluation_method": "ERP delivery report, monthly.",
        **overrides,
    }


def url(name, *args):
    return reverse(name, args=args)


# Objectives ---------------------------------------------------------------------------------------


def test_the_flow_draft_active_achieved_through_the_api(api_as, mgmt_rep):
    client = api_as(mgmt_rep)
    position = PositionFactory()
    requirement = CustomerRequirementFactory()
    response = client.post(
        url("objective-list"),
        new_objective(mgmt_rep.person, kpi_of_positions=[position.pk], customer_requirements=[requirement.pk]),
    )
    assert response.status_code == 201, response.data
    body = response.data
    assert (body["status"], body["kpi_of_positions"], body["customer_requirements"]) == (
        "draft",
        [position.pk],
        [requirement.pk],
    )
    pk = body["id"]
    step = client.post(
        url("actionplanstep-list"),
        {
            "objective": pk,
            "what": "Capacity check before confirming dates",
            "resources": "Planning meeting twice a week",
            "responsible": mgmt_rep.person.pk,
            "due_date": "2025-04-30",
        },
    )
    assert step.status_code == 201, step.data
    activated = client.post(url("objective-activate", pk))
    assert activated.status_code == 200, activated.data
    assert activated.data["status"] == "active"
    assert activated.data["targets_in_force"] == [
        {"effective_from": "2025-01-01", "target": "96.0000", "target_upper": None, "tolerance": "2.0000"}
    ]
    closed = client.post(url("objective-close", pk), {"outcome": "achieved", "closing_note": "96.4% over Q2."})
    assert closed.status_code == 200
    assert closed.data["status"] == "achieved"
    assert client.post(url("objective-cancel", pk), {"reason": "late"}).status_code == 409


def test_activation_refused_lists_missing_items_by_field(api_as, mgmt_rep):
    objective = ObjectiveFactory(draft=True, target=None, evaluation_method="")
    response = api_as(mgmt_rep).post(url("objective-activate", objective.pk))
    assert response.status_code == 400
    assert set(response.data) == {"plan", "target", "evaluation_method"}
    assert "at least one action plan step" in response.data["plan"][0]


def test_bad_input_gives_400_naming_the_field_and_saves_nothing(api_as, mgmt_rep):
    body = new_objective(mgmt_rep.person, direction="band", target="8", target_upper="6")
    response = api_as(mgmt_rep).post(url("objective-list"), body)
    assert response.status_code == 400
    assert "greater than the target" in response.data["target_upper"][0]
    assert not Objective.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [({"target": "1.5"}, "target"), ({"due_date": "2026-12-31"}, "due_date"), ({"tolerance": "0.1"}, "tolerance")],
)
def test_an_active_objectives_target_is_changed_only_by_revision_409(api_as, mgmt_rep, change, field):
    objective = ObjectiveFactory()
    response = api_as(mgmt_rep).patch(url("objective-detail", objective.pk), change)
    assert response.status_code == 409
    assert "propose a revision" in response.data["detail"].lower()
    assert response.data["fields"] == [field]
    objective.refresh_from_db()
    assert (objective.target, objective.tolerance) == (D("2.0"), D("0.3"))


def test_other_fields_of_an_active_objective_are_patched(api_as, mgmt_rep):
    objective = ObjectiveFactory()
    response = api_as(mgmt_rep).patch(
        url("objective-detail", objective.pk), {"title": "Defects at most 2%", "target": "2.0"}
    )
    assert response.status_code == 200
    assert response.data["title"] == "Defects at most 2%"


@pytest.mark.parametrize("persona", ["employee", "qa", "auditor"])
def test_roles_without_write_permissions_get_403(request, api_as, persona, mgmt_rep):
    client = api_as(request.getfixturevalue(persona))
    objective = ObjectiveFactory(draft=True, plan_steps=1)
    assert client.get(url("objective-list")).status_code == 200
    assert client.post(url("objective-list"), new_objective(mgmt_rep.person)).status_code == 403
    assert client.patch(url("objective-detail", objective.pk), {"title": "x"}).status_code == 403
    assert client.post(url("objective-activate", objective.pk)).status_code == 403
    assert client.post(url("objective-cancel", objective.pk), {"reason": "x"}).status_code == 403


def test_outsiders_cannot_read_objectives(api_as, outsider):
    assert api_as(outsider).get(url("objective-list")).status_code == 403


def test_objectives_are_never_deleted(api_as, ceo):
    assert api_as(ceo).delete(url("objective-detail", ObjectiveFactory().pk)).status_code == 405


def test_a_department_manager_writes_only_in_their_department(api_as, dept_manager, own_department):
    client = api_as(dept_manager)
    mine = client.post(url("objective-list"), new_objective(dept_manager.person, department=own_department.pk))
    assert mine.status_code == 201
    other = DepartmentFactory()
    theirs = client.post(url("objective-list"), new_objective(PersonFactory(department=other), department=other.pk))
    assert theirs.status_code == 403
    elsewhere = ObjectiveFactory(draft=True, plan_steps=1)
    assert client.patch(url("objective-detail", elsewhere.pk), {"title": "x"}).status_code == 403
    assert client.post(url("objective-activate", elsewhere.pk)).status_code == 403
    assert Objective.objects.count() == 2


def test_the_list_filters_by_department_health_and_company_wide(api_as, qa):
    department = DepartmentFactory()
    at_risk = ObjectiveFactory(department=department, health=Objective.Health.AT_RISK)
    ObjectiveFactory(department=department)
    company = ObjectiveFactory(department=None)
    client = api_as(qa)
    rows = client.get(url("objective-list"), {"department": department.pk, "health": "at_risk"}).data["results"]
    assert [r["id"] for r in rows] == [at_risk.pk]
    rows = client.get(url("objective-list"), {"company_wide": "true"}).data["results"]
    assert [r["id"] for r in rows] == [company.pk]


def grow(rows: int) -> None:
    positions = PositionFactory.create_batch(2)
    requirement = CustomerRequirementFactory()
    for i in range(rows):
        objective = ObjectiveFactory(plan_steps=i % 3)
        objective.kpi_of_positions.set(positions[: i % 3])
        if i % 2:
            objective.customer_requirements.add(requirement)
        if i % 4 == 0:
            TargetRevisionFactory(objective=objective)


@pytest.mark.parametrize("rows", [5, 50])
def test_objective_list_endpoint_query_count_does_not_grow(api_as, auditor, rows, django_assert_num_queries):
    grow(rows)
    client = api_as(auditor)
    # token and user, permissions (user + group), count for pagination, the page of objectives (owner,
    # department, parent, policy version joined; plan and revision counts as subqueries), their KPI
    # positions, their customer requirements.
    with django_assert_num_queries(7):
        response = client.get(url("objective-list"))
    assert response.status_code == 200
    assert response.data["count"] == rows


@pytest.mark.parametrize("rows", [5, 50])
def test_revision_and_step_list_endpoints_query_count_does_not_grow(api_as, auditor, rows, django_assert_num_queries):
    grow(rows)
    client = api_as(auditor)
    # token and user, permissions (user + group), count for pagination, the page (joins only).
    with django_assert_num_queries(5):
        assert client.get(url("targetrevision-list")).status_code == 200
    with django_assert_num_queries(5):
        assert client.get(url("actionplanstep-list")).status_code == 200


# Plan steps ---------------------------------------------------------------------------------------


def test_a_step_is_marked_done_and_edited(api_as, mgmt_rep):
    step = ActionPlanStepFactory()
    client = api_as(mgmt_rep)
    response = client.patch(url("actionplanstep-detail", step.pk), {"resources": "Two CMM slots"})
    assert response.status_code == 200
    assert response.data["resources"] == "Two CMM slots"
    response = client.post(url("actionplanstep-done", step.pk), {"done_at": "2025-05-01"})
    assert (response.data["status"], response.data["done_at"]) == ("done", "2025-05-01")


def test_step_writes_are_403_outside_the_department_managers_scope(api_as, dept_manager, own_department):
    step = ActionPlanStepFactory()
    client = api_as(dept_manager)
    assert client.post(url("actionplanstep-done", step.pk)).status_code == 403
    assert client.patch(url("actionplanstep-detail", step.pk), {"what": "x"}).status_code == 403
    step.refresh_from_db()
    assert step.status == ActionPlanStep.Status.PLANNED


def test_a_step_on_a_closed_objective_is_409(api_as, mgmt_rep):
    objective = ObjectiveFactory(status=Objective.Status.MISSED)
    response = api_as(mgmt_rep).post(
        url("actionplanstep-list"),
        {
            "objective": objective.pk,
            "what": "x",
            "resources": "y",
            "responsible": objective.owner_id,
            "due_date": "2025-05-01",
        },
    )
    assert response.status_code == 409


# Target revisions -----------------------------------------------------------------------------------


def proposal(objective, **overrides):
    return {
        "objective": objective.pk,
        "reason": "New automated line 2: defect target from 2% to 1.5%",
        "effective_from": "2025-07-01",
        "new_target": "1.5",
        **overrides,
    }


def test_a_revision_is_proposed_and_approved_applying_the_new_values(api_as, mgmt_rep, ceo):
    objective = ObjectiveFactory()
    response = api_as(mgmt_rep).post(url("targetrevision-list"), proposal(objective))
    assert response.status_code == 201, response.data
    assert (response.data["old_target"], response.data["new_target"]) == ("2.0000", "1.5000")
    pk = response.data["id"]

    response = api_as(ceo).post(url("targetrevision-approve", pk), {"password": PASSWORD, "decision_note": "Yes."})
    assert response.status_code == 200, response.data
    assert response.data["status"] == "approved"
    assert response.data["signature"]["meaning"] == "approved"
    objective.refresh_from_db()
    assert objective.target == D("1.5")
    detail = api_as(ceo).get(url("objective-detail", objective.pk)).data
    assert [s["target"] for s in detail["targets_in_force"]] == ["2.0000", "1.5000"]


def test_a_bad_proposal_gives_400_naming_the_field(api_as, mgmt_rep):
    objective = ObjectiveFactory()
    response = api_as(mgmt_rep).post(url("targetrevision-list"), proposal(objective, effective_from="2024-01-01"))
    assert response.status_code == 400
    assert "effective_from" in response.data
    response = api_as(mgmt_rep).post(url("targetrevision-list"), proposal(objective, new_target="2.0"))
    assert response.status_code == 400
    assert "changes nothing" in response.data["non_field_errors"][0]


def test_proposing_for_a_draft_is_409(api_as, mgmt_rep):
    response = api_as(mgmt_rep).post(url("targetrevision-list"), proposal(ObjectiveFactory(draft=True)))
    assert response.status_code == 409


@pytest.mark.parametrize("persona", ["mgmt_rep", "dept_manager", "qa", "auditor"])
def test_only_top_management_decides_403(request, api_as, persona):
    revision = TargetRevisionFactory()
    client = api_as(request.getfixturevalue(persona))
    assert client.post(url("targetrevision-approve", revision.pk), {"password": PASSWORD}).status_code == 403
    assert (
        client.post(
            url("targetrevision-reject", revision.pk), {"password": PASSWORD, "decision_note": "No"}
        ).status_code
        == 403
    )
    revision.refresh_from_db()
    assert revision.status == TargetRevision.Status.PROPOSED


def test_a_wrong_password_is_400_on_the_password_and_changes_nothing(api_as, ceo):
    revision = TargetRevisionFactory()
    response = api_as(ceo).post(url("targetrevision-approve", revision.pk), {"password": "wrong"})
    assert response.status_code == 400
    assert "password" in response.data
    revision.refresh_from_db()
    revision.objective.refresh_from_db()
    assert (revision.status, revision.objective.target) == ("proposed", D("2.0"))


def test_rejecting_needs_a_note_and_deciding_twice_is_409(api_as, ceo):
    revision = TargetRevisionFactory()
    client = api_as(ceo)
    response = client.post(url("targetrevision-reject", revision.pk), {"password": PASSWORD})
    assert response.status_code == 400
    assert "decision_note" in response.data
    assert (
        client.post(
            url("targetrevision-reject", revision.pk), {"password": PASSWORD, "decision_note": "Not proven."}
        ).status_code
        == 200
    )
    assert client.post(url("targetrevision-approve", revision.pk), {"password": PASSWORD}).status_code == 409


def test_a_department_manager_proposes_only_for_their_department(api_as, dept_manager, own_department):
    client = api_as(dept_manager)
    assert client.post(url("targetrevision-list"), proposal(ObjectiveFactory())).status_code == 403
    mine = ObjectiveFactory(department=own_department)
    assert client.post(url("targetrevision-list"), proposal(mine)).status_code == 201


def test_revisions_are_never_edited_or_deleted(api_as, ceo):
    revision = TargetRevisionFactory()
    client = api_as(ceo)
    assert client.patch(url("targetrevision-detail", revision.pk), {"reason": "x"}).status_code == 405
    assert client.delete(url("targetrevision-detail", revision.pk)).status_code == 405


def test_dates_in_the_revision_are_iso(api_as, ceo):
    revision = TargetRevisionFactory(effective_from=datetime.date(2025, 7, 1))
    assert api_as(ceo).get(url("targetrevision-detail", revision.pk)).data["effective_from"] == "2025-07-01"
