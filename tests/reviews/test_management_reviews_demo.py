"""The demo management reviews: one signed with everything an auditor looks for, one being prepared."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from leadership.models.commitment import CommitmentEntry
from leadership.models.resources import ResourceRequest
from qms.signatures import signature_matches
from reviews.models.actions import Action
from reviews.models.management_reviews import ManagementReview, ReviewInput
from reviews.models.meetings import Decision, Meeting
from reviews.selectors.management_reviews import (
    management_review_readiness,
    management_review_signature_intact,
)
from reviews.selectors.minutes import meeting_signed_content

pytestmark = pytest.mark.django_db

Item = ReviewInput.Item


@pytest.fixture
def demo():
    """The whole demo organisation, seeded as `make run` does."""
    call_command("seed_demo", "--quiet-logins")


def test_the_signed_review_is_complete_intact_and_followed_up(demo):
    """Held two months ago, every input addressed, both signatures intact, outputs a/b/c followed up."""
    review = ManagementReview.objects.get(status=ManagementReview.Status.SIGNED)
    meeting = review.meeting

    assert meeting.chair.user.username == "margaret"
    assert meeting.status == Meeting.Status.SIGNED
    assert signature_matches(meeting.signature, meeting_signed_content(meeting))
    assert management_review_signature_intact(review) is True
    assert review.signature.signer.username == "margaret"
    assert (review.period_end - review.period_start).days in (364, 365)
    assert review.signed_at > meeting.held_at
    assert management_review_readiness(review)["problems"] == []
    inputs = {i.item: i for i in review.inputs.all()}
    assert len(inputs[Item.ISSUES].entries) == 4
    assert len(inputs[Item.PROCESSES].entries) == 5
    assert {e["rating"] for e in inputs[Item.PROVIDERS].entries} == {"good", "acceptable", "poor"}
    held_on = timezone.localdate(meeting.held_at).isoformat()
    assert all(i.data.get("compiled_on") == held_on for i in inputs.values() if i.data)
    assert inputs[Item.AUDITS].data["records"] >= 1
    assert all(getattr(review, f) for f in ("suitability", "adequacy", "effectiveness", "strategic_alignment"))

    # Its outputs cover 9.3.3 a, b and c, each with an owner, actions and one resource request.
    outputs = Decision.objects.filter(meeting=review.meeting).exclude(output_category="")
    assert set(outputs.values_list("output_category", flat=True)) == set(Decision.OutputCategory.values)
    assert not outputs.filter(owner__isnull=True).exists()
    actions = Action.objects.filter(decision__in=outputs)
    assert actions.count() == 7
    assert set(actions.values_list("source", flat=True)) == {Action.Source.REVIEW_OUTPUT}
    assert actions.filter(status=Action.Status.VERIFIED).count() == 1
    request = ResourceRequest.objects.get(decisions__meeting=review.meeting)
    assert request.status == ResourceRequest.Status.APPROVED
    assert request.decided_by.username == "margaret"
    assert CommitmentEntry.objects.filter(
        source=CommitmentEntry.Source.REVIEW_SIGNED, person__user__username="margaret"
    ).exists()


def test_the_interim_review_is_being_prepared_and_seeding_again_adds_nothing(demo):
    """Decided by the signed review (D4), compiled, not ready; a second seed_demo adds nothing."""
    review = ManagementReview.objects.get(status=ManagementReview.Status.PREPARING)
    readiness = management_review_readiness(review)
    assert review.meeting.planned_start > review.meeting.created_at
    assert review.compiled_at is not None
    assert not readiness["ready"]
    assert 0 < readiness["inputs_done"] < 12
    signed = ManagementReview.objects.get(status=ManagementReview.Status.SIGNED)
    assert review.period_start == signed.period_end + datetime.timedelta(days=1)

    # Seeding again adds nothing.
    counts = (ManagementReview.objects.count(), ReviewInput.objects.count(), Decision.objects.count())
    call_command("seed_demo", "--quiet-logins")
    assert (ManagementReview.objects.count(), ReviewInput.objects.count(), Decision.objects.count()) == counts
    assert counts[0] == 2
