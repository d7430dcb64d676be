"""Gathering a pack's data takes the same number of queries however many records the period holds,
and its integrity checks agree with the apps' own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from evidence.selectors.packs import pack_data
from reviews.models.meetings import Meeting
from reviews.selectors.management_reviews import management_review_signature_intact
from reviews.selectors.minutes import meeting_get, meeting_signature_intact
from tests.evidence.test_clauses_factories import (
    approved_revision,
    catalogue,  # noqa: F401
    commitment_entry,
    completed_audit,
    one_of_each_kind,
    responded_feedback,
    signed_meeting,
    signed_review,
    verified_action,
)
from tests.objectives.factories_measurements import MeasurementFactory
from tests.objectives.factories_objectives import ActionPlanStepFactory, ObjectiveFactory
from tests.reviews.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendeeFactory,
    AuditFindingFactory,
    DecisionFactory,
)

pytestmark = pytest.mark.usefixtures("catalogue")


def more_records(n: int) -> None:
    """n more of each kind of record a pack lists in full."""
    for _ in range(n):
        meeting = signed_meeting()
        AttendeeFactory.create_batch(2, meeting=meeting)
        AgendaItemFactory(meeting=meeting)
        decision = DecisionFactory(meeting=meeting)
        ActionFactory(decision=decision)
        objective = ObjectiveFactory()
        MeasurementFactory(objective=objective)
        ActionPlanStepFactory(objective=objective)
        approved_revision(objective)
        AuditFindingFactory(audit=completed_audit())
        commitment_entry(["5.1.1.c"])
        responded_feedback()
        verified_action()


def gather() -> tuple[dict, int]:
    today = timezone.localdate()
    with CaptureQueriesContext(connection) as queries:
        data = pack_data(period_start=today.replace(year=today.year - 1), period_end=today, reference="EP-T")
    return data, len(queries)


def test_gathering_takes_the_same_number_of_queries_for_more_records():
    """Twice, then ten times as many meetings, objectives, audits, actions: the query count stays the same."""
    one_of_each_kind()
    more_records(1)
    small, small_queries = gather()
    more_records(8)
    large, large_queries = gather()
    assert large["counts"]["signed_meetings"] == small["counts"]["signed_meetings"] + 8
    assert large["counts"]["objectives"] == small["counts"]["objectives"] + 8
    assert large["counts"]["audit_findings"] == small["counts"]["audit_findings"] + 8
    assert large_queries == small_queries


def test_signature_checks_agree_with_the_apps_and_flag_a_changed_record():
    """Minutes and reviews are shown intact exactly when the reviews app says so; a change after signing shows."""
    one_of_each_kind()
    meeting = signed_meeting()
    decision = DecisionFactory(meeting=meeting)
    ActionFactory(decision=decision)
    review = signed_review(inputs={"9.3.2.c.1": {"data": {"complaints": 2}}})
    data, _queries = gather()
    shown = {m["reference"]: m["signature"] for m in data["meetings"]}
    for record in Meeting.objects.filter(status="signed", signature__isnull=False):
        assert shown[record.reference]["intact"] == meeting_signature_intact(meeting_get(record.pk))
    reviews = {r["reference"]: r["signature"]["intact"] for r in data["management_reviews"]}
    assert reviews[review.meeting.reference] == management_review_signature_intact(review)

    Meeting.objects.filter(pk=meeting.pk).update(general_notes="Rewritten after signing.")
    data, _queries = gather()
    flagged = next(m for m in data["meetings"] if m["reference"] == meeting.reference)
    assert flagged["signature"]["intact"] is False
    assert flagged["signature"]["name"]
    assert flagged["signature"]["meaning"]
    assert flagged["signature"]["signed_at"][-6] in "+-"  # UTC offset kept
