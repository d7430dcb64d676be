"""Quality objectives, their plans and target revisions: the rules, at the service layer."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from leadership.models.commitment import CommitmentEntry
from objectives.models import ActionPlanStep, Objective, TargetRevision
from objectives.selectors import objectives as selectors
from objectives.services import objectives as services
from qms.exceptions import ApplicationError
from qms.models import Notification, Signature
from tests.conftest import PASSWORD
from tests.leadership.factories import DepartmentFactory, PersonFactory
from tests.leadership.factories_policy import PolicyVersionFactory
from tests.leadership.factories_positions import PositionFactory
from tests.objectives.factories_objectives import (
    ActionPlanStepFactory,
    ObjectiveFactory,
    TargetRevisionFactory,
    objective_input,
    step_input,
)

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)
D = Decimal


@pytest.fixture
def own_department(dept_manager):
    """The department the department manager heads."""
    department = dept_manager.person.department
    department.head = dept_manager.person
    department.save()
    return department


def draft(actor, **overrides) -> Objective:
    overrides.setdefault("owner", actor.person)
    return services.objective_create(actor=actor, **objective_input(**overrides))


def planned(actor, **overrides) -> Objective:
    objective = draft(actor, **overrides)
    services.action_plan_step_create(actor=actor, objective=objective, **step_input(actor.person))
    return objective


def active(actor, **overrides) -> Objective:
    return services.objective_activate(actor=actor, objective=planned(actor, **overrides))


# Creating and editing ----------------------------------------------------------------------------


@time_machine.travel(NOON)
def test_a_new_objective_is_a_draft_with_a_yearly_reference_citing_the_published_policy(mgmt_rep):
    PolicyVersionFactory(superseded=True, number=1)
    published = PolicyVersionFactory(published=True, number=2)
    PolicyVersionFactory(number=3)
    first = draft(mgmt_rep)
    second = draft(mgmt_rep, title="Second")

    assert (first.reference, second.reference) == ("OBJ-2026-001", "OBJ-2026-002")
    assert first.status == Objective.Status.DRAFT
    assert first.policy_version == published
    assert first.history.first().history_user == mgmt_rep


def test_a_given_reference_is_kept_and_must_be_unique(mgmt_rep):
    assert draft(mgmt_rep, reference="OBJ-C1").reference == "OBJ-C1"
    with pytest.raises(ValidationError) as exc:
        draft(mgmt_rep, reference="obj-c1")
    assert "reference" in exc.value.message_dict
    assert Objective.objects.count() == 1


def test_an_objective_cites_only_the_published_policy_version(mgmt_rep):
    draft_policy = PolicyVersionFactory(number=4)
    with pytest.raises(ValidationError) as exc:
        draft(mgmt_rep, policy_version=draft_policy)
    assert "version 4 is draft" in exc.value.message_dict["policy_version"][0]


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"direction": "band", "target": D("8"), "target_upper": D("6")}, "target_upper", "greater than the target"),
        ({"direction": "band", "target": D("6"), "target_upper": D("6")}, "target_upper", "greater than the target"),
        ({"direction": "lower", "target_upper": D("6")}, "target_upper", "Only a band"),
        ({"due_date": datetime.date(2024, 12, 31)}, "due_date", "after the start date"),
        ({"due_date": datetime.date(2025, 1, 1)}, "due_date", "after the start date"),
        ({"tolerance": D("-0.1")}, "tolerance", "cannot be negative"),
    ],
)
def test_bad_metric_values_are_refused_naming_the_field_and_nothing_is_saved(mgmt_rep, overrides, field, words):
    with pytest.raises(ValidationError) as exc:
        draft(mgmt_rep, **overrides)
    assert words in " ".join(exc.value.message_dict[field])
    assert not Objective.objects.exists()


def test_a_band_with_the_upper_limit_above_the_target_is_fine(mgmt_rep):
    objective = draft(mgmt_rep, direction="band", target=D("6"), target_upper=D("8"), tolerance=D("0.5"))
    assert objective.target_text == "6% to 8%"


def test_the_cascade_refuses_cycles_at_any_depth(mgmt_rep):
    top = draft(mgmt_rep, title="Top")
    middle = draft(mgmt_rep, title="Middle", parent=top)
    bottom = draft(mgmt_rep, title="Bottom", parent=middle)
    with pytest.raises(ValidationError) as exc:
        services.objective_update(actor=mgmt_rep, objective=top, parent=bottom)
    assert "itself or to one of its own sub-objectives" in exc.value.message_dict["parent"][0]
    top.refresh_from_db()
    assert top.parent is None


def test_an_objective_contributes_only_to_an_open_one(mgmt_rep):
    cancelled = ObjectiveFactory(status=Objective.Status.CANCELLED)
    with pytest.raises(ValidationError) as exc:
        draft(mgmt_rep, parent=cancelled)
    assert "cancelled" in exc.value.message_dict["parent"][0]


def test_kpi_positions_and_customer_requirements_are_linked_and_kept_in_the_history(mgmt_rep):
    from tests.leadership.factories_customers import CustomerRequirementFactory

    position = PositionFactory(title="Production Manager")
    requirement = CustomerRequirementFactory()
    objective = draft(mgmt_rep, kpi_of_positions=[position], customer_requirements=[requirement])

    assert list(objective.kpi_of_positions.all()) == [position]
    assert list(objective.customer_requirements.all()) == [requirement]
    services.objective_update(actor=mgmt_rep, objective=objective, kpi_of_positions=[])
    changes = [c for row in selectors_history(objective) for c in row["changes"]]
    assert any(field == "kpi of positions" and "Production Manager" in old for field, old, _new in changes)


def test_retired_positions_are_not_linked_anew_but_existing_links_survive_an_edit(mgmt_rep):
    retired = PositionFactory(is_active=False)
    objective = draft(mgmt_rep)
    with pytest.raises(ValidationError) as exc:
        services.objective_update(actor=mgmt_rep, objective=objective, kpi_of_positions=[retired])
    assert "No longer active" in exc.value.message_dict["kpi_of_positions"][0]
    objective.kpi_of_positions.add(retired)
    services.objective_update(actor=mgmt_rep, objective=objective, title="Renamed", kpi_of_positions=[retired])
    assert list(objective.kpi_of_positions.all()) == [retired]


def selectors_history(objective):
    from leadership.selectors.people import history_for

    return history_for(objective)


def test_a_draft_is_edited_freely(mgmt_rep):
    objective = draft(mgmt_rep)
    services.objective_update(
        actor=mgmt_rep, objective=objective, target=D("1.8"), due_date=datetime.date(2026, 12, 31)
    )
    objective.refresh_from_db()
    assert (objective.target, objective.due_date) == (D("1.8"), datetime.date(2026, 12, 31))


# Activation ---------------------------------------------------------------------------------------


def test_activation_lists_exactly_what_is_missing(mgmt_rep):
    objective = services.objective_create(
        actor=mgmt_rep, title="Fewer complaints", category="customer", owner=mgmt_rep.person
    )
    with pytest.raises(ValidationError) as exc:
        services.objective_activate(actor=mgmt_rep, objective=objective)
    assert set(exc.value.message_dict) == {
        "metric_name",
        "unit",
        "direction",
        "target",
        "frequency",
        "start_date",
        "due_date",
        "evaluation_method",
        "plan",
    }
    assert "at least one action plan step" in exc.value.message_dict["plan"][0]
    objective.refresh_from_db()
    assert objective.status == Objective.Status.DRAFT


def test_a_measurable_objective_without_a_plan_is_not_activated(mgmt_rep):
    objective = draft(mgmt_rep)
    with pytest.raises(ValidationError) as exc:
        services.objective_activate(actor=mgmt_rep, objective=objective)
    assert set(exc.value.message_dict) == {"plan"}


def test_a_band_needs_its_upper_limit_to_be_activated(mgmt_rep):
    objective = planned(mgmt_rep, direction="band", target=D("6"), tolerance=D("0.5"))
    with pytest.raises(ValidationError) as exc:
        services.objective_activate(actor=mgmt_rep, objective=objective)
    assert set(exc.value.message_dict) == {"target_upper"}


@time_machine.travel(NOON, tick=False)
def test_the_lifecycle_from_draft_to_active_to_achieved(mgmt_rep, ceo):
    objective = planned(mgmt_rep)
    activated = services.objective_activate(actor=mgmt_rep, objective=objective)
    assert activated.status == Objective.Status.ACTIVE
    assert activated.activated_at == NOON

    with pytest.raises(ApplicationError):
        services.objective_activate(actor=mgmt_rep, objective=activated)
    with pytest.raises(ValidationError) as exc:
        services.objective_close(actor=ceo, objective=activated, outcome="achieved", closing_note=" ")
    assert "closing note" in exc.value.message_dict["closing_note"][0]

    closed = services.objective_close(
        actor=ceo, objective=activated, outcome="achieved", closing_note="1.8% over the last six months."
    )
    assert (closed.status, closed.closed_at) == (Objective.Status.ACHIEVED, NOON)
    assert closed.history.first().history_user == ceo
    with pytest.raises(ApplicationError, match="closed objective"):
        services.objective_update(actor=mgmt_rep, objective=closed, title="Changed")
    with pytest.raises(ApplicationError):
        services.objective_cancel(actor=mgmt_rep, objective=closed, reason="Too late")


def test_closing_needs_an_active_objective_and_a_known_outcome(mgmt_rep):
    objective = planned(mgmt_rep)
    with pytest.raises(ApplicationError, match="only an active objective"):
        services.objective_close(actor=mgmt_rep, objective=objective, outcome="missed", closing_note="x")
    services.objective_activate(actor=mgmt_rep, objective=objective)
    with pytest.raises(ValidationError) as exc:
        services.objective_close(actor=mgmt_rep, objective=objective, outcome="cancelled", closing_note="x")
    assert "outcome" in exc.value.message_dict


def test_cancelling_needs_a_reason_which_is_kept(mgmt_rep):
    objective = active(mgmt_rep)
    with pytest.raises(ValidationError) as exc:
        services.objective_cancel(actor=mgmt_rep, objective=objective, reason="")
    assert "reason" in exc.value.message_dict
    cancelled = services.objective_cancel(actor=mgmt_rep, objective=objective, reason="Product line discontinued.")
    assert (cancelled.status, cancelled.closing_note) == ("cancelled", "Product line discontinued.")


def test_roles_without_the_activate_permission_cannot_activate_close_or_cancel(qa, mgmt_rep):
    objective = planned(mgmt_rep)
    for call in (
        lambda: services.objective_activate(actor=qa, objective=objective),
        lambda: services.objective_close(actor=qa, objective=objective, outcome="missed", closing_note="x"),
        lambda: services.objective_cancel(actor=qa, objective=objective, reason="x"),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_activation_tells_the_owner_head_and_plan_owners_once(mgmt_rep, django_capture_on_commit_callbacks):
    department = DepartmentFactory(head=PersonFactory())
    owner = PersonFactory(department=department)
    helper = PersonFactory(department=department)
    objective = draft(mgmt_rep, owner=owner, department=department)
    services.action_plan_step_create(actor=mgmt_rep, objective=objective, **step_input(helper))
    with django_capture_on_commit_callbacks(execute=True):
        services.objective_activate(actor=mgmt_rep, objective=objective)

    told = set(Notification.objects.filter(kind="objective-activated").values_list("recipient__username", flat=True))
    assert told == {owner.user.username, helper.user.username, department.head.user.username}
    assert services.objective_notify_activated(objective_id=objective.pk) == 0
    assert len(mail.outbox) == 3


# Changes after activation: only by target revision ------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("target", D("1.5")),
        ("tolerance", D("0.2")),
        ("due_date", datetime.date(2026, 12, 31)),
        ("target_upper", D("9")),
    ],
)
def test_an_active_objectives_target_changes_only_through_a_revision(mgmt_rep, field, value):
    objective = active(mgmt_rep)
    with pytest.raises(ApplicationError, match="only through a target revision") as exc:
        services.objective_update(actor=mgmt_rep, objective=objective, **{field: value})
    assert exc.value.extra == {"fields": [field]}
    objective.refresh_from_db()
    assert (objective.target, objective.tolerance, objective.due_date) == (
        D("2.0"),
        D("0.3"),
        datetime.date(2026, 6, 30),
    )


def test_other_fields_of_an_active_objective_stay_editable(mgmt_rep):
    objective = active(mgmt_rep)
    services.objective_update(
        actor=mgmt_rep,
        objective=objective,
        title="Defective product rate at most 2%",
        evaluation_method="Reviewed monthly.",
        target=D("2.0000"),  # unchanged values are not a change
        due_date=datetime.date(2026, 6, 30),
    )
    objective.refresh_from_db()
    assert objective.title == "Defective product rate at most 2%"


def test_an_active_objective_must_stay_measurable(mgmt_rep):
    objective = active(mgmt_rep)
    with pytest.raises(ValidationError) as exc:
        services.objective_update(actor=mgmt_rep, objective=objective, metric_name="")
    assert "must stay measurable" in exc.value.message_dict["metric_name"][0]


# Target revisions ---------------------------------------------------------------------------------


def propose(actor, objective, **overrides) -> TargetRevision:
    data = {
        "reason": "New automated line 2: defect target from 2% to 1.5%",
        "effective_from": datetime.date(2025, 7, 1),
        "new_target": D("1.5"),
        **overrides,
    }
    return services.target_revision_propose(actor=actor, objective=objective, **data)


def test_approving_a_revision_applies_the_new_values_and_keeps_the_old_ones(mgmt_rep, ceo):
    objective = active(mgmt_rep)
    revision = propose(mgmt_rep, objective, new_tolerance=D("0.2"), new_due_date=datetime.date(2026, 12, 31))
    assert (revision.old_target, revision.new_target) == (D("2.0"), D("1.5"))

    approved = services.target_revision_approve(
        actor=ceo, revision=revision, password=PASSWORD, decision_note="Line 2 is capable."
    )

    objective.refresh_from_db()
    assert (objective.target, objective.tolerance, objective.due_date) == (
        D("1.5"),
        D("0.2"),
        datetime.date(2026, 12, 31),
    )
    approved.refresh_from_db()
    assert approved.status == TargetRevision.Status.APPROVED
    assert (approved.old_target, approved.old_tolerance, approved.old_due_date) == (
        D("2.0"),
        D("0.3"),
        datetime.date(2026, 6, 30),
    )
    assert (approved.decided_by, approved.decision_note) == (ceo, "Line 2 is capable.")
    assert approved.signature.meaning == "approved"
    assert selectors.target_revision_signature_intact(selectors.target_revision_get(approved.pk)) is True
    assert objective.history.first().history_user == ceo
    # Top management deciding on a target is logged as leadership commitment (5.1.1.b, 5.1.1.g).
    assert CommitmentEntry.objects.get().source == CommitmentEntry.Source.TARGET_REVISED


def test_rejecting_needs_a_note_and_keeps_the_objective_as_it_was(mgmt_rep, ceo):
    objective = active(mgmt_rep)
    revision = propose(mgmt_rep, objective)
    with pytest.raises(ValidationError) as exc:
        services.target_revision_reject(actor=ceo, revision=revision, password=PASSWORD, decision_note="")
    assert "decision_note" in exc.value.message_dict

    services.target_revision_reject(actor=ceo, revision=revision, password=PASSWORD, decision_note="Not yet proven.")
    revision.refresh_from_db()
    objective.refresh_from_db()
    assert (revision.status, revision.signature.meaning) == ("rejected", "rejected")
    assert objective.target == D("2.0")


@pytest.mark.parametrize("persona", ["mgmt_rep", "dept_manager", "qa", "auditor"])
def test_only_top_management_approves_revisions(request, mgmt_rep, persona):
    revision = propose(mgmt_rep, active(mgmt_rep))
    with pytest.raises(PermissionDenied, match="Only top management"):
        services.target_revision_approve(actor=request.getfixturevalue(persona), revision=revision, password=PASSWORD)
    revision.refresh_from_db()
    assert revision.status == TargetRevision.Status.PROPOSED


def test_a_wrong_password_signs_nothing_and_changes_nothing(mgmt_rep, ceo):
    objective = active(mgmt_rep)
    revision = propose(mgmt_rep, objective)
    with pytest.raises(ValidationError) as exc:
        services.target_revision_approve(actor=ceo, revision=revision, password="wrong")
    assert "password" in exc.value.message_dict
    revision.refresh_from_db()
    objective.refresh_from_db()
    assert (revision.status, objective.target) == ("proposed", D("2.0"))
    assert not Signature.objects.exists()


def test_top_management_does_not_approve_its_own_proposal(ceo):
    objective = active(ceo)
    revision = propose(ceo, objective)
    with pytest.raises(PermissionDenied, match="another member of top management"):
        services.target_revision_approve(actor=ceo, revision=revision, password=PASSWORD)


def test_a_decided_revision_is_not_decided_again(mgmt_rep, ceo):
    revision = propose(mgmt_rep, active(mgmt_rep))
    services.target_revision_approve(actor=ceo, revision=revision, password=PASSWORD)
    with pytest.raises(ApplicationError, match="already approved"):
        services.target_revision_reject(actor=ceo, revision=revision, password=PASSWORD, decision_note="No")


def test_revisions_are_proposed_one_at_a_time_and_only_for_active_objectives(mgmt_rep):
    with pytest.raises(ApplicationError, match="A draft is edited directly"):
        propose(mgmt_rep, draft(mgmt_rep))
    objective = active(mgmt_rep)
    propose(mgmt_rep, objective)
    with pytest.raises(ApplicationError, match="waiting for a decision"):
        propose(mgmt_rep, objective, new_target=D("1.2"))
    with pytest.raises(ApplicationError, match="waiting for a decision"):
        services.objective_close(actor=mgmt_rep, objective=objective, outcome="achieved", closing_note="Done")


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"reason": " "}, "reason", "Give the reason"),
        ({"effective_from": datetime.date(2024, 12, 1)}, "effective_from", "on or after the objective's start"),
        ({"effective_from": datetime.date(2026, 7, 1)}, "effective_from", "on or before the due date"),
        ({"new_tolerance": D("-1")}, "new_tolerance", "cannot be negative"),
        ({"new_target_upper": D("3")}, "new_target_upper", "Only a band"),
        ({"new_due_date": datetime.date(2024, 6, 30)}, "new_due_date", "after the start date"),
        ({"new_target": D("2.0")}, None, "changes nothing"),
    ],
)
def test_bad_proposals_are_refused_naming_the_field(mgmt_rep, overrides, field, words):
    objective = active(mgmt_rep)
    with pytest.raises(ValidationError) as exc:
        propose(mgmt_rep, objective, **overrides)
    messages = exc.value.message_dict[field] if field else exc.value.messages
    assert words in " ".join(messages)
    assert not TargetRevision.objects.exists()


def test_a_revision_cannot_take_effect_before_an_approved_one(mgmt_rep, ceo):
    objective = active(mgmt_rep)
    services.target_revision_approve(actor=ceo, revision=propose(mgmt_rep, objective), password=PASSWORD)
    with pytest.raises(ValidationError) as exc:
        propose(mgmt_rep, objective, new_target=D("1.2"), effective_from=datetime.date(2025, 6, 1))
    assert "already approved" in exc.value.message_dict["effective_from"][0]


def test_proposal_and_decision_are_notified_once(mgmt_rep, ceo, django_capture_on_commit_callbacks):
    objective = active(mgmt_rep)
    with django_capture_on_commit_callbacks(execute=True):
        revision = propose(mgmt_rep, objective)
    assert list(Notification.objects.filter(kind="target-revision-proposed").values_list("recipient", flat=True)) == [
        ceo.pk
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.target_revision_approve(actor=ceo, revision=revision, password=PASSWORD)
    assert Notification.objects.get(kind="target-revision-decided").recipient == mgmt_rep
    assert services.target_revision_notify_approvers(revision_id=revision.pk) == 0
    assert services.target_revision_notify_decision(revision_id=revision.pk) is False


# Targets in force ---------------------------------------------------------------------------------


def test_targets_in_force_steps_from_the_start_date_through_approved_revisions(mgmt_rep, ceo):
    objective = active(mgmt_rep)  # starts 1 Jan 2025 at 2.0 (tolerance 0.3)
    assert selectors.targets_in_force(objective) == [(datetime.date(2025, 1, 1), D("2.0"), None, D("0.3"))]

    first = propose(mgmt_rep, objective, effective_from=datetime.date(2025, 7, 1), new_target=D("1.5"))
    services.target_revision_approve(actor=ceo, revision=first, password=PASSWORD)
    rejected = propose(mgmt_rep, objective, effective_from=datetime.date(2025, 9, 1), new_target=D("1.0"))
    services.target_revision_reject(actor=ceo, revision=rejected, password=PASSWORD, decision_note="Too early.")
    second = propose(
        mgmt_rep, objective, effective_from=datetime.date(2026, 1, 1), new_target=D("1.2"), new_tolerance=D("0.2")
    )
    services.target_revision_approve(actor=ceo, revision=second, password=PASSWORD)

    steps = selectors.targets_in_force(Objective.objects.get(pk=objective.pk))
    assert steps == [
        (datetime.date(2025, 1, 1), D("2.0"), None, D("0.3")),
        (datetime.date(2025, 7, 1), D("1.5"), None, D("0.3")),
        (datetime.date(2026, 1, 1), D("1.2"), None, D("0.2")),
    ]
    assert selectors.target_as_of(objective, datetime.date(2024, 12, 31)) is None
    assert selectors.target_as_of(objective, datetime.date(2025, 6, 30))[1] == D("2.0")
    assert selectors.target_as_of(objective, datetime.date(2025, 7, 1))[1] == D("1.5")
    assert selectors.target_as_of(objective, datetime.date(2025, 12, 31))[1] == D("1.5")
    assert selectors.target_as_of(objective, datetime.date(2026, 6, 30))[1:] == (D("1.2"), None, D("0.2"))
    # The page's prefetched revisions give the same steps without a query of their own.
    assert selectors.targets_in_force(selectors.objective_get(objective.pk)) == steps


def test_a_revision_effective_on_the_start_date_replaces_the_first_step(mgmt_rep, ceo):
    objective = active(mgmt_rep, direction="band", target=D("6"), target_upper=D("8"), tolerance=D("0.5"))
    revision = propose(
        mgmt_rep, objective, effective_from=datetime.date(2025, 1, 1), new_target=D("6.5"), new_target_upper=D("7.5")
    )
    services.target_revision_approve(actor=ceo, revision=revision, password=PASSWORD)
    assert selectors.targets_in_force(objective) == [(datetime.date(2025, 1, 1), D("6.5"), D("7.5"), D("0.5"))]


def test_targets_in_force_is_empty_without_a_start_date():
    assert selectors.targets_in_force(ObjectiveFactory(draft=True, start_date=None)) == []


def test_targets_in_force_reads_approved_revisions_only():
    objective = ObjectiveFactory()
    TargetRevisionFactory(objective=objective)  # proposed
    assert selectors.targets_in_force(objective) == [(datetime.date(2025, 1, 1), D("2.0"), None, D("0.3"))]


# Department managers: their own department, or objectives they own ---------------------------------


def test_a_department_manager_manages_objectives_of_the_department_they_head(dept_manager, own_department):
    objective = active(dept_manager, department=own_department)
    services.objective_update(actor=dept_manager, objective=objective, title="Changed")
    propose(dept_manager, objective)
    services.action_plan_step_create(actor=dept_manager, objective=objective, **step_input(dept_manager.person))


def test_a_department_manager_cannot_create_for_another_department(dept_manager, own_department):
    other = DepartmentFactory(head=PersonFactory())
    with pytest.raises(PermissionDenied, match="department you head"):
        draft(dept_manager, department=other, owner=other.head)
    assert not Objective.objects.exists()


def test_a_department_manager_cannot_touch_another_departments_objective(dept_manager, own_department):
    other = ObjectiveFactory(draft=True, plan_steps=1)
    for call in (
        lambda: services.objective_update(actor=dept_manager, objective=other, title="Mine now"),
        lambda: services.objective_activate(actor=dept_manager, objective=other),
        lambda: services.objective_cancel(actor=dept_manager, objective=other, reason="Not needed"),
        lambda: services.action_plan_step_create(
            actor=dept_manager, objective=other, **step_input(dept_manager.person)
        ),
        lambda: services.action_plan_step_mark_done(actor=dept_manager, step=other.plan_steps.get()),
    ):
        with pytest.raises(PermissionDenied):
            call()
    with pytest.raises(PermissionDenied):
        propose(dept_manager, ObjectiveFactory())
    other.refresh_from_db()
    assert (other.title, other.status) != ("Mine now", "active")


def test_a_department_manager_manages_an_objective_they_own_elsewhere(dept_manager, own_department):
    objective = ObjectiveFactory(owner=dept_manager.person)
    services.objective_update(actor=dept_manager, objective=objective, description="Owned, so editable.")
    with pytest.raises(PermissionDenied, match="keep it as its owner"):
        services.objective_update(actor=dept_manager, objective=objective, owner=PersonFactory())


def test_a_department_manager_cannot_give_an_objective_away_to_another_department(dept_manager, own_department):
    objective = draft(dept_manager, department=own_department, owner=PersonFactory(department=own_department))
    with pytest.raises(PermissionDenied):
        services.objective_update(actor=dept_manager, objective=objective, department=DepartmentFactory())


def test_the_management_representative_manages_every_department(mgmt_rep):
    objective = ObjectiveFactory(draft=True, plan_steps=1)
    services.objective_activate(actor=mgmt_rep, objective=objective)


# Action plan --------------------------------------------------------------------------------------


@time_machine.travel(NOON)
def test_plan_steps_are_numbered_and_marking_one_done_stamps_today(mgmt_rep):
    objective = active(mgmt_rep)
    second = services.action_plan_step_create(actor=mgmt_rep, objective=objective, **step_input(mgmt_rep.person))
    assert second.order == 2
    done = services.action_plan_step_mark_done(actor=mgmt_rep, step=second)
    assert (done.status, done.done_at) == ("done", datetime.date(2026, 3, 2))
    reopened = services.action_plan_step_update(actor=mgmt_rep, step=done, status=ActionPlanStep.Status.IN_PROGRESS)
    assert reopened.done_at is None


@time_machine.travel(NOON)
def test_a_step_cannot_be_done_in_the_future(mgmt_rep):
    step = ActionPlanStepFactory()
    with pytest.raises(ValidationError) as exc:
        services.action_plan_step_mark_done(actor=mgmt_rep, step=step, done_at=datetime.date(2026, 3, 3))
    assert "future" in exc.value.message_dict["done_at"][0]


def test_a_step_needs_what_and_resources(mgmt_rep):
    objective = draft(mgmt_rep)
    with pytest.raises(ValidationError) as exc:
        services.action_plan_step_create(
            actor=mgmt_rep, objective=objective, **step_input(mgmt_rep.person, what=" ", resources="")
        )
    assert {"what", "resources"} <= set(exc.value.message_dict)


def test_the_plan_of_a_closed_objective_is_frozen(mgmt_rep):
    objective = ObjectiveFactory(status=Objective.Status.ACHIEVED, plan_steps=1)
    with pytest.raises(ApplicationError, match="closed objective"):
        services.action_plan_step_create(actor=mgmt_rep, objective=objective, **step_input(mgmt_rep.person))
    with pytest.raises(ApplicationError):
        services.action_plan_step_mark_done(actor=mgmt_rep, step=objective.plan_steps.get())
