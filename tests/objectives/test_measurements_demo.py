"""The demo measurements: 18 months of values that give each demo objective its scenario, idempotent."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from objectives.models import Measurement, Objective

pytestmark = pytest.mark.django_db

Health = Objective.Health

SCENARIOS = {
    "OBJ-C1": (Health.ON_TRACK, False),
    "OBJ-C2": (Health.AT_RISK, False),
    "OBJ-C3": (Health.ON_TRACK, False),
    "OBJ-PROD-1": (Health.AT_RISK, False),
    "OBJ-PROD-2": (Health.AT_RISK, True),
    "OBJ-QA-1": (Health.ON_TRACK, False),
    "OBJ-QA-2": (Health.NO_DATA, False),
    "OBJ-SALES-1": (Health.ON_TRACK, False),
    "OBJ-SALES-2": (Health.OFF_TRACK, False),
    "OBJ-SUP-1": (Health.ON_TRACK, False),
    "OBJ-ENG-1": (Health.AT_RISK, False),
    "OBJ-PROD-3": (Health.ON_TRACK, False),
}


def _seed(django_capture_on_commit_callbacks):
    # The health is refreshed once the seeding transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--quiet-logins")


@pytest.mark.parametrize(
    "today",
    [
        datetime.datetime(2026, 11, 25, 10, 0, tzinfo=datetime.UTC),  # a Wednesday late in the month
        datetime.datetime(2027, 1, 4, 8, 0, tzinfo=datetime.UTC),  # a Monday at the start of a quarter
        datetime.datetime(2026, 6, 13, 12, 0, tzinfo=datetime.UTC),  # a Saturday just before the due-date switch
    ],
)
def test_every_demo_objective_gets_its_scenario(django_capture_on_commit_callbacks, today):
    with time_machine.travel(today, tick=False):
        _seed(django_capture_on_commit_callbacks)

        found = {
            o.reference: (o.health, o.projected_to_miss) for o in Objective.objects.filter(reference__in=SCENARIOS)
        }
    assert found == SCENARIOS


def test_eighteen_months_of_values_by_owners_and_qa_staff_and_nothing_added_the_second_time(
    django_capture_on_commit_callbacks,
):
    with time_machine.travel(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=datetime.UTC), tick=False):
        _seed(django_capture_on_commit_callbacks)
        count = Measurement.objects.count()
        _seed(django_capture_on_commit_callbacks)

    assert Measurement.objects.count() == count
    counts = {o.reference: o.measurements.count() for o in Objective.objects.filter(reference__in=SCENARIOS)}
    # From the start (1 May 2025) to the last ended period before Wednesday 25 November 2026.
    assert counts["OBJ-C1"] == 18  # May 2025 to October 2026
    assert counts["OBJ-C3"] == 6  # Q2 2025 to Q3 2026
    assert counts["OBJ-PROD-3"] == 82  # the weeks of 28 April 2025 to 16 November 2026
    assert counts["OBJ-QA-2"] == 82 - 3
    assert set(Measurement.objects.values_list("entered_by__username", flat=True)) == {
        "lucy",
        "tom",
        "marek",
        "priya",
        "james",
        "aisha",
        "elena",
    }
    # Every value has its creation in the history, dated when it was entered.
    first = Measurement.objects.order_by("period_start").first()  # OBJ-C3, Q2 2025
    assert first.history.earliest().history_date == first.created_at
    assert first.created_at.date() == datetime.date(2025, 7, 3)
    corrected = Measurement.objects.exclude(correction_reason="").get()
    assert corrected.objective.reference == "OBJ-C1"
    assert corrected.history.count() == 2
