"""Every periodic reminder, run twice or by two beat processes at once, reaches each person once.

The tasks are called by their Celery names, as beat sends them, so these tests hold whatever
each app does inside (one notify_once per message, or batched inserts): what counts is one
notification and one e-mail per person and reminder.
"""

import datetime
import importlib
import threading
from collections import Counter

import pytest
import time_machine
from django.core import mail
from django.db import connection

from leadership.roles import Role
from qms.celery import app as celery_app
from qms.models import Notification
from reviews.models.meetings import MeetingType
from tests.leadership.factories import DepartmentFactory, PersonFactory
from tests.leadership.factories_customers import assessed
from tests.leadership.factories_policy import published_version
from tests.leadership.factories_positions import PositionHolderFactory
from tests.objectives.factories_objectives import ObjectiveFactory
from tests.objectives.factories_risks import add_measurements
from tests.reviews.factories import ActionFactory
from tests.reviews.factories_calendar import meeting_with
from tests.reviews.factories_management_reviews import ReviewMeetingTypeFactory

UTC = datetime.UTC


def _policy(p):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=UTC), tick=False):
        published_version(author=p["mgmt_rep"], approver=p["ceo"])
    return datetime.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _positions(p):
    PositionHolderFactory(person=p["employee"].person)
    PositionHolderFactory(person=p["qa"].person)
    return datetime.datetime(2025, 6, 2, 8, 5, tzinfo=UTC)


def _customer_feedback(p):
    owner = PersonFactory(roles=[Role.DEPARTMENT_MANAGER])
    with time_machine.travel(datetime.date(2026, 3, 2), tick=False):
        assessed(p["qa"], owner=owner, severity="high", received_date=datetime.date(2026, 3, 2))
    return datetime.datetime(2026, 3, 9, 7, 0, tzinfo=UTC)


def _employee_feedback(p):
    from leadership.services.feedback import employee_feedback_submit

    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False):
        employee_feedback_submit(actor=p["employee"], kind="problem", title="Coolant on line 2", description="Oil.")
    return datetime.datetime(2026, 3, 14, 7, 5, tzinfo=UTC)


def _progress_check(p):
    head = PersonFactory()
    department = DepartmentFactory(head=head)
    objective = ObjectiveFactory(department=department, owner=PersonFactory(department=department))
    month = datetime.date(2025, 1, 1)
    values = {}
    while month <= datetime.date(2026, 1, 1):
        values[month.isoformat()] = "1.8"
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    add_measurements(objective, values)
    # February is missing: overdue to the owner, and past the escalation days to the head.
    return datetime.datetime(2026, 3, 11, 6, 30, tzinfo=UTC)


def _actions(p):
    today = datetime.date(2026, 3, 10)
    ActionFactory(due_date=today + datetime.timedelta(days=7))
    ActionFactory(due_date=today - datetime.timedelta(days=20))
    return datetime.datetime(2026, 3, 10, 6, 45, tzinfo=UTC)


def _meeting_invitations(p):
    now = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        meeting_with(p["employee"].person, p["qa"].person, planned_start=now + datetime.timedelta(days=3))
    return now


def _meeting_reminders(p):
    now = datetime.datetime(2026, 3, 10, 9, 10, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        meeting_with(p["employee"].person, planned_start=now + datetime.timedelta(hours=25))
    return now


def _management_review_overdue(p):
    ReviewMeetingTypeFactory(
        frequency=MeetingType.Frequency.YEARLY,
        first_occurrence=datetime.datetime(2025, 1, 15, 10, 0, tzinfo=UTC),
    )
    return datetime.datetime(2026, 2, 2, 7, 10, tzinfo=UTC)


# Every reminder task of CELERY_BEAT_SCHEDULE, with the data that makes it send something.
SCENARIOS = {
    "leadership.tasks.policy.policy_acknowledgement_remind_task": _policy,
    "leadership.tasks.positions.position_acknowledgement_remind_task": _positions,
    "leadership.tasks.customers.customer_feedback_notify_overdue_task": _customer_feedback,
    "leadership.tasks.feedback.employee_feedback_notify_overdue_task": _employee_feedback,
    "objectives.tasks.risks.progress_check_run_task": _progress_check,
    "reviews.tasks.actions.action_send_reminders_task": _actions,
    "reviews.tasks.calendar.meeting_send_invitations_task": _meeting_invitations,
    "reviews.tasks.calendar.meeting_send_reminders_task": _meeting_reminders,
    "reviews.tasks.management_reviews.management_review_notify_overdue_task": _management_review_overdue,
}
# Periodic tasks that send no reminder: they plan, mark, report or relay (each tested elsewhere).
NOT_REMINDERS = {
    "leadership.tasks.positions.management_representative_appointment_end_expired_task",
    "reviews.tasks.meetings.meeting_types_plan_task",
    "evidence.tasks.reports.weekly_report_task",
    "evidence.tasks.packs.evidence_pack_fail_stale_task",
    "qms.tasks.outbox_relay_task",
}


@pytest.fixture
def people(ceo, mgmt_rep, qa, employee):
    return {"ceo": ceo, "mgmt_rep": mgmt_rep, "qa": qa, "employee": employee}


def prepare(task_name, people, settings):
    """The scenario's data, with whatever its set-up sent forgotten; the moment to run the task."""
    settings.CLAUSE5_ACTION_DUE_SOON_DAYS = 7
    settings.CLAUSE5_ACTION_ESCALATION_DAYS = 14
    moment = SCENARIOS[task_name](people)
    Notification.objects.all().delete()
    mail.outbox.clear()
    return moment


def run(task_name):
    """Run a task as a worker would on beat's message (in this thread)."""
    # A worker imports every app's tasks at start-up; here the module of the name is enough.
    importlib.import_module(task_name.rpartition(".")[0])
    return celery_app.tasks[task_name].apply(throw=True).get()


def assert_each_person_got_each_reminder_once():
    notes = list(Notification.objects.select_related("recipient"))
    assert notes, "the scenario must make the task send something"
    keys = Counter((n.recipient_id, n.kind, n.subject_key, n.period) for n in notes)
    assert max(keys.values()) == 1
    emails = Counter((tuple(m.to), m.subject) for m in mail.outbox)
    expected = Counter(((n.recipient.email,), n.title) for n in notes if n.recipient.email)
    assert emails == expected
    assert all(n.emailed_at is not None for n in notes if n.recipient.email)


def test_every_periodic_task_is_either_a_tested_reminder_or_listed_as_none(settings):
    """A new periodic task must be added to SCENARIOS (or, if it reminds nobody, to NOT_REMINDERS)."""
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled == set(SCENARIOS) | NOT_REMINDERS


@pytest.mark.django_db
@pytest.mark.parametrize("task_name", SCENARIOS)
def test_a_reminder_task_run_twice_sends_each_reminder_once(task_name, people, settings):
    moment = prepare(task_name, people, settings)
    with time_machine.travel(moment, tick=False):
        run(task_name)
        sent = Notification.objects.count()
        run(task_name)
    assert Notification.objects.count() == sent
    assert_each_person_got_each_reminder_once()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("task_name", SCENARIOS)
def test_a_reminder_task_run_by_two_beats_at_once_sends_each_reminder_once(task_name, people, settings):
    """Two threads, each with its own database connection, start the task at the same moment."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    moment = prepare(task_name, people, settings)
    start = threading.Barrier(2)
    errors = []

    def beat():
        try:
            start.wait(timeout=10)
            run(task_name)
        except Exception as exc:  # reported below, with the task's name
            errors.append(exc)
        finally:
            connection.close()

    with time_machine.travel(moment, tick=False):
        threads = [threading.Thread(target=beat) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert errors == []
    assert_each_person_got_each_reminder_once()
