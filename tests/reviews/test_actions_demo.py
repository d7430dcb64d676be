"""The demo action register: actions from every non-meeting source, in every state, built through the services."""

import time

import pytest

from leadership.demo import customers, feedback, people
from objectives.demo import objectives, risks
from reviews.demo import actions
from reviews.models.actions import Action

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    people.seed_organisation()
    staff = people.people_by_username()
    for area in (customers, feedback, objectives, risks):
        area.seed(staff)
    return staff


def test_demo_actions_cover_every_source_and_state(staff):
    started = time.monotonic()
    assert actions.seed(staff) == {"actions (register)": 7}
    assert time.monotonic() - started < 5, "the area's seed stays quick"

    by_source = {}
    for action in Action.objects.all():
        by_source.setdefault(action.source, []).append(action)
    complaints = sorted(by_source["customer-feedback"], key=lambda a: a.status)
    assert [a.status for a in complaints] == ["in-progress", "verified"]
    overdue = complaints[0]
    assert overdue.days_overdue == 33
    assert complaints[1].verified_by.user.username == "priya"
    assert [a.status for a in by_source["employee-feedback"]] == ["in-progress"]
    assert sorted(a.status for a in by_source["objective"]) == ["done", "in-progress"]
    reopened = [a for a in by_source["risk"] if a.status == "reopened"]
    assert len(reopened) == 1
    assert reopened[0].reopened_count == 1
    assert reopened[0].verification_note.startswith("Not effective yet")
    assert len(by_source["risk"]) == 2


def test_demo_actions_have_a_full_trail_and_owners_never_verify(staff):
    actions.seed(staff)
    verified = Action.objects.get(status="verified")
    assert verified.verified_by != verified.owner
    assert [h.status for h in verified.history.order_by("history_id")] == ["open", "in-progress", "done", "verified"]
    assert {h.history_user.username for h in verified.history.all()} == {"lucy", "tom", "priya"}


def test_demo_actions_are_seeded_once(staff):
    actions.seed(staff)
    count = Action.objects.count()
    assert actions.seed(staff) == {"actions (register)": 0}
    assert Action.objects.count() == count


def test_demo_actions_skip_sources_that_are_not_loaded():
    people.seed_organisation()
    assert actions.seed(people.people_by_username()) == {"actions (register)": 0}
