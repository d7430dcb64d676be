"""What a management review compiles for each 9.3.2 input, from the rest of Clause5, for its period."""

import datetime
import json
from decimal import Decimal

import pytest
import time_machine

from leadership.models.customers import CustomerFeedback
from objectives.models import Measurement
from objectives.models.risks import Risk
from reviews.models.actions import Action
from reviews.models.audits import AuditFinding, InternalAudit
from reviews.models.management_reviews import ReviewInput
from reviews.models.meetings import Decision
from reviews.selectors.management_reviews import management_review_compile_data
from tests.leadership.factories import PersonFactory
from tests.leadership.factories_customers import CustomerFeedbackFactory, OrderVolumeFactory
from tests.leadership.factories_feedback import EmployeeFeedbackFactory
from tests.leadership.factories_resources import ResourceRequestFactory, ResourceSpendFactory
from tests.objectives.factories_objectives import ObjectiveFactory
from tests.objectives.factories_risks import RiskFactory, add_measurements
from tests.reviews.factories import (
    ActionFactory,
    AuditFindingFactory,
    DecisionFactory,
    InternalAuditFactory,
    MeetingFactory,
)
from tests.reviews.factories_management_reviews import (
    PERIOD_START,
    ManagementReviewFactory,
    ReviewMeetingTypeFactory,
    prepare,
)

pytestmark = pytest.mark.django_db

Item = ReviewInput.Item


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def compiled(review, item) -> dict:
    return management_review_compile_data(review)[item]


def aware(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=10, tzinfo=datetime.UTC)


def test_every_section_is_plain_json_with_period_and_record_count(ceo):
    """What is frozen must survive the JSON round trip unchanged, so signatures stay verifiable."""
    review = prepare(ceo)
    data = management_review_compile_data(review)
    assert set(data) == set(Item.values)
    assert json.loads(json.dumps(data)) == data
    for item in ReviewInput.MANUAL_ITEMS:
        assert data[item] == {}
    for item in set(Item.values) - set(ReviewInput.MANUAL_ITEMS):
        assert data[item]["period"] == {"start": "2025-03-01", "end": "2026-02-28"}
        assert data[item]["records"] == 0
        assert data[item]["compiled_on"] == "2026-03-10"


def test_actions_from_previous_reviews_with_their_state(ceo):
    """a) Actions of earlier reviews; those verified before the period began were reported already."""
    earlier = ManagementReviewFactory(
        meeting=MeetingFactory(type=ReviewMeetingTypeFactory(), planned_start=aware("2025-03-14"))
    )
    decision = DecisionFactory(meeting=earlier.meeting, output_category=Decision.OutputCategory.IMPROVEMENT)
    overdue = ActionFactory(decision=decision, source=Action.Source.REVIEW_OUTPUT, due_date=datetime.date(2025, 9, 30))
    verifier = PersonFactory()
    ActionFactory(
        decision=decision,
        source=Action.Source.REVIEW_OUTPUT,
        status=Action.Status.VERIFIED,
        completed_at=aware("2025-02-01"),
        verified_at=aware("2025-02-10"),
        verified_by=verifier,
    )
    recent = ActionFactory(
        decision=decision,
        source=Action.Source.REVIEW_OUTPUT,
        status=Action.Status.VERIFIED,
        completed_at=aware("2025-10-01"),
        verified_at=aware("2025-10-20"),
        verified_by=verifier,
    )
    ActionFactory()  # from an ordinary meeting: not a review's
    review = prepare(ceo)

    data = compiled(review, Item.ACTIONS)

    assert [a["reference"] for a in data["actions"]] == [overdue.reference, recent.reference]
    first = data["actions"][0]
    assert first["overdue"] is True
    assert first["review"] == earlier.meeting.reference
    assert first["decision"] == f"D{decision.number}"
    assert first["owner"] == overdue.owner.full_name
    assert first["due"] == "2025-09-30"
    assert data["actions"][1]["verified"] == "2025-10-20"
    assert data["summary"] == {"total": 2, "open": 1, "done": 0, "verified": 1, "overdue": 1}
    assert data["records"] == 2
    assert data["previous_reviews"][0]["reference"] == earlier.meeting.reference


def test_customer_figures_by_month_for_the_period(ceo):
    """c.1) Complaints, compliments and survey scores per month; response performance; what is open."""
    CustomerFeedbackFactory(received_date=datetime.date(2025, 6, 10), responded_on=datetime.date(2025, 6, 30))
    CustomerFeedbackFactory(received_date=datetime.date(2025, 6, 12), responded_on=datetime.date(2025, 6, 15))
    CustomerFeedbackFactory(
        type=CustomerFeedback.Type.COMPLIMENT,
        severity="",
        received_date=datetime.date(2025, 6, 20),
        response_due_on=None,
        close_due_on=None,
    )
    CustomerFeedbackFactory(survey=True, satisfaction_score=9, received_date=datetime.date(2025, 9, 1))
    CustomerFeedbackFactory(survey=True, satisfaction_score=7, received_date=datetime.date(2025, 9, 2))
    CustomerFeedbackFactory(received_date=datetime.date(2025, 2, 20))  # before the period
    OrderVolumeFactory(month=datetime.date(2025, 6, 1), orders=400)
    review = prepare(ceo)

    data = compiled(review, Item.CUSTOMERS)

    assert len(data["months"]) == 12
    june = next(m for m in data["months"] if m["month"] == "2025-06-01")
    assert (june["complaints"], june["compliments"], june["late"], june["on_time"]) == (2, 1, 1, 1)
    assert june["complaints_per_1000_orders"] == 5.0
    assert june["label"] == "Jun 2025"
    september = next(m for m in data["months"] if m["month"] == "2025-09-01")
    assert (september["responses"], september["average_score"]) == (2, 8.0)
    summary = data["summary"]
    assert (summary["complaints"], summary["compliments"], summary["survey_responses"]) == (2, 1, 2)
    assert summary["response_compliance"] == 50.0
    assert summary["open"] == 5
    assert data["records"] == 5


def test_objective_status_table_as_of_the_end_of_the_period(ceo):
    """c.2) Each active objective: target in force, latest value, health, trend and forecast."""
    on_track = ObjectiveFactory(title="Scrap rate")
    add_measurements(
        on_track, {f"2025-{m:02d}-01": "2.4" for m in range(3, 13)} | {"2026-01-01": "2.1", "2026-02-01": "1.8"}
    )
    silent = ObjectiveFactory(title="Customer returns")
    add_measurements(silent, {"2025-03-01": "2.5"})
    ObjectiveFactory(draft=True)
    ObjectiveFactory(start_date=datetime.date(2026, 3, 1), due_date=datetime.date(2026, 12, 31))  # after the period
    review = prepare(ceo)

    data = compiled(review, Item.OBJECTIVES)

    rows = {r["reference"]: r for r in data["objectives"]}
    assert set(rows) == {on_track.reference, silent.reference}
    row = rows[on_track.reference]
    assert row["target"] == "≤ 2%"
    assert (row["latest"], row["latest_period"]) == ("1.8%", "Feb 2026")
    assert (row["health"], row["health_label"]) == ("on_track", "On track")
    assert [p["value"] for p in row["trend"]] == ["2.4", "2.4", "2.4", "2.4", "2.1", "1.8"]
    assert row["forecast"]
    assert (row["periods_measured"], row["periods_on_target"]) == (12, 1)
    assert rows[silent.reference]["health"] == "no_data"
    assert data["summary"]["total"] == 2
    assert data["summary"]["on_track"] == 1
    assert data["summary"]["no_data"] == 1


def test_nonconformities_and_their_actions(ceo):
    """c.4) Complaints and returns of the period, audit nonconformities (major, minor), and their actions."""
    complaint = CustomerFeedbackFactory(received_date=datetime.date(2025, 8, 1))
    ActionFactory(source=Action.Source.CUSTOMER_FEEDBACK, decision=None, customer_feedback=complaint)
    audit = InternalAuditFactory(
        status=InternalAudit.Status.COMPLETED,
        planned_date=datetime.date(2025, 10, 1),
        audit_date=datetime.date(2025, 10, 2),
    )
    major = AuditFindingFactory(audit=audit, kind=AuditFinding.Kind.MAJOR)
    AuditFindingFactory(audit=audit, kind=AuditFinding.Kind.OBSERVATION)
    ActionFactory(
        source=Action.Source.AUDIT_FINDING,
        decision=None,
        audit_finding=major,
        due_date=datetime.date(2026, 1, 31),
    )
    review = prepare(ceo)

    data = compiled(review, Item.NONCONFORMITIES)

    assert [c["reference"] for c in data["complaints"]] == [complaint.reference]
    assert len(data["complaints"][0]["actions"]) == 1
    assert [f["label"] for f in data["findings"]] == [f"{audit.reference}-F{major.number}"]
    assert data["findings"][0]["actions"][0]["overdue"] is True
    assert data["summary"]["major"] == 1
    assert data["summary"]["minor"] == 0
    assert data["summary"]["actions"]["total"] == 2
    assert data["summary"]["actions"]["overdue"] == 1


def test_measurement_summary_counts_missing_and_late_periods(ceo):
    """c.5) Per objective: the periods due in the review period, those measured, on time, and missing."""
    objective = ObjectiveFactory()
    made = add_measurements(objective, {f"2025-{m:02d}-01": "2.0" for m in range(3, 13)})
    # March 2025 entered on time (by its period end + 5 days); the rest entered late (today).
    Measurement.objects.filter(pk=made[0].pk).update(created_at=aware("2025-04-03"))
    review = prepare(ceo)

    data = compiled(review, Item.MEASUREMENTS)

    row = data["objectives"][0]
    assert (row["expected"], row["measured"], row["on_time"]) == (12, 10, 1)
    assert row["missing"] == ["Jan 2026", "Feb 2026"]
    assert data["summary"]["missing"] == 2
    assert data["summary"]["complete_pct"] == 83.3


def test_audit_results_by_kind(ceo):
    """c.6) Audits of the period, carried out or still planned past their date, and findings by kind."""
    done = InternalAuditFactory(
        status=InternalAudit.Status.COMPLETED,
        planned_date=datetime.date(2025, 10, 1),
        audit_date=datetime.date(2025, 10, 2),
    )
    for kind in (AuditFinding.Kind.MINOR, AuditFinding.Kind.MINOR, AuditFinding.Kind.OPPORTUNITY):
        AuditFindingFactory(audit=done, kind=kind)
    late = InternalAuditFactory(planned_date=datetime.date(2026, 1, 20))
    InternalAuditFactory(planned_date=datetime.date(2024, 11, 1))  # before the period
    review = prepare(ceo)

    data = compiled(review, Item.AUDITS)

    assert [a["reference"] for a in data["audits"]] == [done.reference, late.reference]
    assert data["audits"][0]["findings_by_kind"] == {"major": 0, "minor": 2, "observation": 0, "opportunity": 1}
    assert data["audits"][1]["overdue"] is True
    assert data["summary"]["completed"] == 1
    assert data["summary"]["overdue"] == 1
    assert {k["kind"]: k["count"] for k in data["by_kind"]}["minor"] == 2


def test_resources_requested_in_the_period_and_the_budget(ceo):
    """d) Requests submitted or decided in the period with decisions, amounts and spending; the budget."""
    approved = ResourceRequestFactory(status="approved", decided_at=aware("2025-05-02"), amount=Decimal("68500"))
    ResourceSpendFactory(request=approved, amount=Decimal("20550.00"))
    old = ResourceRequestFactory()
    type(old).objects.filter(pk=old.pk).update(created_at=aware("2024-06-01"))
    type(approved).objects.filter(pk=approved.pk).update(created_at=aware("2025-04-20"))
    review = prepare(ceo)

    data = compiled(review, Item.RESOURCES)

    assert [r["reference"] for r in data["requests"]] == [approved.reference]
    row = data["requests"][0]
    assert (row["amount"], row["spent"], row["decided"], row["submitted"]) == (
        "68500.00",
        "20550.00",
        "2025-05-02",
        "2025-04-20",
    )
    approved_status = next(s for s in data["summary"]["by_status"] if s["status"] == "approved")
    assert approved_status == {"status": "approved", "label": "Approved", "count": 1, "amount": "68500.00"}
    assert [b["year"] for b in data["budgets"]] == [2025, 2026]


def test_risk_register_status_and_actions_on_risks(ceo):
    """e) Risks by status, the high ones, overdue reviews, and the actions taken on risks."""
    high = RiskFactory(likelihood=4, impact=4, next_review_date=datetime.date(2026, 2, 1))
    RiskFactory(likelihood=1, impact=2)
    RiskFactory(status=Risk.Status.CLOSED)
    RiskFactory(type=Risk.Type.OPPORTUNITY)
    ActionFactory(source=Action.Source.RISK, decision=None, risk=high)
    review = prepare(ceo)

    data = compiled(review, Item.RISKS)

    assert data["risks"][0]["reference"] == high.reference
    assert data["risks"][0]["review_overdue"] is True
    assert data["summary"]["high"] == 1
    assert data["summary"]["review_overdue"] == 1
    assert data["summary"]["open_opportunities"] == 1
    assert {s["status"]: s["count"] for s in data["summary"]["risks_by_status"]} == {
        "open": 2,
        "treating": 0,
        "monitoring": 0,
        "closed": 1,
    }
    assert data["actions"][0]["risk"] == high.reference


def test_improvement_opportunities_never_name_who_gave_an_idea(ceo):
    """f) Opportunities, OFI findings and employee ideas; an idea's author is never in the review."""
    RiskFactory(type=Risk.Type.OPPORTUNITY, title="Five-axis machine for the housings")
    reporter = PersonFactory(user__first_name="Wilhelmina", user__last_name="Quarrington")
    EmployeeFeedbackFactory(
        kind="idea", title="Kanban for inserts", reporter=reporter, submitted_at=aware("2025-07-01")
    )
    EmployeeFeedbackFactory(
        kind="idea", anonymous_item=True, title="Poka-yoke fixture", submitted_at=aware("2025-08-01")
    )
    EmployeeFeedbackFactory(kind="problem", submitted_at=aware("2025-08-01"))
    review = prepare(ceo)

    data = compiled(review, Item.IMPROVEMENT)

    assert [i["title"] for i in data["ideas"]] == ["Kanban for inserts", "Poka-yoke fixture"]
    assert set(data["ideas"][0]) == {"id", "reference", "title", "department", "submitted", "status", "status_label"}
    text = json.dumps(data)
    assert "Wilhelmina" not in text
    assert "Quarrington" not in text
    assert data["opportunities"][0]["title"] == "Five-axis machine for the housings"
    assert data["summary"]["ideas"] == 2


def test_a_past_day_is_compiled_as_things_stood_then(ceo):
    """Compiling for a past day leaves out later records and later steps: a review frozen then saw neither."""
    earlier = ManagementReviewFactory(
        meeting=MeetingFactory(type=ReviewMeetingTypeFactory(), planned_start=aware("2025-03-14"))
    )
    decision = DecisionFactory(meeting=earlier.meeting, output_category=Decision.OutputCategory.IMPROVEMENT)
    verified_later = ActionFactory(
        decision=decision,
        source=Action.Source.REVIEW_OUTPUT,
        status=Action.Status.VERIFIED,
        completed_at=aware("2026-02-20"),
        verified_at=aware("2026-03-09"),
        verified_by=PersonFactory(),
        due_date=datetime.date(2026, 2, 28),
    )
    audit = InternalAuditFactory(
        status=InternalAudit.Status.COMPLETED,
        planned_date=datetime.date(2025, 10, 1),
        audit_date=datetime.date(2025, 10, 2),
    )
    finding = AuditFindingFactory(audit=audit, kind=AuditFinding.Kind.MINOR)
    AuditFinding.objects.filter(pk=finding.pk).update(closed_at=aware("2026-03-09"))
    objective = ObjectiveFactory()
    on_time, late = add_measurements(objective, {"2026-01-01": "2.1", "2026-02-01": "1.8"})
    Measurement.objects.filter(pk=on_time.pk).update(created_at=aware("2026-02-03"))
    Measurement.objects.filter(pk=late.pk).update(created_at=aware("2026-03-09"))
    Action.objects.filter(pk=verified_later.pk).update(created_at=aware("2025-03-20"))
    review = prepare(ceo)

    data = management_review_compile_data(review, today=datetime.date(2026, 3, 8))

    action = data[Item.ACTIONS]["actions"][0]
    assert (action["status"], action["completed"], action["verified"]) == ("done", "2026-02-20", None)
    assert action["overdue"] is False
    assert data[Item.NONCONFORMITIES]["findings"][0]["closed"] is None
    assert data[Item.OBJECTIVES]["objectives"][0]["latest"] == "2.1%"
    missing = data[Item.MEASUREMENTS]["objectives"][0]["missing"]
    assert missing[-1] == "Feb 2026"
    assert "Jan 2026" not in missing
    assert data[Item.OBJECTIVES]["compiled_on"] == "2026-03-08"


def test_compiling_costs_the_same_queries_for_more_data(ceo, django_assert_max_num_queries):
    """The compile runs a fixed number of queries per section, whatever the amount of data."""
    review = prepare(ceo)
    for i in range(20):
        objective = ObjectiveFactory()
        add_measurements(objective, {"2025-06-01": "2.0", "2025-07-01": "2.1"})
        CustomerFeedbackFactory(received_date=datetime.date(2025, 6, 1) + datetime.timedelta(days=i))
        RiskFactory()
    with django_assert_max_num_queries(40):
        management_review_compile_data(review)


def test_period_start_is_respected(ceo):
    """Records dated before the period are left out (the review looks back on its own period only)."""
    CustomerFeedbackFactory(received_date=PERIOD_START - datetime.timedelta(days=1))
    review = prepare(ceo)
    assert compiled(review, Item.CUSTOMERS)["records"] == 0
