"""The customer focus demo: realistic, current, idempotent, with its planted gaps."""

import pytest
from django.core.management import call_command

from leadership.demo import customers, people
from leadership.models.commitment import CommitmentEntry
from leadership.models.customers import CustomerFeedback, CustomerRequirement, OrderVolume, ResponseTarget
from leadership.selectors import customers as selectors

pytestmark = pytest.mark.django_db


def test_demo_builds_a_register_with_open_closed_and_overdue_feedback(django_assert_max_num_queries):
    people.seed_organisation()
    staff = people.people_by_username()
    # Bulk inserts of the survey responses keep this seeder to a few thousand queries.
    with django_assert_max_num_queries(10000):
        created = customers.seed(staff)

    assert created["customer feedback"] == CustomerFeedback.objects.count()

    feedback = selectors.customer_feedback_list()
    assert feedback.count() > 150
    assert feedback.filter(overdue_response=True, type=CustomerFeedback.Type.COMPLAINT).exists()
    assert feedback.filter(status=CustomerFeedback.Status.CLOSED, type=CustomerFeedback.Type.COMPLAINT).count() > 20
    assert feedback.filter(type=CustomerFeedback.Type.COMPLIMENT).exists()
    assert feedback.filter(type=CustomerFeedback.Type.RETURN).exists()
    assert feedback.exclude(status=CustomerFeedback.Status.CLOSED).filter(type=CustomerFeedback.Type.COMPLAINT).exists()
    assert ResponseTarget.objects.count() == 4
    assert 8 <= CustomerRequirement.objects.count() <= 10
    assert OrderVolume.objects.count() == 18
    assert CommitmentEntry.objects.filter(source=CommitmentEntry.Source.FEEDBACK_RESPONDED).exists()
    figures = selectors.customer_figures()
    assert not figures["months_without_orders"]
    assert figures["overall"]["average_score"] is not None
    # Every record has its creation in the history, bulk-inserted ones included.
    assert CustomerFeedback.history.filter(history_type="+").count() == feedback.count()


def test_demo_runs_twice_without_adding_anything():
    call_command("seed_demo", "--quiet-logins")
    counts = (CustomerFeedback.objects.count(), CustomerRequirement.objects.count(), OrderVolume.objects.count())

    call_command("seed_demo", "--quiet-logins")

    assert (
        CustomerFeedback.objects.count(),
        CustomerRequirement.objects.count(),
        OrderVolume.objects.count(),
    ) == counts
