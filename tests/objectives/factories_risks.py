"""Factories of the risk register and of measurements for the progress check's tests."""

import datetime
from decimal import Decimal

import factory

from objectives.models import Measurement
from objectives.models.risks import Risk
from tests.leadership.factories import DepartmentFactory, PersonFactory, UserFactory


class RiskFactory(factory.django.DjangoModelFactory):
    """An open risk scored 3 x 4; the score is set by Risk.save()."""

    class Meta:
        model = Risk

    reference = factory.Sequence(lambda n: f"RO-{n + 1:03d}")
    title = factory.Sequence(lambda n: f"Risk {n}")
    description = "Single-source supplier of titanium bar could stop deliveries."
    type = Risk.Type.RISK
    source = Risk.Source.SUPPLIER
    likelihood = 3
    impact = 4
    treatment = "Qualify a second supplier."
    action = "Supplier audit of the second mill by the end of the quarter."
    department = factory.SubFactory(DepartmentFactory)
    owner = factory.SubFactory(PersonFactory, department=factory.SelfAttribute("..department"))
    status = Risk.Status.OPEN
    next_review_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=60))


def grow_risks(rows: int) -> None:
    """Risks spread over a few owners and departments, each linked to nothing: data for query counts."""
    departments = DepartmentFactory.create_batch(3)
    owners = [PersonFactory(department=d) for d in departments]
    for i in range(rows):
        RiskFactory(
            owner=owners[i % 3],
            department=departments[i % 3],
            likelihood=i % 5 + 1,
            impact=(i * 2) % 5 + 1,
            type=Risk.Type.OPPORTUNITY if i % 4 == 0 else Risk.Type.RISK,
        )


def add_measurements(objective, values: dict[str, str], entered_by=None) -> list[Measurement]:
    """Measurements of `objective`, {period start ISO date: value}, in one insert."""
    entered_by = entered_by or UserFactory()
    return Measurement.objects.bulk_create(
        Measurement(
            objective=objective,
            period_start=datetime.date.fromisoformat(period),
            value=Decimal(value),
            entered_by=entered_by,
        )
        for period, value in values.items()
    )
