"""Top management's decisions on objectives and risks reach the leadership commitment log (5.1.1)."""

import datetime

import pytest

from leadership.models.commitment import CommitmentEntry
from objectives.services import objectives as objective_services
from objectives.services import risks as risk_services
from tests.conftest import PASSWORD
from tests.objectives.factories_objectives import ObjectiveFactory, TargetRevisionFactory
from tests.objectives.factories_risks import RiskFactory

pytestmark = pytest.mark.django_db


def test_approving_a_target_revision_is_logged_for_the_top_manager(ceo, mgmt_rep, time_machine):
    time_machine.move_to(datetime.datetime(2025, 6, 15, 10, 0, tzinfo=datetime.UTC))
    revision = TargetRevisionFactory(objective=ObjectiveFactory(), proposed_by=mgmt_rep)

    objective_services.target_revision_approve(actor=ceo, revision=revision, password=PASSWORD)

    entry = CommitmentEntry.objects.get()
    assert entry.person == ceo.person
    assert entry.source == CommitmentEntry.Source.TARGET_REVISED
    assert entry.source_record == revision
    assert entry.requirement_ids == ["5.1.1.b", "5.1.1.g"]


def test_a_top_managers_risk_review_is_logged_once_and_others_are_not(ceo, qa):
    risk = RiskFactory()
    next_review = datetime.date.today() + datetime.timedelta(days=90)

    risk_services.risk_mark_reviewed(actor=qa, risk=risk, next_review_date=next_review)
    assert not CommitmentEntry.objects.exists()

    risk_services.risk_mark_reviewed(actor=ceo, risk=risk, next_review_date=next_review)
    risk_services.risk_mark_reviewed(actor=ceo, risk=risk, next_review_date=next_review)
    entry = CommitmentEntry.objects.get()
    assert entry.source == CommitmentEntry.Source.RISKS_REVIEWED
    assert entry.requirement_ids == ["5.1.1.d"]
