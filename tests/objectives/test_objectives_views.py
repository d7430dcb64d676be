"""Quality objectives through the pages: the objective page, forms, lifecycle, plan, revisions, cascade."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from objectives.models import ActionPlanStep, Objective, TargetRevision
from objectives.services import objectives as services
from qms.models import Signature
from tests.conftest import PASSWORD
from tests.leadership.factories import DepartmentFactory, PersonFactory
from tests.leadership.factories_positions import PositionFactory, PositionHolderFactory
from tests.objectives.factories_objectives import (
    ActionPlanStepFactory,
    ObjectiveFactory,
    TargetRevisionFactory,
    objective_input,
)

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def own_department(dept_manager):
    department = dept_manager.person.department
    department.head = dept_manager.person
    department.save()
    return department


def detail(objective):
    return reverse("objectives:objective-detail", args=[objective.pk])


def form_data(objective=None, **overrides) -> dict:
    """What the objective form posts: the objective's values (or a complete new one), with changes."""
    values = objective_input()
    if objective is not None:
        values = {f: getattr(objective, f) for f in values}
        values["owner"] = objective.owner
        values["department"] = objective.department
    values.update(overrides)
    data = {}
    for field, value in values.items():
        if hasattr(value, "pk"):
            value = value.pk
        data[field] = "" if value is None else str(value)
    return data


# Reading ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["employee", "qa", "dept_manager", "auditor", "ceo"])
def test_staff_and_auditors_read_the_objective_page(request, client_as, persona):
    objective = ObjectiveFactory(plan_steps=2)
    response = client_as(request.getfixturevalue(persona)).get(detail(objective))
    assert response.status_code == 200
    assert objective.title in response.text
    assert "first-article inspection" in response.text


def test_outsiders_see_no_objective(client_as, outsider):
    objective = ObjectiveFactory()
    client = client_as(outsider)
    assert client.get(detail(objective)).status_code == 403
    assert client.get(reverse("objectives:department-objectives", args=[objective.department_id])).status_code == 403
    assert client.get(reverse("objectives:person-objectives", args=[objective.owner_id])).status_code == 403


def test_the_history_shows_to_the_auditor_but_not_to_employees(client_as, auditor, employee, mgmt_rep):
    objective = ObjectiveFactory()
    services.objective_update(actor=mgmt_rep, objective=objective, title="Renamed objective")
    assert "Change history" in client_as(auditor).get(detail(objective)).text
    assert "Change history" not in client_as(employee).get(detail(objective)).text


def test_the_page_shows_health_forecast_and_latest_from_the_cached_fields(client_as, employee):
    objective = ObjectiveFactory(
        health=Objective.Health.AT_RISK,
        projected_to_miss=True,
        latest_value=D("2.2"),
        latest_period=datetime.date(2026, 2, 1),
        forecast_value=D("2.4"),
    )
    text = client_as(employee).get(detail(objective)).text
    assert "At risk" in text
    assert "projected to miss" in text
    assert "2.2%" in text
    assert "2.4%" in text
    assert "≤ 2%" in text


def test_a_draft_shows_what_it_still_lacks_for_activation(client_as, mgmt_rep):
    objective = ObjectiveFactory(draft=True, evaluation_method="")
    text = client_as(mgmt_rep).get(detail(objective)).text
    assert "Before this draft can be activated" in text
    assert "how the results will be evaluated" in text
    assert "at least one action plan step" in text


# Create and edit ------------------------------------------------------------------------------------


def test_the_representative_creates_an_objective_from_the_form(client_as, mgmt_rep):
    department = DepartmentFactory()
    data = form_data(owner=mgmt_rep.person, department=department, reference="")
    response = client_as(mgmt_rep).post(reverse("objectives:objective-create"), data)
    objective = Objective.objects.get()
    assert response.status_code == 302
    assert response.url == detail(objective)
    assert (objective.status, objective.department, objective.target) == ("draft", department, D("2.0"))


def test_the_form_names_bad_fields_and_saves_nothing(client_as, mgmt_rep):
    data = form_data(owner=mgmt_rep.person, direction="band", target="8", target_upper="6")
    response = client_as(mgmt_rep).post(reverse("objectives:objective-create"), data)
    assert response.status_code == 200
    assert "greater than the target" in response.context["form"].errors["target_upper"][0]
    assert not Objective.objects.exists()


@pytest.mark.parametrize("persona", ["employee", "qa", "auditor"])
def test_roles_without_the_add_permission_cannot_open_the_form(request, client_as, persona):
    client = client_as(request.getfixturevalue(persona))
    assert client.get(reverse("objectives:objective-create")).status_code == 403
    assert client.get(reverse("objectives:objective-update", args=[ObjectiveFactory().pk])).status_code == 403


def test_editing_an_active_objectives_target_is_refused_on_the_page(client_as, mgmt_rep):
    objective = ObjectiveFactory()
    response = client_as(mgmt_rep).post(
        reverse("objectives:objective-update", args=[objective.pk]), form_data(objective, target="1.5")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "Propose a target revision" in form.errors["target"][0]
    assert "only through a target revision" in " ".join(form.non_field_errors())
    objective.refresh_from_db()
    assert objective.target == D("2.0")


def test_other_fields_of_an_active_objective_are_saved_from_the_page(client_as, mgmt_rep):
    objective = ObjectiveFactory()
    url = reverse("objectives:objective-update", args=[objective.pk])
    page = client_as(mgmt_rep).get(url)
    assert "readonly" in page.text
    response = client_as(mgmt_rep).post(url, form_data(objective, title="Defects at most 2%"))
    assert response.status_code == 302
    objective.refresh_from_db()
    assert objective.title == "Defects at most 2%"


def test_a_closed_objective_cannot_be_edited_from_the_page(client_as, mgmt_rep):
    objective = ObjectiveFactory(status=Objective.Status.ACHIEVED)
    response = client_as(mgmt_rep).get(reverse("objectives:objective-update", args=[objective.pk]), follow=True)
    assert "closed objective cannot be edited" in response.text


def test_a_department_manager_edits_their_departments_objectives_only(client_as, dept_manager, own_department):
    client = client_as(dept_manager)
    mine = ObjectiveFactory(department=own_department, owner=PersonFactory(department=own_department))
    theirs = ObjectiveFactory()
    assert client.get(reverse("objectives:objective-update", args=[mine.pk])).status_code == 200
    assert client.get(reverse("objectives:objective-update", args=[theirs.pk])).status_code == 403
    response = client.post(reverse("objectives:objective-update", args=[theirs.pk]), form_data(theirs, title="Mine"))
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.title != "Mine"
    assert 'href="{}"'.format(reverse("objectives:objective-update", args=[mine.pk])) in client.get(detail(mine)).text
    assert reverse("objectives:objective-update", args=[theirs.pk]) not in client.get(detail(theirs)).text


def test_a_department_manager_cannot_create_for_another_department_from_the_page(client_as, dept_manager):
    other = DepartmentFactory()
    data = form_data(owner=PersonFactory(department=other), department=other)
    assert client_as(dept_manager).post(reverse("objectives:objective-create"), data).status_code == 403
    assert not Objective.objects.exists()


# Lifecycle ------------------------------------------------------------------------------------------


def test_activating_an_incomplete_draft_shows_what_is_missing(client_as, mgmt_rep):
    objective = ObjectiveFactory(draft=True, metric_name="", unit="")
    response = client_as(mgmt_rep).post(reverse("objectives:objective-activate", args=[objective.pk]), follow=True)
    message = str(next(iter(response.context["messages"])))
    assert message.startswith(f"{objective.reference} cannot be activated yet. Missing:")
    assert "Name the metric" in message
    assert "Choose the unit" in message
    assert "at least one action plan step" in message
    objective.refresh_from_db()
    assert objective.status == "draft"


def test_the_flow_draft_active_achieved_through_the_pages(client_as, mgmt_rep):
    objective = ObjectiveFactory(draft=True, plan_steps=1)
    client = client_as(mgmt_rep)
    client.post(reverse("objectives:objective-activate", args=[objective.pk]))
    objective.refresh_from_db()
    assert objective.status == "active"

    response = client.post(reverse("objectives:objective-close", args=[objective.pk]), {"outcome": "achieved"})
    assert response.status_code == 200
    assert "closing note" in response.context["close_form"].errors["closing_note"][0]

    response = client.post(
        reverse("objectives:objective-close", args=[objective.pk]),
        {"outcome": "achieved", "closing_note": "1.8% for six months."},
    )
    assert response.status_code == 302
    objective.refresh_from_db()
    assert (objective.status, objective.closing_note) == ("achieved", "1.8% for six months.")


def test_cancelling_from_the_page_needs_a_reason(client_as, mgmt_rep):
    objective = ObjectiveFactory()
    client = client_as(mgmt_rep)
    response = client.post(reverse("objectives:objective-cancel", args=[objective.pk]), {"reason": ""})
    assert "reason" in response.context["cancel_form"].errors
    client.post(reverse("objectives:objective-cancel", args=[objective.pk]), {"reason": "Line closed."})
    objective.refresh_from_db()
    assert objective.status == "cancelled"


def test_activating_twice_shows_an_error(client_as, mgmt_rep):
    objective = ObjectiveFactory()
    response = client_as(mgmt_rep).post(reverse("objectives:objective-activate", args=[objective.pk]), follow=True)
    assert "only a draft can be activated" in response.text


@pytest.mark.parametrize("persona", ["employee", "qa", "auditor"])
def test_lifecycle_posts_are_forbidden_without_the_activate_permission(request, client_as, persona):
    objective = ObjectiveFactory(draft=True, plan_steps=1)
    client = client_as(request.getfixturevalue(persona))
    assert client.post(reverse("objectives:objective-activate", args=[objective.pk])).status_code == 403
    assert client.post(reverse("objectives:objective-cancel", args=[objective.pk]), {"reason": "x"}).status_code == 403
    objective.refresh_from_db()
    assert objective.status == "draft"


def test_a_department_manager_activates_in_their_department_only(client_as, dept_manager, own_department):
    client = client_as(dept_manager)
    mine = ObjectiveFactory(draft=True, plan_steps=1, department=own_department)
    theirs = ObjectiveFactory(draft=True, plan_steps=1)
    assert client.post(reverse("objectives:objective-activate", args=[theirs.pk])).status_code == 403
    assert client.post(reverse("objectives:objective-activate", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == ("active", "draft")


# Action plan, inline ----------------------------------------------------------------------------------


def step_data(responsible, **overrides):
    return {
        "what": "Weekly scrap review with the setters",
        "resources": "30 minutes a week",
        "responsible": responsible.pk,
        "due_date": "2025-09-30",
        "status": "planned",
        **overrides,
    }


def test_a_step_is_added_inline_with_htmx(client_as, mgmt_rep):
    objective = ObjectiveFactory(plan_steps=1)
    response = client_as(mgmt_rep).post(
        reverse("objectives:plan-step-create", args=[objective.pk]), step_data(objective.owner), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'id="plan"' in response.text
    assert "<html" not in response.text
    assert "Weekly scrap review" in response.text
    assert "added to the plan" in response.text
    assert objective.plan_steps.count() == 2


def test_a_step_with_missing_fields_shows_the_errors_inline_and_saves_nothing(client_as, mgmt_rep):
    objective = ObjectiveFactory()
    response = client_as(mgmt_rep).post(
        reverse("objectives:plan-step-create", args=[objective.pk]),
        step_data(objective.owner, resources=""),
        HTTP_HX_REQUEST="true",
    )
    assert response.context["add_form"].errors["resources"]
    assert not objective.plan_steps.exists()


def test_without_htmx_adding_a_step_returns_to_the_plan(client_as, mgmt_rep):
    objective = ObjectiveFactory()
    response = client_as(mgmt_rep).post(
        reverse("objectives:plan-step-create", args=[objective.pk]), step_data(objective.owner)
    )
    assert response.status_code == 302
    assert response.url.endswith("#plan")


def test_a_step_is_edited_inline_and_marked_done(client_as, mgmt_rep):
    step = ActionPlanStepFactory()
    client = client_as(mgmt_rep)
    url = reverse("objectives:plan-step-update", args=[step.pk])
    editing = client.get(url, HTTP_HX_REQUEST="true")
    assert "Save step" in editing.text
    assert client.get(url).status_code == 200  # the plain page, without htmx
    response = client.post(url, step_data(step.responsible, what="Revised step"), HTTP_HX_REQUEST="true")
    assert "Revised step" in response.text
    response = client.post(reverse("objectives:plan-step-done", args=[step.pk]), HTTP_HX_REQUEST="true")
    assert "marked done" in response.text
    step.refresh_from_db()
    assert (step.what, step.status) == ("Revised step", ActionPlanStep.Status.DONE)


def test_plan_changes_are_forbidden_outside_the_department_managers_scope(client_as, dept_manager, own_department):
    step = ActionPlanStepFactory()
    client = client_as(dept_manager)
    assert client.post(reverse("objectives:plan-step-done", args=[step.pk])).status_code == 403
    assert client.get(reverse("objectives:plan-step-update", args=[step.pk])).status_code == 403
    response = client.post(
        reverse("objectives:plan-step-create", args=[step.objective_id]), step_data(dept_manager.person)
    )
    assert response.status_code == 403
    assert ActionPlanStep.objects.count() == 1


def test_employees_cannot_add_steps(client_as, employee):
    objective = ObjectiveFactory()
    response = client_as(employee).post(
        reverse("objectives:plan-step-create", args=[objective.pk]), step_data(objective.owner)
    )
    assert response.status_code == 403


# Target revisions ---------------------------------------------------------------------------------------


def revision_data(**overrides):
    return {
        "new_target": "1.5",
        "new_tolerance": "0.3",
        "new_due_date": "2026-06-30",
        "effective_from": "2025-07-01",
        "reason": "New automated line 2",
        **overrides,
    }


def test_a_revision_is_proposed_from_the_page_and_approved_with_a_signature(client_as, mgmt_rep, ceo):
    objective = ObjectiveFactory()
    response = client_as(mgmt_rep).post(
        reverse("objectives:target-revision-create", args=[objective.pk]), revision_data()
    )
    assert response.status_code == 302
    revision = TargetRevision.objects.get()

    page = client_as(ceo).get(detail(objective)).text
    assert "Approve and sign" in page
    response = client_as(ceo).post(
        reverse("objectives:target-revision-approve", args=[revision.pk]),
        {"password": PASSWORD, "decision_note": "Agreed."},
    )
    assert response.status_code == 302
    objective.refresh_from_db()
    revision.refresh_from_db()
    assert (objective.target, revision.old_target, revision.status) == (D("1.5"), D("2.0"), "approved")
    page = client_as(ceo).get(detail(objective)).text
    assert "≤ 2% → <strong>≤ 1.5%</strong>" in page
    assert "From 1 Jul 2025: ≤ 1.5%" in page


def test_a_proposal_without_a_reason_is_refused_on_the_form(client_as, mgmt_rep):
    objective = ObjectiveFactory()
    response = client_as(mgmt_rep).post(
        reverse("objectives:target-revision-create", args=[objective.pk]), revision_data(reason="")
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert not TargetRevision.objects.exists()


def test_a_wrong_password_is_shown_on_the_decision_form(client_as, ceo):
    revision = TargetRevisionFactory()
    response = client_as(ceo).post(
        reverse("objectives:target-revision-approve", args=[revision.pk]), {"password": "wrong"}
    )
    assert response.status_code == 200
    assert "password is not correct" in response.context["approve_form"].errors["password"][0]
    revision.refresh_from_db()
    assert revision.status == "proposed"
    assert not Signature.objects.exists()


@pytest.mark.parametrize("persona", ["mgmt_rep", "dept_manager", "qa", "employee", "auditor"])
def test_only_top_management_may_post_a_revision_decision(request, client_as, persona):
    revision = TargetRevisionFactory()
    client = client_as(request.getfixturevalue(persona))
    for name in ("objectives:target-revision-approve", "objectives:target-revision-reject"):
        response = client.post(reverse(name, args=[revision.pk]), {"password": PASSWORD, "decision_note": "x"})
        assert response.status_code == 403
    revision.refresh_from_db()
    assert revision.status == "proposed"


def test_only_those_who_may_edit_propose_revisions(client_as, employee, dept_manager, own_department):
    objective = ObjectiveFactory()
    url = reverse("objectives:target-revision-create", args=[objective.pk])
    assert client_as(employee).get(url).status_code == 403
    assert client_as(dept_manager).get(url).status_code == 403
    mine = ObjectiveFactory(department=own_department)
    assert client_as(dept_manager).get(reverse("objectives:target-revision-create", args=[mine.pk])).status_code == 200


def test_the_revision_list_filters_waiting_revisions(client_as, ceo):
    waiting = TargetRevisionFactory()
    decided = TargetRevisionFactory(status="rejected")
    response = client_as(ceo).get(reverse("objectives:target-revision-list"), {"status": "proposed"})
    assert list(response.context["object_list"]) == [waiting]
    assert decided not in response.context["object_list"]


# The cascade ---------------------------------------------------------------------------------------------


def test_a_parent_page_shows_its_children_and_grandchildren_with_their_health(client_as, employee):
    top = ObjectiveFactory(title="Company defects", department=None)
    child = ObjectiveFactory(title="Production scrap", parent=top, health=Objective.Health.OFF_TRACK)
    grandchild = ObjectiveFactory(title="Cell 3 scrap", parent=child, health=Objective.Health.ON_TRACK)
    great = ObjectiveFactory(title="Cell 3 night shift", parent=grandchild)
    text = client_as(employee).get(detail(top)).text
    for objective in (child, grandchild, great):
        assert objective.reference in text
    assert "Off track" in text
    assert "On track" in text
    child_page = client_as(employee).get(detail(child)).text
    assert top.reference in child_page  # the breadcrumb up the cascade


def test_the_department_page_lists_its_objectives_with_health(client_as, employee):
    department = DepartmentFactory(name="Production")
    ObjectiveFactory(department=department, title="Scrap down", health=Objective.Health.AT_RISK)
    ObjectiveFactory(title="Elsewhere")
    response = client_as(employee).get(reverse("objectives:department-objectives", args=[department.pk]))
    assert "Scrap down" in response.text
    assert "Elsewhere" not in response.text
    assert response.context["counts"]["at_risk"] == 1


def test_the_departments_overview_counts_health(client_as, employee):
    department = DepartmentFactory(name="Production")
    ObjectiveFactory.create_batch(2, department=department, health=Objective.Health.ON_TRACK)
    ObjectiveFactory(department=department, health=Objective.Health.OFF_TRACK)
    response = client_as(employee).get(reverse("objectives:objective-departments"))
    row = next(d for d in response.context["departments"] if d.pk == department.pk)
    assert (row.objectives_active, row.health_on_track, row.health_off_track) == (3, 2, 1)


def test_the_manager_page_shows_kpis_of_held_positions_and_owned_objectives(client_as, employee):
    manager = PersonFactory()
    position = PositionFactory(title="Production Manager")
    PositionHolderFactory(position=position, person=manager, start_date=datetime.date(2020, 1, 1))
    former = PositionFactory(title="Shift Leader")
    PositionHolderFactory(
        position=former, person=manager, start_date=datetime.date(2015, 1, 1), end_date=datetime.date(2019, 12, 31)
    )
    kpi = ObjectiveFactory(title="Scrap as a KPI")
    kpi.kpi_of_positions.add(position)
    old_kpi = ObjectiveFactory(title="Old shift KPI")
    old_kpi.kpi_of_positions.add(former)
    owned = ObjectiveFactory(title="Owned one", owner=manager)
    ActionPlanStepFactory(objective=owned, responsible=manager, what="Open step for the manager")

    response = client_as(employee).get(reverse("objectives:person-objectives", args=[manager.pk]))
    assert response.context["kpi_objectives"] == [kpi]
    assert response.context["owned_objectives"] == [owned]
    assert "KPI of Production Manager" in response.text
    assert "Old shift KPI" not in response.text
    assert "Open step for the manager" in response.text


def test_my_objectives_leads_to_my_own_page(client_as, dept_manager):
    response = client_as(dept_manager).get(reverse("objectives:my-objectives"))
    assert response.url == reverse("objectives:person-objectives", args=[dept_manager.person.pk])


# Query counts ---------------------------------------------------------------------------------------------


def grow_department(department, rows: int) -> None:
    parent = ObjectiveFactory(department=None)
    for i in range(rows):
        objective = ObjectiveFactory(department=department, parent=parent if i % 2 else None, plan_steps=i % 3)
        if i % 4 == 0:
            TargetRevisionFactory(objective=objective)


@pytest.mark.parametrize("rows", [4, 40])
def test_department_page_query_count_does_not_grow(client_as, employee, rows, django_assert_num_queries):
    department = DepartmentFactory(head=PersonFactory())
    grow_department(department, rows)
    client = client_as(employee)
    # session, user, permissions (user + group), the department (head and parent joined), its
    # objectives (owner, parent joined; plan and revision counts as subqueries), the health counts,
    # groups for the role badge.
    with django_assert_num_queries(8):
        assert client.get(reverse("objectives:department-objectives", args=[department.pk])).status_code == 200


@pytest.mark.parametrize("rows", [4, 40])
def test_manager_page_query_count_does_not_grow(client_as, employee, rows, django_assert_num_queries):
    manager = PersonFactory()
    position = PositionFactory()
    PositionHolderFactory(position=position, person=manager, start_date=datetime.date(2020, 1, 1))
    for i in range(rows):
        objective = ObjectiveFactory(owner=manager if i % 2 else PersonFactory())
        objective.kpi_of_positions.add(position)
        ActionPlanStepFactory(objective=objective, responsible=manager)
    client = client_as(employee)
    # session, user, permissions (user + group), the person, the positions held, the KPI objectives,
    # their positions, the owned objectives, the open plan steps, groups for the role badge.
    with django_assert_num_queries(11):
        assert client.get(reverse("objectives:person-objectives", args=[manager.pk])).status_code == 200


@pytest.mark.parametrize("rows", [4, 40])
def test_departments_overview_query_count_does_not_grow(client_as, employee, rows, django_assert_num_queries):
    for _ in range(rows // 4):
        grow_department(DepartmentFactory(head=PersonFactory()), 4)
    client = client_as(employee)
    # session, user, permissions (user + group), company-wide health counts, departments with their
    # counts, groups for the role badge.
    with django_assert_num_queries(7):
        assert client.get(reverse("objectives:objective-departments")).status_code == 200


@pytest.mark.parametrize("rows", [4, 60])
def test_revision_list_query_count_does_not_grow(client_as, ceo, rows, django_assert_num_queries):
    for _ in range(rows):
        TargetRevisionFactory()
    client = client_as(ceo)
    # session, user, permissions (user + group), count for pagination, the page of revisions
    # (objective, owner, department, proposer, decider, signature joined), the objective filter's
    # drop-down, groups for the role badge.
    with django_assert_num_queries(8):
        assert client.get(reverse("objectives:target-revision-list")).status_code == 200


def test_objective_page_query_count_does_not_grow_with_plan_cascade_or_revisions(client_as, ceo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def page_queries(rows: int) -> int:
        top = ObjectiveFactory(department=None, plan_steps=rows)
        for _ in range(rows):
            child = ObjectiveFactory(parent=top)
            ObjectiveFactory(parent=child)
            TargetRevisionFactory(objective=top, status="rejected")
        client = client_as(ceo)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(detail(top)).status_code == 200
        return len(queries)

    # The cascade costs one query per level, the plan, revisions and links one each: the same for
    # 2 rows as for 20. (Not pinned to a number: the measurements panel belongs to another area.)
    assert page_queries(2) == page_queries(20)


def test_the_suggested_dashboard_panel_renders_real_figures(rf, ceo):
    from django.template.loader import render_to_string

    from objectives.selectors.objectives import objective_dashboard

    off = ObjectiveFactory(health=Objective.Health.OFF_TRACK)
    ObjectiveFactory(health=Objective.Health.ON_TRACK)
    TargetRevisionFactory(objective=off)
    ActionPlanStepFactory(objective=off, responsible=ceo.person, due_date=datetime.date(2020, 1, 1))
    request = rf.get("/")
    request.user = ceo
    data = objective_dashboard(request)
    assert (data["counts"]["total"], data["counts"]["off_track"]) == (2, 1)
    assert (data["revisions_waiting"], data["my_steps_open"], data["my_steps_overdue"]) == (1, 1, 1)
    html = render_to_string("objectives/objectives/partials/_dashboard.html", {"data": data})
    assert "awaiting your decision" in html
    assert "1 overdue" in html
