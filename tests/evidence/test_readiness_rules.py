"""The readiness rules, each on both sides: the gap it finds (with reason and link) and the record that clears it.

Run without the catalogue migration: the report reads the ids from `qms.iso`, so no fixture is needed.
"""

import datetime

import pytest
from django.utils import timezone

from evidence.selectors.readiness import EVIDENCED, MISSING, WEAK, Finding, readiness_gaps, readiness_report
from leadership.models.positions import Position
from leadership.roles import Role
from reviews.models.actions import Action
from reviews.models.management_reviews import ManagementReview, ReviewInput
from reviews.models.meetings import Attendee, Meeting
from tests.evidence.test_clauses_factories import (
    approved_request,
    commitment_entry,
    now,
    responded_feedback,
    signed_meeting,
    signed_review,
    verified_action,
)
from tests.leadership.factories import PersonFactory
from tests.leadership.factories_customers import CustomerFeedbackFactory
from tests.leadership.factories_feedback import EmployeeFeedbackFactory
from tests.leadership.factories_policy import PolicyAcknowledgementFactory, PolicyVersionFactory
from tests.leadership.factories_positions import (
    PositionAcknowledgementFactory,
    PositionFactory,
    PositionHolderFactory,
)
from tests.objectives.factories_measurements import MeasurementFactory
from tests.objectives.factories_objectives import ObjectiveFactory
from tests.reviews.factories import ActionFactory, AgendaItemFactory, AttendeeFactory, MeetingTypeFactory

pytestmark = pytest.mark.django_db

ALL_INPUTS = {item: {"note": "Presented and discussed."} for item in ReviewInput.Item.values}


def findings(item_id, rule=None, report=None):
    report = report or readiness_report()
    item = next(i for i in report.items if i.id == item_id)
    return [f for f in item.findings if rule is None or f.rule == rule]


def item_of(report, item_id):
    return next(i for i in report.items if i.id == item_id)


# The base: evidence in the period ----------------------------------------------------------------------


def test_an_item_with_no_evidence_in_the_period_is_missing_with_a_link_to_its_evidence_page():
    report = readiness_report()

    item = item_of(report, "6.2.1.g")
    assert item.status == MISSING
    assert item.findings[0].rule == "evidence"
    assert "No evidence from" in item.reasons[0]
    assert "target revisions with reasons" in item.reasons[0]
    assert item.links[0].url == "/evidence/clauses/6.2.1.g/"


def test_an_item_with_evidence_and_no_rule_finding_is_evidenced():
    commitment_entry(["5.1.1.d"])

    item = item_of(readiness_report(), "5.1.1.d")

    assert item.evidence_count == 1
    assert item.status == EVIDENCED
    assert item.findings == []


def test_scores_count_evidenced_one_weak_half_missing_zero_per_clause_and_overall():
    report = readiness_report()
    for item in report.items:
        item.findings = []
    clause = next(c for c in report.clauses if c.clause == "5.1.2")
    clause.items[1].findings = [Finding("test", WEAK, "weak")]
    clause.items[2].findings = [Finding("test", MISSING, "missing")]

    assert clause.score == 50  # (1 + 0.5 + 0) / 3
    assert report.overall == round(100 * (len(report.items) - 1.5) / len(report.items))
    assert [g.id for g in readiness_gaps(report)] == [clause.items[2].id, clause.items[1].id]


# Management review -----------------------------------------------------------------------------------------


def test_no_management_review_in_twelve_months_is_missing_9_3_1_and_every_input():
    report = readiness_report()

    assert findings("9.3.1", "management-review", report)[0].status == MISSING
    assert "No management review was held in the last 12 months" in findings("9.3.1", report=report)[0].reason
    assert findings("9.3.2.c.6", "management-review", report)[0].status == MISSING
    # The rule says it once: the generic "no evidence" reason is not repeated.
    assert [f.rule for f in findings("9.3.2.c.6", report=report)] == ["management-review"]


def test_a_signed_review_with_every_input_clears_9_3_1_and_the_inputs():
    signed_review(inputs=ALL_INPUTS, held_at=now() - datetime.timedelta(days=60))

    report = readiness_report()

    for item in ("9.3.1", *ReviewInput.Item.values):
        assert findings(item, "management-review", report) == [], item
    assert item_of(report, "9.3.1").status == EVIDENCED


def test_an_input_missing_from_the_last_signed_review_is_weak_with_a_link_to_the_section():
    inputs = dict(ALL_INPUTS)
    del inputs["9.3.2.c.7"]
    review = signed_review(inputs=inputs)

    [finding] = findings("9.3.2.c.7", "management-review")

    assert finding.status == WEAK
    assert review.meeting.reference in finding.reason
    assert "9.3.2.c.7" in finding.reason
    assert finding.links[0].url.endswith("#input-9.3.2.c.7")


def test_a_review_older_than_the_maximum_age_setting_does_not_count(settings):
    signed_review(inputs=ALL_INPUTS, held_at=now() - datetime.timedelta(days=200))
    assert findings("9.3.1", "management-review") == []

    settings.CLAUSE5_READINESS_REVIEW_MAX_AGE_MONTHS = 6

    [finding] = findings("9.3.1", "management-review")
    assert finding.status == MISSING
    assert "last 6 months" in finding.reason


def test_a_review_held_but_not_signed_is_weak_with_a_link_to_sign_it():
    review = signed_review(inputs=ALL_INPUTS)
    ManagementReview.objects.filter(pk=review.pk).update(status=ManagementReview.Status.HELD, signature=None)

    [finding] = findings("9.3.1", "management-review")

    assert finding.status == WEAK
    assert "is not signed" in finding.reason
    assert finding.links[0].url == review.get_absolute_url()


# Top management attendance --------------------------------------------------------------------------------


def _quality_meetings(n):
    quality = MeetingTypeFactory(name="Monthly quality meeting", is_quality_meeting=True)
    return [signed_meeting(type=quality, held_at=now() - datetime.timedelta(days=10 + 25 * k)) for k in range(n)]


def _attends(person, meetings):
    for meeting in meetings:
        AttendeeFactory(meeting=meeting, person=person, status=Attendee.Status.PRESENT)


def test_a_top_manager_who_attended_one_of_six_quality_meetings_makes_5_1_1_a_weak_naming_them():
    meetings = _quality_meetings(6)
    rare = PersonFactory(roles=[Role.TOP_MANAGEMENT.value], user__first_name="David", user__last_name="Okafor")
    regular = PersonFactory(roles=[Role.TOP_MANAGEMENT.value], user__first_name="Margaret", user__last_name="Ellison")
    _attends(rare, meetings[:1])
    _attends(regular, meetings[:5])

    [finding] = findings("5.1.1.a", "attendance")

    assert finding.status == WEAK
    assert finding.reason == (
        "David Okafor (top management) attended 1 of the 6 quality meetings held in the last 6 months; "
        "at least 4 expected."
    )
    assert [link.url for link in finding.links] == ["/reviews/attendance/", rare.get_absolute_url()]


def test_top_managers_who_attended_enough_meetings_leave_no_gap():
    meetings = _quality_meetings(6)
    _attends(PersonFactory(roles=[Role.TOP_MANAGEMENT.value]), meetings[:4])
    # Someone without the top management role is not counted.
    PersonFactory(roles=[Role.QA_STAFF.value])

    assert findings("5.1.1.a", "attendance") == []


def test_the_minimum_attended_comes_from_settings_and_is_capped_at_the_meetings_held(settings):
    meetings = _quality_meetings(2)
    _attends(PersonFactory(roles=[Role.TOP_MANAGEMENT.value]), meetings)
    assert findings("5.1.1.a", "attendance") == []  # 2 of 2 held, though 4 is the minimum

    rare = PersonFactory(roles=[Role.TOP_MANAGEMENT.value])
    _attends(rare, meetings[:1])
    assert "at least 2 expected" in findings("5.1.1.a", "attendance")[0].reason

    settings.CLAUSE5_READINESS_MIN_MEETINGS_ATTENDED = 1
    assert findings("5.1.1.a", "attendance") == []


def test_meetings_not_held_or_not_quality_meetings_or_older_than_the_window_are_not_counted():
    manager = PersonFactory(roles=[Role.TOP_MANAGEMENT.value])
    operational = MeetingTypeFactory(name="Operations meeting", is_quality_meeting=False)
    signed_meeting(type=operational)
    quality = MeetingTypeFactory(name="Monthly quality meeting", is_quality_meeting=True)
    signed_meeting(type=quality, held_at=now() - datetime.timedelta(days=250))
    planned = signed_meeting(type=quality, status=Meeting.Status.PLANNED, held_at=None, signed_at=None)
    AttendeeFactory(meeting=planned, person=manager)

    [finding] = findings("5.1.1.c", "attendance")
    assert finding.reason == "No quality meeting was held in the last 6 months."
    assert findings("5.1.1.a", "attendance") == []


# Policy acknowledgement ------------------------------------------------------------------------------------


def _policy_with(acknowledged, total):
    version = PolicyVersionFactory(published=True)
    # The author's account has no Person: the staff in scope are the people made here.
    people = [PersonFactory() for _ in range(total)]
    for person in people[:acknowledged]:
        PolicyAcknowledgementFactory(version=version, person=person)
    return version


def test_policy_acknowledged_below_the_threshold_makes_5_2_2_b_weak_with_the_figures():
    version = _policy_with(10, 15)

    [finding] = findings("5.2.2.b", "policy")

    assert finding.status == WEAK
    assert finding.reason == f"Policy version {version.number} acknowledged by 10 of 15 staff (66%), below 90%."
    assert finding.links[0].url == "/leadership/policy/coverage/"


def test_policy_acknowledged_at_the_threshold_leaves_no_gap_and_the_threshold_is_a_setting(settings):
    _policy_with(9, 10)
    assert findings("5.2.2.b", "policy") == []

    settings.CLAUSE5_READINESS_ACKNOWLEDGEMENT_PCT = 95
    assert "below 95%" in findings("5.2.2.b", "policy")[0].reason


def test_no_published_policy_is_missing_5_2_2_b_and_c():
    PolicyVersionFactory()  # a draft

    for item in ("5.2.2.b", "5.2.2.c"):
        [finding] = findings(item, "policy")
        assert finding.status == MISSING
        assert finding.reason == "No quality policy version is published."


# 5.3 roles ---------------------------------------------------------------------------------------------------


def test_a_5_3_item_assigned_to_no_position_is_missing_with_the_matrix_link():
    holder = PositionHolderFactory(position=PositionFactory(requirement_ids=["5.3.a", "5.3.b", "5.3.c", "5.3.d"]))
    PositionAcknowledgementFactory(position=holder.position, person=holder.person)

    report = readiness_report()

    [finding] = findings("5.3.e", "positions", report)
    assert finding.status == MISSING
    assert finding.reason == "5.3.e is assigned to no position."
    assert finding.links[0].url == "/leadership/positions/matrix/"
    assert all(findings(i, "positions", report) == [] for i in ("5.3.a", "5.3.b", "5.3.c", "5.3.d"))


def test_a_holder_who_has_not_acknowledged_the_current_revision_makes_its_5_3_items_weak():
    position = PositionFactory(title="Production Manager", requirement_ids=["5.3.b", "9.3.2.c.3"])
    tom = PositionHolderFactory(
        position=position, person=PersonFactory(user__first_name="Tom", user__last_name="Hargreaves")
    )
    PositionAcknowledgementFactory(position=position, person=tom.person, revision=1)
    Position.objects.filter(pk=position.pk).update(revision=2)

    [finding] = findings("5.3.b", "positions")

    assert finding.status == WEAK
    assert finding.reason == (
        "Tom Hargreaves has not acknowledged revision 2 of the Production Manager description, which carries 5.3.b."
    )
    assert finding.links[0].url == position.get_absolute_url()
    assert findings("9.3.2.c.3", "positions") == []


def test_a_5_3_item_on_a_position_nobody_holds_is_missing():
    PositionFactory(title="Change Coordinator", requirement_ids=["5.3.e"])

    [finding] = findings("5.3.e", "positions")

    assert finding.status == MISSING
    assert "Change Coordinator" in finding.reason


# Customer complaints and employee feedback ---------------------------------------------------------------


def test_a_complaint_past_its_response_target_makes_5_1_2_c_weak_with_a_link_to_it():
    late = CustomerFeedbackFactory(received_date=timezone.localdate() - datetime.timedelta(days=20))
    CustomerFeedbackFactory()  # received 3 days ago, due in 10: within target

    [finding] = findings("5.1.2.c", "customer-feedback")

    assert finding.status == WEAK
    assert late.reference in finding.reason
    assert "awaits management's response" in finding.reason
    assert finding.links[0].url == late.get_absolute_url()


def test_complaints_answered_within_target_and_not_yet_due_for_closure_leave_no_gap():
    responded_feedback(received_date=timezone.localdate() - datetime.timedelta(days=8))

    assert findings("5.1.2.c", "customer-feedback") == []


def test_employee_feedback_unanswered_past_the_limit_makes_5_1_1_h_weak():
    late = EmployeeFeedbackFactory(submitted_at=timezone.now() - datetime.timedelta(days=60))
    EmployeeFeedbackFactory()  # submitted now

    [finding] = findings("5.1.1.h", "employee-feedback")

    assert late.reference in finding.reason
    assert "still unanswered" in finding.reason
    assert finding.links[0].url == late.get_absolute_url()


# Resources, commitment -----------------------------------------------------------------------------------


def test_no_resource_decision_in_twelve_months_makes_5_1_1_e_weak_and_a_decision_clears_it():
    approved_request(decided_at=now() - datetime.timedelta(days=400))
    [finding] = findings("5.1.1.e", "resources")
    assert finding.reason == "No resource request was decided by top management in the last 12 months."

    approved_request()
    assert findings("5.1.1.e", "resources") == []


def test_a_5_1_1_item_no_commitment_entry_names_is_weak_until_one_does():
    assert findings("5.1.1.d", "commitment")[0].status == WEAK

    commitment_entry(["5.1.1.d"])

    assert findings("5.1.1.d", "commitment") == []


# Overdue actions ------------------------------------------------------------------------------------------


def test_an_action_more_than_30_days_overdue_is_a_gap_on_the_item_its_source_evidences():
    today = timezone.localdate()
    old = ActionFactory(due_date=today - datetime.timedelta(days=45), status=Action.Status.IN_PROGRESS)
    ActionFactory(due_date=today - datetime.timedelta(days=10))  # overdue, but not for long
    verified_action(due_date=today - datetime.timedelta(days=90))  # done

    [finding] = findings("5.1.1.i", "overdue-actions")

    assert finding.status == WEAK
    assert old.reference in finding.reason
    assert "45 days past its due date" in finding.reason
    assert finding.links[0].url == old.get_absolute_url()


def test_the_overdue_age_is_a_setting(settings):
    ActionFactory(due_date=timezone.localdate() - datetime.timedelta(days=10))
    assert findings("5.1.1.i", "overdue-actions") == []

    settings.CLAUSE5_READINESS_OVERDUE_ACTION_DAYS = 7

    assert len(findings("5.1.1.i", "overdue-actions")) == 1


def test_an_overdue_action_on_customer_feedback_shows_on_5_1_2_c():
    feedback = responded_feedback()
    ActionFactory(
        source=Action.Source.CUSTOMER_FEEDBACK,
        decision=None,
        customer_feedback=feedback,
        due_date=timezone.localdate() - datetime.timedelta(days=40),
    )

    assert len(findings("5.1.2.c", "overdue-actions")) == 1
    assert findings("5.1.1.i", "overdue-actions") == []


# Objectives -----------------------------------------------------------------------------------------------


def _objective_measured_until(last_month_missing: bool):
    today = timezone.localdate()
    objective = ObjectiveFactory(start_date=today.replace(day=1) - datetime.timedelta(days=200), due_date=None)
    month = objective.start_date.replace(day=1)
    end = today.replace(day=1)
    months = []
    while month < end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    if last_month_missing:
        months = months[:-2]
    for period in months:
        MeasurementFactory(objective=objective, period_start=period)
    return objective


@pytest.mark.parametrize("day", [datetime.date(2026, 11, 25)])
def test_an_active_objective_not_measured_on_schedule_makes_6_2_1_e_weak(time_machine, day):
    time_machine.move_to(datetime.datetime.combine(day, datetime.time(12)), tick=False)
    objective = _objective_measured_until(last_month_missing=True)

    [finding] = findings("6.2.1.e", "measurements")

    assert finding.status == WEAK
    assert objective.reference in finding.reason
    assert "has no value for 2 periods due: Sep 2026, Oct 2026." in finding.reason
    assert [link.url for link in finding.links] == [objective.get_absolute_url(), "/objectives/measurements/enter/"]


@pytest.mark.parametrize("day", [datetime.date(2026, 11, 25)])
def test_an_objective_measured_for_every_due_period_leaves_no_gap(time_machine, day):
    time_machine.move_to(datetime.datetime.combine(day, datetime.time(12)), tick=False)
    _objective_measured_until(last_month_missing=False)

    assert findings("6.2.1.e", "measurements") == []


def test_an_objective_not_discussed_in_the_last_quarter_makes_5_1_1_g_weak():
    objective = ObjectiveFactory()
    old = signed_meeting(held_at=now() - datetime.timedelta(days=150))
    AgendaItemFactory(meeting=old).objectives.add(objective)

    [finding] = findings("5.1.1.g", "objective-discussion")

    assert objective.reference in finding.reason
    assert "not discussed in any meeting in the last 3 months" in finding.reason
    assert finding.links[0].url == objective.get_absolute_url()


def test_an_objective_on_the_agenda_of_a_recent_meeting_or_in_a_review_status_is_discussed():
    on_agenda, in_review = ObjectiveFactory(), ObjectiveFactory()
    AgendaItemFactory(meeting=signed_meeting(held_at=now() - datetime.timedelta(days=20))).objectives.add(on_agenda)
    signed_review(inputs={"9.3.2.c.2": {"data": {"records": 1, "objectives": [{"id": in_review.pk}]}}})
    # Just activated: not yet due for discussion.
    ObjectiveFactory(activated_at=now() - datetime.timedelta(days=5))

    assert findings("5.1.1.g", "objective-discussion") == []


def test_an_off_track_objective_is_context_not_a_gap():
    objective = ObjectiveFactory(health="off_track")
    AgendaItemFactory(meeting=signed_meeting()).objectives.add(objective)

    item = item_of(readiness_report(), "5.1.1.g")

    assert findings("5.1.1.g", "objective-discussion") == []
    assert objective.reference in item.notes[0]
    assert "Not a gap by itself" in item.notes[0]
