"""Reminders and escalation of the action register, and the background notifications: sent once."""

import datetime

import pytest
import time_machine
from django.core import mail

from leadership.roles import Role
from qms.models import Notification
from reviews.models.actions import Action
from reviews.services import actions as services
from reviews.tasks.actions import action_notify_task, action_send_reminders_task
from tests.leadership.factories import DepartmentFactory, PersonFactory
from tests.reviews.factories import ActionFactory
from tests.reviews.factories_actions import done_action

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)  # a Tuesday, ISO week 2026-W11


@pytest.fixture(autouse=True)
def _today(settings):
    settings.CLAUSE5_ACTION_DUE_SOON_DAYS = 7
    settings.CLAUSE5_ACTION_ESCALATION_DAYS = 14
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        yield traveller


def kinds(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def test_due_soon_reminds_the_owner_once_per_due_date():
    soon = ActionFactory(due_date=days(7))
    later = ActionFactory(due_date=days(8))
    sent = services.action_send_reminders(today=TODAY)
    assert sent == {"due_soon": 1, "overdue": 0, "escalated": 0}
    assert kinds(soon.owner.user) == ["action-due-soon"]
    assert kinds(later.owner.user) == []
    note = Notification.objects.get(kind="action-due-soon")
    assert note.title == f"{soon.reference} is due in 7 days"
    assert note.url.endswith(soon.get_absolute_url())
    assert mail.outbox[-1].to == [soon.owner.user.email]
    # Three days on, only the later action comes into the window; the first is not reminded again.
    assert services.action_send_reminders(today=days(3)) == {"due_soon": 1, "overdue": 0, "escalated": 0}
    assert kinds(soon.owner.user) == ["action-due-soon"]
    assert kinds(later.owner.user) == ["action-due-soon"]


def test_a_new_due_date_gets_its_own_due_soon_reminder(qa):
    action = ActionFactory(due_date=days(5))
    services.action_send_reminders(today=TODAY)
    services.action_update(actor=qa, action=action, due_date=days(6))
    assert services.action_send_reminders(today=TODAY)["due_soon"] == 1


def test_overdue_reminds_the_owner_once_per_iso_week():
    action = ActionFactory(due_date=days(-2))
    assert services.action_send_reminders(today=TODAY)["overdue"] == 1
    assert services.action_send_reminders(today=days(1))["overdue"] == 0, "same week"
    assert services.action_send_reminders(today=days(6))["overdue"] == 1, "next ISO week"
    titles = list(Notification.objects.filter(kind="action-overdue").values_list("title", flat=True))
    assert f"{action.reference} is 2 days overdue" in titles


def test_done_verified_and_inactive_owners_get_no_reminder():
    done_action(due_date=days(-20))
    ActionFactory(due_date=days(-20), owner=PersonFactory(user__is_active=False))
    sent = services.action_send_reminders(today=TODAY)
    assert sent["due_soon"] == sent["overdue"] == 0


def test_escalation_goes_to_the_manager_and_the_representatives_once(mgmt_rep):
    manager = PersonFactory()
    owner = PersonFactory(manager=manager)
    action = ActionFactory(owner=owner, due_date=days(-14))
    sent = services.action_send_reminders(today=TODAY)
    assert sent == {"due_soon": 0, "overdue": 1, "escalated": 2}
    assert kinds(manager.user) == ["action-escalated"]
    assert kinds(mgmt_rep) == ["action-escalated"]
    action.refresh_from_db()
    assert action.escalated_at is not None
    escalation = Notification.objects.filter(kind="action-escalated").first()
    assert escalation.title == f"Escalation: {action.reference} is 14 days overdue"
    assert services.action_send_reminders(today=days(8))["escalated"] == 0, "once per action and due date"


def test_without_a_manager_the_department_head_is_told(mgmt_rep):
    head = PersonFactory()
    department = DepartmentFactory(head=head)
    owner = PersonFactory(department=department)
    ActionFactory(owner=owner, department=department, due_date=days(-30))
    services.action_send_reminders(today=TODAY)
    assert kinds(head.user) == ["action-escalated"]


def test_an_owner_who_is_the_head_is_not_escalated_to_themselves():
    owner = PersonFactory(roles=[Role.MANAGEMENT_REPRESENTATIVE])
    department = DepartmentFactory(head=owner)
    ActionFactory(owner=owner, department=department, due_date=days(-30))
    services.action_send_reminders(today=TODAY)
    assert kinds(owner.user) == ["action-overdue"]


def test_escalation_before_the_threshold_is_not_sent(mgmt_rep):
    ActionFactory(due_date=days(-13))
    assert services.action_send_reminders(today=TODAY)["escalated"] == 0


def test_an_escalation_claimed_elsewhere_is_not_sent_again(mgmt_rep):
    """A concurrent run that already claimed the escalation (escalated_at set) wins; this one sends nothing."""
    action = ActionFactory(due_date=days(-20))
    Action.objects.filter(pk=action.pk).update(escalated_at=datetime.datetime(2026, 3, 9, tzinfo=datetime.UTC))
    assert services.action_send_reminders(today=TODAY)["escalated"] == 0
    assert kinds(mgmt_rep) == []


def test_a_second_run_sends_nothing_and_reads_in_constant_queries(mgmt_rep, django_assert_num_queries):
    for n in range(30):
        ActionFactory(due_date=days((n % 40) - 25))
    first = services.action_send_reminders(today=TODAY)
    assert sum(first.values()) > 0
    # representatives, the batch of actions (people joined), what was sent for the batch, the empty next batch.
    with django_assert_num_queries(4):
        assert services.action_send_reminders(today=TODAY) == {"due_soon": 0, "overdue": 0, "escalated": 0}


def _first_run_queries(n: int) -> tuple[int, dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(n):
        ActionFactory(due_date=days((i % 40) - 25))
    with CaptureQueriesContext(connection) as queries:
        sent = services.action_send_reminders(today=TODAY)
    Notification.objects.all().delete()
    Action.objects.all().delete()
    return len(queries), sent


def test_a_first_run_costs_the_same_queries_for_3_or_30_actions(mgmt_rep):
    """Messages are inserted and e-mailed per batch, not one query (or four) per message."""
    small, sent_small = _first_run_queries(3)
    large, sent_large = _first_run_queries(30)
    assert sum(sent_large.values()) > sum(sent_small.values()) > 0
    assert sent_large["escalated"] > 0
    assert large == small


def test_batches_cover_every_action(monkeypatch):
    monkeypatch.setattr(services, "REMINDER_BATCH_SIZE", 4)
    actions = [ActionFactory(due_date=days(-1)) for _ in range(10)]
    assert services.action_send_reminders(today=TODAY)["overdue"] == 10
    assert all(kinds(a.owner.user) == ["action-overdue"] for a in actions)


def test_the_daily_task_runs_the_reminders():
    ActionFactory(due_date=days(1))
    assert action_send_reminders_task.delay().get() == {"due_soon": 1, "overdue": 0, "escalated": 0}
    assert action_send_reminders_task.delay().get() == {"due_soon": 0, "overdue": 0, "escalated": 0}


def test_lifecycle_messages_are_dispatched_after_commit(qa, django_capture_on_commit_callbacks):
    action = ActionFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        services.action_complete(actor=qa, action=action, completion_note="Done.")
    assert len(callbacks) == 1, "nothing is sent before the transaction commits"


def test_a_notification_task_sends_once():
    action = ActionFactory()
    assert action_notify_task.delay(action.pk, "assigned").get() is True
    assert action_notify_task.delay(action.pk, "assigned").get() is False


def test_a_notification_for_a_deleted_action_does_nothing():
    assert action_notify_task.delay(999, "reopened").get() is False
