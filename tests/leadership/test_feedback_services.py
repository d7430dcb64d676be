"""The employee quality feedback box: the rules, at the service layer."""

import datetime
import hashlib

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from leadership.models.commitment import CommitmentEntry
from leadership.models.feedback import EmployeeFeedback
from leadership.selectors import feedback as selectors
from leadership.services import feedback as services
from leadership.tasks.feedback import employee_feedback_notify_overdue_task
from qms.exceptions import ApplicationError
from qms.models import Notification
from tests.leadership.factories import PersonFactory
from tests.leadership.factories_feedback import EmployeeFeedbackFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def submit(actor, **overrides):
    data = {"kind": "problem", "title": "Coolant contamination on line 2", "description": "Oil film on the sump."}
    return services.employee_feedback_submit(actor=actor, **{**data, **overrides})


# Submitting -------------------------------------------------------------------------------------


@time_machine.travel(MONDAY)
def test_named_feedback_keeps_its_reporter_and_needs_no_code(employee):
    feedback, code = submit(employee)

    assert code is None
    assert feedback.reference == "EF-2026-001"
    assert feedback.reporter == employee.person
    assert feedback.status == EmployeeFeedback.Status.NEW
    assert feedback.followup_code_hash == ""
    assert feedback.history.get().history_user == employee


def test_anonymous_feedback_stores_no_reporter_anywhere(employee):
    feedback, code = submit(employee, anonymous=True)

    feedback.refresh_from_db()
    assert feedback.reporter is None
    assert feedback.history.get().history_user is None
    # Only the code's SHA-256 is kept, and not even that in the history.
    normalised = code.replace("-", "")
    assert feedback.followup_code_hash == hashlib.sha256(normalised.encode()).hexdigest()
    stored = [*EmployeeFeedback.objects.values().get().values(), *feedback.history.values().get().values()]
    assert employee.pk not in [v for v in stored if isinstance(v, int) and v != feedback.pk]
    assert not any(code in str(v) or normalised in str(v) or "employee" in str(v) for v in stored)
    assert "followup_code_hash" not in feedback.history.values().get()


def test_the_follow_up_code_finds_the_item_however_it_is_typed(employee):
    feedback, code = submit(employee, anonymous=True)

    assert selectors.employee_feedback_by_code(code) == feedback
    assert selectors.employee_feedback_by_code(f"  {code.lower().replace('-', ' ')} ") == feedback


@pytest.mark.parametrize("wrong", ["", "ABCD", "AAAA-BBBB-CCCC-DDDD-EEEE"])
def test_a_wrong_code_finds_nothing(employee, wrong):
    submit(employee, anonymous=True)

    assert selectors.employee_feedback_by_code(wrong) is None


def test_a_named_items_reporter_cannot_use_a_code_to_reach_it(employee):
    submit(employee)

    assert selectors.employee_feedback_by_code("") is None
    assert EmployeeFeedback.objects.filter(followup_code_hash="").count() == 1


def test_codes_differ_between_submissions(employee):
    codes = {submit(employee, anonymous=True, title=f"Item {i}")[1] for i in range(5)}

    assert len(codes) == 5


@pytest.mark.parametrize(("overrides", "field"), [({"title": ""}, "title"), ({"kind": "rant"}, "kind")])
def test_bad_input_names_the_field_and_saves_nothing(employee, overrides, field):
    with pytest.raises(ValidationError) as caught:
        submit(employee, **overrides)

    assert field in caught.value.message_dict
    assert not EmployeeFeedback.objects.exists()


def test_an_account_without_a_role_cannot_submit(outsider):
    with pytest.raises(PermissionDenied):
        submit(outsider)


# Answering --------------------------------------------------------------------------------------


def test_lifecycle_new_acknowledged_answered_closed(employee, dept_manager, django_capture_on_commit_callbacks):
    feedback, _ = submit(employee)

    services.employee_feedback_acknowledge(actor=dept_manager, feedback=feedback)
    with django_capture_on_commit_callbacks(execute=True):
        services.employee_feedback_answer(actor=dept_manager, feedback=feedback, answer="Sump cleaned; leak fixed.")
    services.employee_feedback_close(actor=dept_manager, feedback=feedback)

    feedback.refresh_from_db()
    assert feedback.status == EmployeeFeedback.Status.CLOSED
    assert (feedback.acknowledged_by, feedback.answered_by) == (dept_manager, dept_manager)
    assert feedback.closed_at is not None
    assert [h.history_user for h in feedback.history.order_by("history_id")] == [employee, *[dept_manager] * 3]
    # The reporter is told once that an answer is there.
    assert [m.to for m in mail.outbox] == [[employee.email]]
    assert services.employee_feedback_notify_answered(feedback_id=feedback.pk) is False


def test_an_answer_can_skip_acknowledgement(employee, mgmt_rep):
    feedback, _ = submit(employee)

    services.employee_feedback_answer(actor=mgmt_rep, feedback=feedback, answer="Done.")

    feedback.refresh_from_db()
    assert feedback.status == EmployeeFeedback.Status.ANSWERED


@pytest.mark.parametrize(
    ("status", "service"),
    [
        ("acknowledged", "employee_feedback_acknowledge"),
        ("answered", "employee_feedback_acknowledge"),
        ("answered", "employee_feedback_answer"),
        ("closed", "employee_feedback_answer"),
        ("new", "employee_feedback_close"),
        ("acknowledged", "employee_feedback_close"),
        ("closed", "employee_feedback_close"),
    ],
)
def test_wrong_state_is_refused(dept_manager, status, service):
    answered = status in ("answered", "closed")
    feedback = EmployeeFeedbackFactory(
        status=status, answer="Earlier answer" if answered else "", answered_at=MONDAY if answered else None
    )
    extra = {"answer": "Another answer"} if service == "employee_feedback_answer" else {}

    with pytest.raises(ApplicationError):
        getattr(services, service)(actor=dept_manager, feedback=feedback, **extra)

    feedback.refresh_from_db()
    assert feedback.status == status


def test_an_empty_answer_names_the_field_and_changes_nothing(employee, dept_manager):
    feedback, _ = submit(employee)

    with pytest.raises(ValidationError) as caught:
        services.employee_feedback_answer(actor=dept_manager, feedback=feedback, answer="   ")

    assert "answer" in caught.value.message_dict
    feedback.refresh_from_db()
    assert feedback.status == EmployeeFeedback.Status.NEW


@pytest.mark.parametrize("persona", ["qa", "auditor", "employee"])
@pytest.mark.parametrize("service", ["employee_feedback_acknowledge", "employee_feedback_close"])
def test_only_those_who_answer_feedback_handle_it(request, persona, service):
    feedback = EmployeeFeedbackFactory()

    with pytest.raises(PermissionDenied):
        getattr(services, service)(actor=request.getfixturevalue(persona), feedback=feedback)


@pytest.mark.parametrize("persona", ["qa", "auditor", "employee"])
def test_only_those_who_answer_feedback_answer_it(request, persona):
    feedback = EmployeeFeedbackFactory()

    with pytest.raises(PermissionDenied):
        services.employee_feedback_answer(actor=request.getfixturevalue(persona), feedback=feedback, answer="Hi")
    feedback.refresh_from_db()
    assert feedback.answer == ""


def test_a_top_managers_answer_is_logged_as_commitment_once(employee, ceo):
    feedback, _ = submit(employee, anonymous=True)

    services.employee_feedback_answer(actor=ceo, feedback=feedback, answer="We will fix it this week.")

    entry = CommitmentEntry.objects.get()
    assert (entry.person, entry.source, entry.source_record) == (ceo.person, "feedback-responded", feedback)
    assert entry.requirement_ids == ["5.1.1.h"]
    with pytest.raises(ApplicationError):
        services.employee_feedback_answer(actor=ceo, feedback=feedback, answer="Again")
    assert CommitmentEntry.objects.count() == 1


def test_a_department_managers_answer_is_not_a_top_management_commitment(employee, dept_manager):
    feedback, _ = submit(employee)

    services.employee_feedback_answer(actor=dept_manager, feedback=feedback, answer="Fixed.")

    assert not CommitmentEntry.objects.exists()


def test_anonymous_answers_send_no_e_mail(employee, dept_manager, django_capture_on_commit_callbacks):
    feedback, _ = submit(employee, anonymous=True)

    with django_capture_on_commit_callbacks(execute=True):
        services.employee_feedback_answer(actor=dept_manager, feedback=feedback, answer="Fixed.")

    assert mail.outbox == []


# Overdue ----------------------------------------------------------------------------------------


def test_unanswered_feedback_becomes_overdue_after_the_answer_days(employee, dept_manager):
    with time_machine.travel(MONDAY):
        feedback, _ = submit(employee)
        answered_in_time, _ = submit(employee, title="Answered in time")
    with time_machine.travel(MONDAY + datetime.timedelta(days=9)):
        services.employee_feedback_acknowledge(actor=dept_manager, feedback=feedback)
        services.employee_feedback_answer(actor=dept_manager, feedback=answered_in_time, answer="Done.")
        assert not selectors.employee_feedback_get(feedback.pk).overdue
    with time_machine.travel(MONDAY + datetime.timedelta(days=10, hours=1)):
        assert selectors.employee_feedback_get(feedback.pk).overdue
        assert selectors.employee_feedback_get(feedback.pk).is_overdue
        assert list(selectors.employee_feedback_overdue()) == [feedback]
        services.employee_feedback_answer(actor=dept_manager, feedback=feedback, answer="Late, sorry.")
        assert not selectors.employee_feedback_get(feedback.pk).overdue
        assert selectors.employee_feedback_get(feedback.pk).answered_late
        assert not selectors.employee_feedback_get(answered_in_time.pk).answered_late


def test_the_answer_days_come_from_the_setting(employee, settings):
    settings.CLAUSE5_FEEDBACK_ANSWER_DAYS = 3
    with time_machine.travel(MONDAY):
        feedback, _ = submit(employee)
    with time_machine.travel(MONDAY + datetime.timedelta(days=3, minutes=1)):
        assert selectors.employee_feedback_get(feedback.pk).overdue


def test_the_overdue_reminder_reaches_the_representatives_once_a_day(employee, mgmt_rep, ceo):
    second_rep = PersonFactory(roles=["Management representative"]).user
    with time_machine.travel(MONDAY):
        feedback, _ = submit(employee)
        submit(employee, title="Also unanswered", anonymous=True)
    with time_machine.travel(MONDAY + datetime.timedelta(days=12)):
        assert employee_feedback_notify_overdue_task.delay().get() == 2
        assert employee_feedback_notify_overdue_task.delay().get() == 0
        assert sorted(m.to[0] for m in mail.outbox) == sorted([mgmt_rep.email, second_rep.email])
        assert "2 employee feedback items" in mail.outbox[0].subject
        assert feedback.reference in mail.outbox[0].body
        assert "?overdue=true" in mail.outbox[0].body
    with time_machine.travel(MONDAY + datetime.timedelta(days=13)):
        assert employee_feedback_notify_overdue_task.delay().get() == 2
    assert Notification.objects.filter(kind="employee-feedback-overdue").count() == 4
    assert not Notification.objects.filter(recipient=ceo).exists()


def test_no_reminder_when_nothing_is_overdue(employee, mgmt_rep):
    with time_machine.travel(MONDAY):
        submit(employee)
    with time_machine.travel(MONDAY + datetime.timedelta(days=5)):
        assert employee_feedback_notify_overdue_task.delay().get() == 0
    assert mail.outbox == []
