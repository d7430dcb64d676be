"""The demo risk register: realistic entries, linked, reviewed, one overdue, idempotent."""

import pytest
from django.core.management import call_command

from leadership.demo import customers, people
from objectives.demo import risks
from objectives.models.risks import Risk
from objectives.selectors.risks import risk_list

pytestmark = pytest.mark.django_db


def test_demo_register_has_risks_and_opportunities_one_review_overdue():
    people.seed_organisation()
    staff = people.people_by_username()
    customers.seed(staff)

    created = risks.seed(staff)

    assert created == {"risks": len(risks.RISKS)} == {"risks": 12}
    register = risk_list()
    assert register.filter(type=Risk.Type.OPPORTUNITY).count() == 3
    assert [r.title for r in register.filter(review_overdue=True)] == ["CMM calibration overdue"]
    assert register.filter(status=Risk.Status.CLOSED).count() == 1
    assert register.filter(last_reviewed_by__isnull=False).count() == 11
    titanium = Risk.objects.get(title="Single-source titanium bar supplier")
    assert titanium.score == 15
    assert titanium.owner.user.username == "aisha"
    assert titanium.customer_requirements.filter(requirement__startswith="Medical device parts traceable").exists()
    assert risks.seed(staff) == {"risks": 0}


def test_demo_links_the_demo_objectives_and_runs_twice_without_adding_anything():
    call_command("seed_demo", "--quiet-logins")
    count = Risk.objects.count()

    call_command("seed_demo", "--quiet-logins")

    assert Risk.objects.count() == count == 12
    automation = Risk.objects.get(title="Automation of CNC line 2")
    assert set(automation.objectives.values_list("reference", flat=True)) == {"OBJ-PROD-1", "OBJ-C1"}
