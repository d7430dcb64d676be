"""The demo objectives: twelve active, planned objectives cascaded from three company ones."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from leadership import demo as leadership_demo
from leadership.demo.people import people_by_username
from leadership.selectors.policy import policy_version_published
from objectives.demo import objectives as demo
from objectives.models import Objective, TargetRevision
from objectives.selectors import objectives as selectors

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def staff():
    leadership_demo.seed()
    return people_by_username()


def test_demo_dates_follow_the_rule():
    # The 1st of the month 18 months ago; the 30 June following today + 6 months.
    assert demo.demo_dates(datetime.date(2026, 11, 25)) == (datetime.date(2025, 5, 1), datetime.date(2027, 6, 30))
    assert demo.demo_dates(datetime.date(2026, 12, 31)) == (datetime.date(2025, 6, 1), datetime.date(2027, 6, 30))
    assert demo.demo_dates(datetime.date(2026, 1, 15)) == (datetime.date(2024, 7, 1), datetime.date(2027, 6, 30))
    assert demo.demo_dates(datetime.date(2025, 12, 30)) == (datetime.date(2024, 6, 1), datetime.date(2026, 6, 30))
    assert demo.revision_effective_from(datetime.date(2026, 3, 31)) == datetime.date(2025, 9, 1)


@time_machine.travel(TODAY)
def test_the_demo_creates_the_twelve_objectives_as_planned_and_is_idempotent(staff):
    first = demo.seed(staff)
    second = demo.seed(staff)

    assert first == {
        "objectives": 12,
        "action plan steps": sum(len(p) for p in demo.PLANS.values()),
        "target revisions": 1,
    }
    assert set(second.values()) == {0}
    objectives = {o.reference: o for o in selectors.objective_list()}
    assert set(objectives) == {row[0] for row in demo.OBJECTIVES}
    published = policy_version_published()
    for objective in objectives.values():
        assert objective.status == Objective.Status.ACTIVE
        assert 2 <= objective.steps_total <= 4
        assert objective.evaluation_method
        assert objective.strategic_theme
        assert objective.policy_version == published
        assert (objective.start_date, objective.due_date) == (datetime.date(2025, 5, 1), datetime.date(2027, 6, 30))
        assert not selectors.objective_activation_gaps(objective)

    assert objectives["OBJ-PROD-2"].parent.reference == "OBJ-C1"
    assert objectives["OBJ-SALES-1"].parent.reference == "OBJ-C2"
    assert objectives["OBJ-SALES-2"].parent.reference == "OBJ-C3"
    assert objectives["OBJ-QA-1"].parent is None
    assert objectives["OBJ-QA-2"].owner.user.username == "lucy"
    assert objectives["OBJ-C1"].department.code == "EXEC"
    band = objectives["OBJ-PROD-3"]
    assert (band.direction, band.target, band.target_upper, band.frequency) == ("band", 6, 8, "weekly")
    assert [p.title for p in objectives["OBJ-PROD-1"].kpi_of_positions.all()] == ["Production Manager"]
    assert [p.title for p in objectives["OBJ-SALES-2"].kpi_of_positions.all()] == ["Sales & Customer Service Manager"]


@time_machine.travel(TODAY)
def test_the_scrap_target_was_revised_by_tom_and_approved_by_margaret(staff):
    demo.seed(staff)
    revision = TargetRevision.objects.get()
    objective = revision.objective

    assert objective.reference == "OBJ-PROD-1"
    assert (revision.status, revision.proposed_by.username, revision.decided_by.username) == (
        "approved",
        "tom",
        "margaret",
    )
    assert revision.reason == "New automated line 2: defect target from 3% to 1.5%"
    assert (revision.old_target, revision.new_target) == (Decimal("3.0"), Decimal("1.5"))
    assert revision.effective_from == datetime.date(2026, 5, 1)
    assert revision.signature.signer.username == "margaret"
    assert selectors.target_revision_signature_intact(selectors.target_revision_get(revision.pk)) is True
    assert objective.target == Decimal("1.5")
    assert selectors.targets_in_force(objective) == [
        (datetime.date(2025, 5, 1), Decimal("3.0"), None, Decimal("0.3")),
        (datetime.date(2026, 5, 1), Decimal("1.5"), None, Decimal("0.3")),
    ]
