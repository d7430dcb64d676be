"""The action register's services: create, update, start, complete, verify or reopen, and their rules."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from qms.exceptions import ApplicationError
from qms.models import Notification
from reviews.models.actions import Action
from reviews.services import actions as services
from tests.leadership.factories import PersonFactory
from tests.leadership.factories_customers import CustomerFeedbackFactory
from tests.objectives.factories_objectives import ObjectiveFactory
from tests.reviews.factories import ActionFactory, DecisionFactory
from tests.reviews.factories_actions import done_action

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _notified(user, kind) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=kind))


# Create -------------------------------------------------------------------------------------------


def test_create_allocates_a_reference_and_tells_the_owner(qa, django_capture_on_commit_callbacks):
    """A new action takes the next ACT reference of the year and its owner hears it is theirs, after commit."""
    owner = PersonFactory()
    feedback = CustomerFeedbackFactory()
    with django_capture_on_commit_callbacks(execute=True):
        action = services.action_create(
            actor=qa,
            source=Action.Source.CUSTOMER_FEEDBACK,
            source_record=feedback,
            title="  Deburr cross-drilled ports on valve bodies ",
            owner=owner,
            due_date=TODAY + datetime.timedelta(days=14),
        )
    assert action.reference == "ACT-2026-001"
    assert action.title == "Deburr cross-drilled ports on valve bodies"
    assert action.department == owner.department
    assert action.source_record == feedback
    assert action.history.first().history_user == qa
    assert [n.title for n in _notified(owner.user, "action-assigned")] == [
        "Action ACT-2026-001 is yours: Deburr cross-drilled ports on valve bodies"
    ]


def test_create_refuses_a_record_of_the_wrong_kind(qa):
    """The source names the kind of record; pointing at another kind is refused on `source`."""
    with pytest.raises(ValidationError) as exc:
        services.action_create(
            actor=qa,
            source=Action.Source.RISK,
            source_record=ObjectiveFactory(),
            title="Wrong link",
            owner=PersonFactory(),
            due_date=TODAY,
        )
    assert "source" in exc.value.message_dict
    assert not Action.objects.exists()


def test_create_refuses_an_inactive_owner(qa):
    owner = PersonFactory(user__is_active=False)
    with pytest.raises(ValidationError) as exc:
        services.action_create(
            actor=qa,
            source=Action.Source.MEETING_DECISION,
            source_record=DecisionFactory(),
            title="Check",
            owner=owner,
            due_date=TODAY,
        )
    assert "can no longer sign in" in exc.value.message_dict["owner"][0]


# Update -------------------------------------------------------------------------------------------


def test_update_changes_the_editable_fields_and_tells_a_new_owner(qa, django_capture_on_commit_callbacks):
    """Changing the owner notifies the new one; the actor is recorded in the history."""
    action = ActionFactory()
    new_owner = PersonFactory()
    with django_capture_on_commit_callbacks(execute=True):
        updated = services.action_update(
            actor=qa,
            action=action,
            title="Roster a second final inspector",
            owner=new_owner,
            priority=Action.Priority.HIGH,
            due_date=TODAY + datetime.timedelta(days=3),
        )
    assert (updated.title, updated.owner, updated.priority) == (
        "Roster a second final inspector",
        new_owner,
        Action.Priority.HIGH,
    )
    assert updated.history.first().history_user == qa
    assert len(_notified(new_owner.user, "action-assigned")) == 1


def test_update_with_a_new_due_date_restarts_the_escalation(qa):
    """Escalation is once per due date: a new date clears the mark so a new lapse escalates again."""
    action = ActionFactory(escalated_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC))
    services.action_update(actor=qa, action=action, due_date=TODAY + datetime.timedelta(days=10))
    action.refresh_from_db()
    assert action.escalated_at is None


def test_update_refuses_a_new_due_date_in_the_past(qa):
    action = ActionFactory()
    with pytest.raises(ValidationError) as exc:
        services.action_update(actor=qa, action=action, due_date=TODAY - datetime.timedelta(days=1))
    assert "in the past" in exc.value.message_dict["due_date"][0]


def test_update_refuses_done_and_verified_actions(qa):
    """What was done and verified is the record: it changes only through verification."""
    action = done_action()
    with pytest.raises(ApplicationError, match="is done, awaiting verification"):
        services.action_update(actor=qa, action=action, title="Rewritten")


@pytest.mark.parametrize("persona", ["employee", "auditor", "outsider"])
def test_update_needs_the_change_permission(request, persona):
    action = ActionFactory()
    with pytest.raises(PermissionDenied):
        services.action_update(actor=request.getfixturevalue(persona), action=action, title="Nope")


def test_update_refuses_unknown_fields(qa):
    with pytest.raises(ValueError, match="status"):
        services.action_update(actor=qa, action=ActionFactory(), status=Action.Status.VERIFIED)


# Start and complete -------------------------------------------------------------------------------


def test_the_owner_starts_and_completes_their_own_action_without_the_change_permission(employee):
    """Employees own actions too: the owner rule lets them move their own action along."""
    action = ActionFactory(owner=employee.person)
    services.action_start(actor=employee, action=action)
    done = services.action_complete(actor=employee, action=action, completion_note=" Fixture re-shimmed. ")
    assert done.status == Action.Status.DONE
    assert done.completion_note == "Fixture re-shimmed."
    assert done.completed_at is not None
    assert done.history.first().history_user == employee


def test_someone_who_keeps_the_register_may_start_another_owners_action(qa):
    action = services.action_start(actor=qa, action=ActionFactory())
    assert action.status == Action.Status.IN_PROGRESS


@pytest.mark.parametrize("persona", ["employee", "auditor", "outsider"])
def test_others_may_not_start_or_complete_someone_elses_action(request, persona):
    action = ActionFactory()
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied, match="owner"):
        services.action_start(actor=user, action=action)
    with pytest.raises(PermissionDenied):
        services.action_complete(actor=user, action=action, completion_note="Done")
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN


def test_an_owner_without_any_role_cannot_act(outsider):
    """The owner rule is for staff: an account with no role cannot even read the register."""
    action = ActionFactory(owner=outsider.person)
    with pytest.raises(PermissionDenied):
        services.action_start(actor=outsider, action=action)


def test_starting_twice_names_the_current_status(qa):
    action = services.action_start(actor=qa, action=ActionFactory())
    with pytest.raises(ApplicationError, match=rf"{action.reference} is in progress: only open or reopened"):
        services.action_start(actor=qa, action=action)


def test_an_open_action_may_be_completed_without_being_started(qa):
    action = services.action_complete(actor=qa, action=ActionFactory(), completion_note="Done on the spot.")
    assert action.status == Action.Status.DONE


def test_completing_needs_a_note_and_saves_nothing_without_it(qa):
    action = ActionFactory()
    with pytest.raises(ValidationError) as exc:
        services.action_complete(actor=qa, action=action, completion_note="   ")
    assert "Say what was done" in exc.value.message_dict["completion_note"][0]
    action.refresh_from_db()
    assert (action.status, action.completed_at) == (Action.Status.OPEN, None)


def test_completing_asks_the_owners_manager_to_verify(django_capture_on_commit_callbacks):
    manager = PersonFactory(roles=["Department manager"])
    owner = PersonFactory(manager=manager, roles=["Employee"])
    action = ActionFactory(owner=owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.action_complete(actor=owner.user, action=action, completion_note="Gauge R&R repeated.")
    assert [n.title for n in _notified(manager.user, "action-awaiting-verification")] == [
        f"Verify {action.reference}: {action.title}"
    ]


def test_completing_a_verified_action_is_refused(qa, ceo):
    action = services.action_verify(actor=ceo, action=done_action(), effective=True, note="Zero escapes since.")
    with pytest.raises(ApplicationError, match="is verified effective"):
        services.action_complete(actor=qa, action=action, completion_note="Again")


# Verify or reopen ---------------------------------------------------------------------------------


def test_verifying_effective_closes_the_action(dept_manager, django_capture_on_commit_callbacks):
    action = done_action()
    with django_capture_on_commit_callbacks(execute=True):
        verified = services.action_verify(
            actor=dept_manager, action=action, effective=True, note="  No burrs in 12 lots since.  "
        )
    assert verified.status == Action.Status.VERIFIED
    assert verified.verified_by == dept_manager.person
    assert verified.verified_at is not None
    assert verified.verification_note == "No burrs in 12 lots since."
    assert verified.history.first().history_user == dept_manager
    assert len(_notified(action.owner.user, "action-verified")) == 1


def test_not_effective_reopens_it_for_the_owner(qa, django_capture_on_commit_callbacks):
    action = done_action()
    with django_capture_on_commit_callbacks(execute=True):
        reopened = services.action_verify(
            actor=qa,
            action=action,
            effective=False,
            note="Two more burr complaints in lot 4471.",
            new_due_date=TODAY + datetime.timedelta(days=21),
        )
    assert reopened.status == Action.Status.REOPENED
    assert reopened.reopened_count == 1
    assert reopened.completed_at is None
    assert reopened.verified_by is None
    assert reopened.due_date == TODAY + datetime.timedelta(days=21)
    assert reopened.completion_note, "what was done the first time stays on record"
    assert [n.kind for n in _notified(action.owner.user, "action-reopened")] == ["action-reopened"]


def test_a_second_ineffective_verification_counts_again(qa):
    action = done_action()
    services.action_verify(actor=qa, action=action, effective=False, note="Not yet.")
    services.action_complete(actor=qa, action=action, completion_note="Second try: new deburr tool.")
    again = services.action_verify(actor=qa, action=action, effective=False, note="Still burrs.")
    assert again.reopened_count == 2


def test_the_owner_cannot_verify_their_own_action(qa):
    action = done_action(owner=qa.person)
    with pytest.raises(PermissionDenied, match="someone other than the owner"):
        services.action_verify(actor=qa, action=action, effective=True, note="Looks good to me")
    action.refresh_from_db()
    assert action.status == Action.Status.DONE


@pytest.mark.parametrize("persona", ["employee", "auditor", "outsider"])
def test_verifying_needs_the_verify_permission(request, persona):
    with pytest.raises(PermissionDenied, match="cannot verify"):
        services.action_verify(
            actor=request.getfixturevalue(persona), action=done_action(), effective=True, note="Fine"
        )


def test_verifying_needs_a_note(qa):
    with pytest.raises(ValidationError) as exc:
        services.action_verify(actor=qa, action=done_action(), effective=True, note="")
    assert "evidence" in exc.value.message_dict["note"][0]


@pytest.mark.parametrize("status", [Action.Status.OPEN, Action.Status.IN_PROGRESS, Action.Status.REOPENED])
def test_only_done_actions_are_verified(qa, status):
    action = ActionFactory(status=status)
    with pytest.raises(ApplicationError, match="only done actions can be verified"):
        services.action_verify(actor=qa, action=action, effective=True, note="Fine")


def test_a_new_due_date_is_only_for_reopening(qa):
    with pytest.raises(ValidationError) as exc:
        services.action_verify(
            actor=qa, action=done_action(), effective=True, note="Fine", new_due_date=TODAY + datetime.timedelta(1)
        )
    assert "new_due_date" in exc.value.message_dict


def test_full_lifecycle_open_to_verified_through_a_reopening(employee, dept_manager):
    """open -> in progress -> done -> reopened -> in progress -> done -> verified, each step in the history."""
    action = ActionFactory(owner=employee.person)
    services.action_start(actor=employee, action=action)
    services.action_complete(actor=employee, action=action, completion_note="Added a deburr step.")
    services.action_verify(actor=dept_manager, action=action, effective=False, note="One more escape.")
    services.action_start(actor=employee, action=action)
    services.action_complete(actor=employee, action=action, completion_note="Brush deburring on all ports.")
    final = services.action_verify(actor=dept_manager, action=action, effective=True, note="Clean for 3 months.")
    assert final.status == Action.Status.VERIFIED
    assert final.reopened_count == 1
    statuses = list(final.history.order_by("history_id").values_list("status", flat=True))
    assert statuses == ["open", "in-progress", "done", "reopened", "in-progress", "done", "verified"]
