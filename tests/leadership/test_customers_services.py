"""Rules of customer feedback, requirements, targets and order volumes, checked at the service layer."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from leadership.models.commitment import CommitmentEntry
from leadership.models.customers import Customer, CustomerFeedback, OrderVolume, ResponseTarget
from leadership.selectors import customers as selectors
from leadership.services import customers as services
from qms.exceptions import ApplicationError
from tests.leadership.factories import DepartmentFactory, PersonFactory
from tests.leadership.factories_customers import CustomerFeedbackFactory, assessed, register, responded

pytestmark = pytest.mark.django_db

Type = CustomerFeedback.Type
Status = CustomerFeedback.Status
TODAY = datetime.date(2026, 3, 16)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 16, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


# The lifecycle --------------------------------------------------------------------------------


def test_complaint_goes_from_new_to_assessed_to_responded_to_closed(qa, dept_manager):
    feedback = register(qa, received_date=datetime.date(2026, 3, 10))
    assert feedback.status == Status.NEW
    assert feedback.reference == "CF-2026-0001"

    feedback = services.customer_feedback_assess(
        actor=qa, feedback=feedback, assessment_note="Burrs confirmed.", root_cause="Deburring skipped."
    )
    assert (feedback.status, feedback.assessed_by, feedback.assessed_on) == (Status.ASSESSED, qa, TODAY)

    feedback = services.customer_feedback_respond(
        actor=dept_manager, feedback=feedback, response="Second deburring station.", responded_on=TODAY
    )
    assert (feedback.status, feedback.responded_by) == (Status.RESPONDED, dept_manager)

    feedback = services.customer_feedback_close(
        actor=qa, feedback=feedback, effectiveness_check="Ten lots inspected, no burrs."
    )
    assert (feedback.status, feedback.closed_by, feedback.closed_on) == (Status.CLOSED, qa, TODAY)
    history = list(feedback.history.order_by("history_id").values_list("status", "history_user__username"))
    assert history == [("new", "qa"), ("assessed", "qa"), ("responded", "dept_manager"), ("closed", "qa")]


@pytest.mark.parametrize("type_", [Type.COMPLIMENT, Type.SURVEY_RESPONSE])
def test_compliments_and_survey_responses_close_without_a_management_response(qa, type_):
    extra = {"satisfaction_score": 9} if type_ == Type.SURVEY_RESPONSE else {}
    feedback = assessed(qa, type=type_, severity="", **extra)

    feedback = services.customer_feedback_close(actor=qa, feedback=feedback)

    assert feedback.status == Status.CLOSED
    assert feedback.responded_on is None


@pytest.mark.parametrize("type_", [Type.COMPLAINT, Type.RETURN])
def test_complaints_and_returns_cannot_close_without_a_management_response(qa, type_):
    feedback = assessed(qa, type=type_)

    with pytest.raises(ApplicationError, match="needs management's response"):
        services.customer_feedback_close(actor=qa, feedback=feedback, effectiveness_check="Checked.")


def test_requirement_change_needs_a_management_response_before_closing(qa):
    feedback = assessed(qa, type=Type.REQUIREMENT_CHANGE, severity="")

    with pytest.raises(ApplicationError):
        services.customer_feedback_close(actor=qa, feedback=feedback)


def test_closing_after_a_response_needs_the_effectiveness_check(qa, dept_manager):
    feedback = responded(dept_manager)

    with pytest.raises(ValidationError) as exc:
        services.customer_feedback_close(actor=qa, feedback=feedback, effectiveness_check="  ")

    assert "effectiveness_check" in exc.value.message_dict
    assert CustomerFeedback.objects.get(pk=feedback.pk).status == Status.RESPONDED


def test_new_feedback_cannot_be_responded_to_or_closed(dept_manager):
    feedback = register(dept_manager)

    with pytest.raises(ApplicationError, match="Assess"):
        services.customer_feedback_respond(actor=dept_manager, feedback=feedback, response="Fix it.")
    with pytest.raises(ApplicationError, match="Assess"):
        services.customer_feedback_close(actor=dept_manager, feedback=feedback)


def test_a_step_cannot_be_taken_twice(dept_manager):
    feedback = responded(dept_manager)

    with pytest.raises(ApplicationError, match="already"):
        services.customer_feedback_assess(actor=dept_manager, feedback=feedback, assessment_note="Again.")
    with pytest.raises(ApplicationError, match="already has management's response"):
        services.customer_feedback_respond(actor=dept_manager, feedback=feedback, response="Again.")


def test_assessment_needs_a_note(qa):
    feedback = register(qa)

    with pytest.raises(ValidationError) as exc:
        services.customer_feedback_assess(actor=qa, feedback=feedback, assessment_note="")

    assert "assessment_note" in exc.value.message_dict


def test_steps_cannot_be_dated_in_the_future_or_before_the_previous_one(qa, dept_manager):
    feedback = register(qa, received_date=datetime.date(2026, 3, 10))

    with pytest.raises(ValidationError) as exc:
        services.customer_feedback_assess(
            actor=qa, feedback=feedback, assessment_note="x", assessed_on=datetime.date(2026, 3, 17)
        )
    assert "in the future" in exc.value.message_dict["assessed_on"][0]
    with pytest.raises(ValidationError) as exc:
        services.customer_feedback_assess(
            actor=qa, feedback=feedback, assessment_note="x", assessed_on=datetime.date(2026, 3, 9)
        )
    assert "before the day it was received" in exc.value.message_dict["assessed_on"][0]

    feedback = services.customer_feedback_assess(
        actor=qa, feedback=feedback, assessment_note="x", assessed_on=datetime.date(2026, 3, 12)
    )
    with pytest.raises(ValidationError) as exc:
        services.customer_feedback_respond(
            actor=dept_manager, feedback=feedback, response="y", responded_on=datetime.date(2026, 3, 11)
        )
    assert "responded_on" in exc.value.message_dict


# Who may do what ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ceo", "mgmt_rep", "dept_manager"])
def test_top_management_representative_and_department_managers_may_respond(request, qa, persona):
    user = request.getfixturevalue(persona)
    feedback = assessed(qa)

    feedback = services.customer_feedback_respond(actor=user, feedback=feedback, response="Decided.")

    assert feedback.responded_by == user


@pytest.mark.parametrize("persona", ["qa", "auditor", "employee", "outsider"])
def test_others_may_not_record_managements_response(request, mgmt_rep, persona):
    user = request.getfixturevalue(persona)
    feedback = assessed(mgmt_rep)

    with pytest.raises(PermissionDenied):
        services.customer_feedback_respond(actor=user, feedback=feedback, response="Decided.")

    assert CustomerFeedback.objects.get(pk=feedback.pk).status == Status.ASSESSED


@pytest.mark.parametrize("persona", ["auditor", "employee", "outsider"])
def test_roles_without_change_permission_may_not_assess_or_close(request, qa, persona):
    user = request.getfixturevalue(persona)
    feedback = register(qa)

    with pytest.raises(PermissionDenied):
        services.customer_feedback_assess(actor=user, feedback=feedback, assessment_note="x")
    with pytest.raises(PermissionDenied):
        services.customer_feedback_close(actor=user, feedback=feedback)


def test_the_custom_permission_has_exactly_the_agreed_codename():
    assert ("respond_customerfeedback", "Can record management's response to customer feedback") in (
        CustomerFeedback._meta.permissions
    )


# The commitment log -----------------------------------------------------------------------------


def test_a_top_managers_response_is_logged_in_the_commitment_log(qa, ceo):
    feedback = assessed(qa)

    services.customer_feedback_respond(actor=ceo, feedback=feedback, response="Approved a second station.")

    entry = CommitmentEntry.objects.get(source=CommitmentEntry.Source.FEEDBACK_RESPONDED)
    assert entry.person == ceo.person
    assert entry.requirement_ids == ["5.1.1.g"]
    assert entry.source_record == feedback
    assert entry.date == TODAY
    assert feedback.reference in entry.description


def test_a_department_managers_response_is_not_in_the_commitment_log(qa, dept_manager):
    feedback = assessed(qa)

    services.customer_feedback_respond(actor=dept_manager, feedback=feedback, response="Changed the process.")

    assert not CommitmentEntry.objects.exists()


# What the record must hold ----------------------------------------------------------------------


def test_references_count_up_within_the_year_received(qa):
    first = register(qa, received_date=datetime.date(2026, 1, 5))
    second = register(qa, received_date=datetime.date(2026, 2, 5))
    older = register(qa, received_date=datetime.date(2025, 12, 30))

    assert (first.reference, second.reference, older.reference) == ("CF-2026-0001", "CF-2026-0002", "CF-2025-0001")


def test_reference_numbers_keep_counting_past_9999(qa):
    CustomerFeedbackFactory(reference="CF-2026-9999")

    assert register(qa).reference == "CF-2026-10000"


def test_complaints_need_a_severity_and_others_must_not_have_one(qa):
    with pytest.raises(ValidationError) as exc:
        register(qa, severity="")
    assert "severity" in exc.value.message_dict

    with pytest.raises(ValidationError) as exc:
        register(qa, type=Type.COMPLIMENT, severity="high")
    assert "Severity applies to complaints and returns only" in exc.value.message_dict["severity"][0]
    assert not CustomerFeedback.objects.exists()


@pytest.mark.parametrize("score", [-1, 11])
def test_survey_scores_outside_0_to_10_are_refused(qa, score):
    with pytest.raises(ValidationError) as exc:
        register(qa, type=Type.SURVEY_RESPONSE, severity="", satisfaction_score=score)

    assert "satisfaction_score" in exc.value.message_dict


@pytest.mark.parametrize("score", [0, 10])
def test_survey_scores_at_the_ends_of_the_scale_are_accepted(qa, score):
    feedback = register(qa, type=Type.SURVEY_RESPONSE, severity="", satisfaction_score=score)

    assert feedback.satisfaction_score == score


def test_a_survey_response_needs_a_score_and_a_complaint_must_not_have_one(qa):
    with pytest.raises(ValidationError) as exc:
        register(qa, type=Type.SURVEY_RESPONSE, severity="")
    assert "satisfaction_score" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        register(qa, satisfaction_score=5)
    assert "satisfaction_score" in exc.value.message_dict


def test_the_database_refuses_a_score_on_a_complaint_even_past_the_service(qa):
    with pytest.raises(IntegrityError):
        CustomerFeedbackFactory(satisfaction_score=4)


def test_feedback_received_in_the_future_is_refused(qa):
    with pytest.raises(ValidationError) as exc:
        register(qa, received_date=TODAY + datetime.timedelta(days=1))

    assert "received_date" in exc.value.message_dict


def test_customer_names_are_matched_ignoring_case_and_spacing(qa):
    first = register(qa, customer="Aerotec Systems")
    second = register(qa, customer="  aerotec   SYSTEMS ")

    assert first.customer == second.customer
    assert Customer.objects.count() == 1


def test_owner_defaults_to_the_head_of_the_responsible_department(qa):
    head = PersonFactory()
    department = DepartmentFactory(head=head)

    feedback = register(qa, department=department)

    assert feedback.owner == head


def test_history_records_who_registered_it(qa):
    feedback = register(qa)

    assert feedback.history.get().history_user == qa


# Due days and overdue flags -----------------------------------------------------------------------


def test_due_days_come_from_the_defaults_when_no_target_is_configured(qa):
    feedback = register(qa, severity="critical", received_date=datetime.date(2026, 3, 10))

    assert feedback.response_due_on == datetime.date(2026, 3, 12)
    assert feedback.close_due_on == datetime.date(2026, 3, 24)


def test_due_days_come_from_the_configured_target(qa, mgmt_rep):
    services.response_target_set(actor=mgmt_rep, severity="high", days_to_response=3, days_to_close=20)

    feedback = register(qa, severity="high", received_date=datetime.date(2026, 3, 10))

    assert (feedback.response_due_on, feedback.close_due_on) == (datetime.date(2026, 3, 13), datetime.date(2026, 3, 30))


def test_a_changed_target_does_not_move_the_due_days_of_registered_feedback(qa, mgmt_rep):
    feedback = register(qa, severity="high", received_date=datetime.date(2026, 3, 10))

    services.response_target_set(actor=mgmt_rep, severity="high", days_to_response=1, days_to_close=10)

    feedback.refresh_from_db()
    assert feedback.response_due_on == datetime.date(2026, 3, 15)


def test_overdue_for_response_starts_the_day_after_the_due_day(qa):
    # High: 5 days to respond. Received 10 March, due 15 March.
    feedback = register(qa, severity="high", received_date=datetime.date(2026, 3, 10))

    with time_machine.travel(datetime.date(2026, 3, 15), tick=False):
        assert not selectors.customer_feedback_get(feedback.pk).overdue_response
    with time_machine.travel(datetime.date(2026, 3, 16), tick=False):
        assert selectors.customer_feedback_get(feedback.pk).overdue_response


def test_feedback_with_a_response_is_no_longer_overdue_for_response_but_can_be_for_closure(qa, dept_manager):
    with time_machine.travel(datetime.date(2026, 1, 10), tick=False):
        feedback = responded(dept_manager, severity="high", received_date=datetime.date(2026, 1, 10))

    # High: 30 days to close, due 9 February.
    with time_machine.travel(datetime.date(2026, 2, 10), tick=False):
        row = selectors.customer_feedback_get(feedback.pk)
        assert (row.overdue_response, row.overdue_close) == (False, True)


def test_closed_feedback_is_never_overdue(qa, dept_manager):
    with time_machine.travel(datetime.date(2026, 1, 10), tick=False):
        feedback = responded(dept_manager, severity="high", received_date=datetime.date(2026, 1, 10))
        services.customer_feedback_close(actor=qa, feedback=feedback, effectiveness_check="Verified.")

    with time_machine.travel(datetime.date(2026, 6, 1), tick=False):
        row = selectors.customer_feedback_get(feedback.pk)
        assert (row.overdue_response, row.overdue_close) == (False, False)


def test_a_late_response_is_flagged_as_late(qa, dept_manager):
    with time_machine.travel(datetime.date(2026, 1, 10), tick=False):
        feedback = assessed(dept_manager, severity="critical", received_date=datetime.date(2026, 1, 10))
    with time_machine.travel(datetime.date(2026, 1, 13), tick=False):
        services.customer_feedback_respond(actor=dept_manager, feedback=feedback, response="Late.")

    assert selectors.customer_feedback_get(feedback.pk).responded_late


# Corrections -------------------------------------------------------------------------------------


def test_open_feedback_can_be_corrected_and_due_days_follow_a_new_severity(qa):
    feedback = register(qa, severity="low", received_date=datetime.date(2026, 3, 10))

    feedback = services.customer_feedback_update(actor=qa, feedback=feedback, severity="critical")

    assert feedback.response_due_on == datetime.date(2026, 3, 12)
    assert feedback.history.count() == 2


def test_closed_feedback_cannot_be_changed(qa):
    feedback = assessed(qa, type=Type.COMPLIMENT, severity="")
    feedback = services.customer_feedback_close(actor=qa, feedback=feedback)

    with pytest.raises(ApplicationError, match="closed"):
        services.customer_feedback_update(actor=qa, feedback=feedback, description="Changed.")


def test_severity_and_received_date_are_frozen_once_management_has_responded(dept_manager):
    feedback = responded(dept_manager)

    with pytest.raises(ValidationError) as exc:
        services.customer_feedback_update(actor=dept_manager, feedback=feedback, severity="low")

    assert "severity" in exc.value.message_dict
    assert CustomerFeedback.objects.get(pk=feedback.pk).severity == "high"


# Response targets and order volumes -----------------------------------------------------------------


def test_closing_cannot_be_due_before_the_response(mgmt_rep):
    with pytest.raises(ValidationError) as exc:
        services.response_target_set(actor=mgmt_rep, severity="low", days_to_response=20, days_to_close=10)

    assert "days_to_close" in exc.value.message_dict
    assert not ResponseTarget.objects.exists()


def test_a_second_target_for_the_same_severity_is_refused_naming_the_field(mgmt_rep):
    services.response_target_create(actor=mgmt_rep, severity="low", days_to_response=20, days_to_close=60)

    with pytest.raises(ValidationError) as exc:
        services.response_target_create(actor=mgmt_rep, severity="low", days_to_response=10, days_to_close=30)

    assert "severity" in exc.value.message_dict


def test_order_volume_is_stored_on_the_first_day_of_its_month(qa):
    volume = services.order_volume_create(actor=qa, month=datetime.date(2026, 2, 17), orders=412)

    assert volume.month == datetime.date(2026, 2, 1)


def test_a_month_gets_one_order_volume(qa):
    services.order_volume_create(actor=qa, month=datetime.date(2026, 2, 1), orders=412)

    with pytest.raises(ValidationError) as exc:
        services.order_volume_create(actor=qa, month=datetime.date(2026, 2, 9), orders=10)

    assert "month" in exc.value.message_dict
    assert OrderVolume.objects.get().orders == 412


def test_orders_cannot_be_entered_for_a_month_that_has_not_begun(qa):
    with pytest.raises(ValidationError) as exc:
        services.order_volume_create(actor=qa, month=datetime.date(2026, 4, 1), orders=10)

    assert "month" in exc.value.message_dict


def test_customer_requirement_without_customer_applies_to_all(qa):
    item = services.customer_requirement_create(
        actor=qa,
        requirement="REACH declarations for every part number",
        category="legal",
        department=DepartmentFactory(),
        process="Purchasing",
        verification="Declarations on file",
        source="regulation",
        review_date=TODAY,
    )

    assert item.customer is None
    assert item.history.get().history_user == qa


def test_clearing_the_owner_hands_the_feedback_to_the_head_of_the_department(qa):
    head = PersonFactory()
    other = PersonFactory()
    feedback = register(qa, department=DepartmentFactory(head=head), owner=other)

    feedback = services.customer_feedback_update(actor=qa, feedback=feedback, owner=None)

    assert feedback.owner == head
