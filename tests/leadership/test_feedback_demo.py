"""The demo feedback box: named and anonymous items, most answered, one planted overdue."""

import pytest

from leadership.demo import feedback as feedback_demo
from leadership.demo import people as people_demo
from leadership.demo import resources as resources_demo
from leadership.models.commitment import CommitmentEntry
from leadership.models.feedback import EmployeeFeedback
from leadership.selectors.feedback import employee_feedback_overdue

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    people_demo.seed_organisation()
    return people_demo.people_by_username()


def test_the_demo_feedback_box_has_an_overdue_gap_and_anonymous_items(staff):
    resources_demo.seed(staff)
    created = feedback_demo.seed(staff)

    assert feedback_demo.seed(staff) == {"employee feedback": 0}
    assert created["employee feedback"] == len(feedback_demo.ITEMS) >= 10
    items = EmployeeFeedback.objects.all()
    assert items.filter(anonymous=True, reporter__isnull=True).count() >= 3
    assert items.filter(answered_at__isnull=False).count() > items.count() / 2
    assert [f.title for f in employee_feedback_overdue()] == ["Drawing revisions reach the shop floor late"]
    for anonymous in items.filter(anonymous=True):
        assert anonymous.history.filter(history_type="+").get().history_user is None
    assert CommitmentEntry.objects.filter(source="feedback-responded", person=staff["margaret"]).count() == 2
