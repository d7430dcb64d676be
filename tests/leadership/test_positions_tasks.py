"""Background work of positions: acknowledgement requests and reminders, and the end of appointments."""

import datetime

import pytest
import time_machine
from django.core import mail

from leadership.models.positions import ManagementRepresentativeAppointment
from leadership.services import positions as services
from leadership.tasks.positions import (
    management_representative_appointment_end_expired_task,
    position_acknowledgement_remind_task,
    position_request_acknowledgements_task,
)
from qms.models import Notification
from tests.conftest import PASSWORD
from tests.leadership.factories import PersonFactory
from tests.leadership.factories_positions import (
    ManagementRepresentativeAppointmentFactory,
    PositionAcknowledgementFactory,
    PositionFactory,
    PositionHolderFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
MONDAY = datetime.datetime(2025, 6, 2, 7, 0, tzinfo=datetime.UTC)


def _reminders():
    return Notification.objects.filter(kind=services.KIND_ACKNOWLEDGEMENT_REMINDER)


# Asking for an acknowledgement ---------------------------------------------------------------------


def test_a_new_revision_asks_the_holders_once_after_commit(mgmt_rep, django_capture_on_commit_callbacks):
    position = PositionFactory(title="Production Manager")
    tom, grace = PositionHolderFactory.create_batch(2, position=position)
    PositionHolderFactory(position=position, start_date=D(2010, 1, 1), end_date=D(2012, 1, 1))  # left long ago

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.position_update(actor=mgmt_rep, position=position, authorities="May authorise overtime")

    assert len(callbacks) == 1
    requests = Notification.objects.filter(kind=services.KIND_ACKNOWLEDGEMENT_REQUEST)
    assert {n.recipient for n in requests} == {tom.person.user, grace.person.user}
    assert requests.first().period == "r2"
    assert "Production Manager (revision 2)" in mail.outbox[0].subject
    assert "/positions/mine/" in mail.outbox[0].body
    # A retry of the task sends nothing twice.
    assert position_request_acknowledgements_task(position.pk) == 0


def test_a_change_that_is_not_a_new_revision_asks_nobody(mgmt_rep, django_capture_on_commit_callbacks):
    holder = PositionHolderFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.position_update(actor=mgmt_rep, position=holder.position, title="Renamed")

    assert callbacks == []
    assert not Notification.objects.exists()


def test_a_new_holder_is_asked_to_acknowledge(mgmt_rep, django_capture_on_commit_callbacks):
    position, person = PositionFactory(), PersonFactory()

    with django_capture_on_commit_callbacks(execute=True):
        services.position_holder_assign(actor=mgmt_rep, position=position, person=person, start_date=D(2024, 1, 1))

    assert Notification.objects.get().recipient == person.user


def test_nothing_is_sent_when_the_transaction_rolls_back(mgmt_rep, django_capture_on_commit_callbacks):
    holder = PositionHolderFactory()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.position_update(actor=mgmt_rep, position=holder.position, authorities="Changed")

    # The callback only runs on commit; not running it is what a rollback does.
    assert len(callbacks) == 1
    assert not Notification.objects.exists()


# The weekly reminder -------------------------------------------------------------------------------


@time_machine.travel(MONDAY)
def test_weekly_reminder_goes_to_holders_who_have_not_acknowledged_the_current_revision():
    pending = PositionHolderFactory(position__title="Production Manager")
    done = PositionHolderFactory()
    PositionAcknowledgementFactory(position=done.position, person=done.person)
    PositionHolderFactory(end_date=D(2025, 5, 31))  # no longer holds it
    PositionHolderFactory(start_date=D(2025, 7, 1))  # does not hold it yet
    PositionHolderFactory(position__is_active=False)
    PositionHolderFactory(person__user__is_active=False)

    sent = position_acknowledgement_remind_task()

    assert sent == 1
    reminder = _reminders().get()
    assert reminder.recipient == pending.person.user
    assert reminder.period == "2025-W23"
    assert reminder.subject_key == f"leadership.position:{pending.position.pk}:r1"
    assert "acknowledge revision 1 of your position Production Manager" in reminder.title


def test_weekly_reminder_is_idempotent_within_a_week_and_repeats_the_next():
    PositionHolderFactory()

    with time_machine.travel(MONDAY):
        assert position_acknowledgement_remind_task() == 1
        assert position_acknowledgement_remind_task() == 0
    with time_machine.travel(MONDAY + datetime.timedelta(days=3)):
        assert position_acknowledgement_remind_task() == 0
    with time_machine.travel(MONDAY + datetime.timedelta(days=7)):
        assert position_acknowledgement_remind_task() == 1

    assert list(_reminders().order_by("period").values_list("period", flat=True)) == ["2025-W23", "2025-W24"]
    assert len(mail.outbox) == 2


@time_machine.travel(MONDAY)
def test_reminder_stops_once_acknowledged_and_restarts_after_a_new_revision(mgmt_rep, employee):
    holder = PositionHolderFactory(person=employee.person)
    services.position_acknowledge(actor=employee, position=holder.position, revision=1)

    assert position_acknowledgement_remind_task() == 0
    services.position_update(actor=mgmt_rep, position=holder.position, responsibilities="A new duty")
    assert position_acknowledgement_remind_task() == 1
    assert _reminders().get().subject_key.endswith(":r2")


# Appointments that reach their end date -----------------------------------------------------------------


def test_appointment_ends_the_day_after_its_end_date(ceo, mgmt_rep):
    appointment = ManagementRepresentativeAppointmentFactory(
        person=mgmt_rep.person, start_date=D(2024, 1, 1), end_date=D(2099, 12, 31)
    )
    services.management_representative_appointment_sign(actor=ceo, appointment=appointment, password=PASSWORD)

    with time_machine.travel(datetime.datetime(2099, 12, 31, 12, 0, tzinfo=datetime.UTC)):
        assert management_representative_appointment_end_expired_task() == 0
    with time_machine.travel(datetime.datetime(2100, 1, 1, 12, 0, tzinfo=datetime.UTC)):
        assert management_representative_appointment_end_expired_task() == 1
        assert management_representative_appointment_end_expired_task() == 0

    appointment.refresh_from_db()
    assert appointment.status == ManagementRepresentativeAppointment.Status.ENDED
    assert appointment.history.first().history_type == "~"
