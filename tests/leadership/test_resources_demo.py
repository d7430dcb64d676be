"""The demo year of resource requests and budget lines."""

import pytest
from django.utils import timezone

from leadership.demo import people as people_demo
from leadership.demo import resources as resources_demo
from leadership.models.commitment import CommitmentEntry
from leadership.models.resources import QualityBudget, ResourceRequest
from leadership.selectors import resources as selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    people_demo.seed_organisation()
    return people_demo.people_by_username()


def test_the_demo_tells_the_planned_story_and_is_idempotent(staff):
    first = resources_demo.seed(staff)
    second = resources_demo.seed(staff)

    assert first["resource requests"] == len(resources_demo.REQUESTS)
    assert first["quality budgets"] == 5
    assert set(second.values()) == {0}
    cmm = ResourceRequest.objects.get(title__startswith="Coordinate measuring machine")
    assert (cmm.status, cmm.decided_by.username, cmm.category) == ("approved", "margaret", "equipment")
    assert selectors.resource_request_get(cmm.pk).spent == cmm.amount
    assert selectors.resource_request_signature_intact(selectors.resource_request_get(cmm.pk)) is True
    training = ResourceRequest.objects.get(title__startswith="ISO 9001 internal auditor training")
    assert (training.status, training.category) == ("approved", "training")
    inspector = ResourceRequest.objects.get(title__startswith="Second final inspector")
    assert inspector.status == "rejected"
    assert inspector.decision_reason
    assert ResourceRequest.objects.get(title__startswith="MES upgrade").status == "submitted"
    # Decisions happened earlier in the year, and the commitment log says so.
    assert cmm.decided_at < timezone.now()
    entry = CommitmentEntry.objects.get(source="resource-decided", source_id=str(cmm.pk))
    assert entry.date == timezone.localdate(cmm.decided_at)
    year = timezone.localdate().year
    assert QualityBudget.objects.filter(year=year).count() == 5
    summary = selectors.quality_budget_summary(year)
    assert all(row["planned"] is not None for row in summary["categories"])
    assert summary["total"]["approved"] > 0
