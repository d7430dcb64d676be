"""Factories of positions, holders, acknowledgements and appointments (5.3)."""

import datetime
import decimal

import factory

from leadership.models.positions import (
    ManagementRepresentativeAppointment,
    Position,
    PositionAcknowledgement,
    PositionHolder,
)
from tests.leadership.factories import DepartmentFactory, PersonFactory


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    title = factory.Sequence(lambda n: f"Position {n}")
    department = factory.SubFactory(DepartmentFactory)
    responsibilities = "Keeps the line running to drawing\nRecords the output of every shift"
    authorities = "May stop the line when a part fails inspection"
    requirement_ids = factory.LazyFunction(list)


class PositionHolderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PositionHolder

    position = factory.SubFactory(PositionFactory)
    person = factory.SubFactory(PersonFactory)
    start_date = datetime.date(2024, 1, 1)


class PositionAcknowledgementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PositionAcknowledgement

    position = factory.SubFactory(PositionFactory)
    person = factory.SubFactory(PersonFactory)
    revision = factory.LazyAttribute(lambda a: a.position.revision)
    content_sha256 = "0" * 64


class ManagementRepresentativeAppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ManagementRepresentativeAppointment

    person = factory.SubFactory(PersonFactory)
    powers = "Reports directly to the Managing Director\nCan require other departments to cooperate"
    budget_limit = decimal.Decimal("25000.00")
    budget_currency = "GBP"
    start_date = datetime.date(2024, 1, 8)


def grow_positions(count: int, *, requirement_ids=("5.3.a", "9.3.1")) -> list[Position]:
    """Positions held by two people each, one of whom acknowledged: data for query-count tests."""
    positions = []
    for i in range(count):
        position = PositionFactory(requirement_ids=[requirement_ids[i % len(requirement_ids)]])
        acknowledged, pending = PositionHolderFactory.create_batch(2, position=position)
        PositionAcknowledgementFactory(position=position, person=acknowledged.person)
        ManagementRepresentativeAppointmentFactory(person=pending.person)
        positions.append(position)
    return positions
