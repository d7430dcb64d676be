"""Background work of customer focus: telling the owner, and the reminder of overdue feedback."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from leadership.roles import Role
from leadership.services import customers as services
from leadership.tasks.customers import customer_feedback_notify_overdue_task, customer_feedback_notify_owner_task
from qms.models import Notification
from tests.leadership.factories import DepartmentFactory, PersonFactory
from tests.leadership.factories_customers import assessed, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return PersonFactory(user__username="owner", roles=[Role.DEPARTMENT_MANAGER])


def test_registering_a_complaint_tells_its_owner_once_after_commit(qa, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        feedback = register(qa, owner=owner)

    assert len(callbacks) == 1
    assert Notification.objects.filter(recipient=owner.user, kind="customer-feedback-assigned").count() == 1
    assert len(mail.outbox) == 1
    assert feedback.reference in mail.outbox[0].subject
    # A retry of the task sends nothing twice.
    assert customer_feedback_notify_owner_task.delay(feedback.pk).get() is False
    assert len(mail.outbox) == 1


def test_nothing_is_sent_when_the_registration_rolls_back(qa, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValidationError):
        register(qa, owner=owner, severity="")

    assert callbacks == []
    assert not mail.outbox


def test_compliments_and_self_registered_feedback_send_no_assignment(qa, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        register(qa, owner=owner, type="compliment", severity="")
        register(owner.user, owner=owner)

    assert callbacks == []


def test_changing_the_owner_tells_the_new_owner(qa, owner, django_capture_on_commit_callbacks):
    feedback = register(qa, owner=None, department=DepartmentFactory())

    with django_capture_on_commit_callbacks(execute=True):
        services.customer_feedback_update(actor=qa, feedback=feedback, owner=owner)

    assert Notification.objects.filter(recipient=owner.user, kind="customer-feedback-assigned").exists()


def test_overdue_reminder_goes_to_owner_and_management_representative_once_a_week(qa, mgmt_rep, owner):
    with time_machine.travel(datetime.date(2026, 3, 2), tick=False):
        # High: response due 7 March.
        feedback = assessed(qa, owner=owner, severity="high", received_date=datetime.date(2026, 3, 2))
    mail.outbox.clear()
    Notification.objects.all().delete()

    with time_machine.travel(datetime.date(2026, 3, 7), tick=False):
        assert customer_feedback_notify_overdue_task.delay().get() == 0
    with time_machine.travel(datetime.date(2026, 3, 9), tick=False):
        assert customer_feedback_notify_overdue_task.delay().get() == 2
        assert customer_feedback_notify_overdue_task.delay().get() == 0
    with time_machine.travel(datetime.date(2026, 3, 11), tick=False):
        assert customer_feedback_notify_overdue_task.delay().get() == 0
    with time_machine.travel(datetime.date(2026, 3, 16), tick=False):
        assert customer_feedback_notify_overdue_task.delay().get() == 2

    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"owner", "mgmt_rep"}
    assert all(f"{feedback.reference} is overdue for management's response" in m.subject for m in mail.outbox)


def test_no_reminder_once_the_response_is_recorded(qa, mgmt_rep, owner):
    with time_machine.travel(datetime.date(2026, 3, 2), tick=False):
        feedback = assessed(qa, owner=owner, severity="high", received_date=datetime.date(2026, 3, 2))
    with time_machine.travel(datetime.date(2026, 3, 5), tick=False):
        services.customer_feedback_respond(actor=mgmt_rep, feedback=feedback, response="Done.")
    Notification.objects.all().delete()

    with time_machine.travel(datetime.date(2026, 3, 9), tick=False):
        assert customer_feedback_notify_overdue_task.delay().get() == 0
    # High: 30 days to close, due 1 April.
    with time_machine.travel(datetime.date(2026, 4, 2), tick=False):
        assert customer_feedback_notify_overdue_task.delay().get() == 2
    assert set(Notification.objects.values_list("kind", flat=True)) == {"customer-feedback-close-overdue"}


@pytest.mark.parametrize("overdue", [1, 8])
def test_the_overdue_reminder_runs_the_same_queries_however_many_it_sends(
    qa, mgmt_rep, owner, overdue, django_assert_num_queries
):
    """Messages are inserted and e-mailed together, not one insert per message."""
    with time_machine.travel(datetime.date(2026, 3, 2), tick=False):
        for _ in range(overdue):
            assessed(qa, owner=owner, severity="high", received_date=datetime.date(2026, 3, 2))
    mail.outbox.clear()
    Notification.objects.all().delete()

    # representatives; overdue feedback with owners; one insert (in a savepoint); the e-mail stamps.
    with time_machine.travel(datetime.date(2026, 3, 9), tick=False), django_assert_num_queries(6):
        assert services.customer_feedback_notify_overdue() == 2 * overdue
    assert len(mail.outbox) == 2 * overdue
