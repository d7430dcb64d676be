"""Factories for measurements of quality objectives."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import factory

from objectives.models import Measurement
from objectives.models.measurements import period_shift, period_start_for
from tests.leadership.factories import UserFactory
from tests.objectives.factories_objectives import ObjectiveFactory


class MeasurementFactory(factory.django.DjangoModelFactory):
    """A value of a (monthly, active) objective; successive ones take successive periods from its start."""

    class Meta:
        model = Measurement

    objective = factory.SubFactory(ObjectiveFactory)
    period_start = factory.LazyAttributeSequence(
        lambda m, n: period_shift(
            m.objective.frequency,
            period_start_for(m.objective.frequency, m.objective.start_date or datetime.date(2025, 1, 1)),
            n % 12,
        )
    )
    value = Decimal("2.5")
    comment = ""
    entered_by = factory.SubFactory(UserFactory)


def measure(objective, values, *, first: datetime.date | None = None, entered_by=None) -> list[Measurement]:
    """Successive values of `objective`, one per period from `first` (default: its start)."""
    frequency = objective.frequency
    period = period_start_for(frequency, first or objective.start_date)
    created = []
    for value in values:
        if value is not None:
            created.append(
                MeasurementFactory(
                    objective=objective,
                    period_start=period,
                    value=Decimal(str(value)),
                    **({"entered_by": entered_by} if entered_by else {}),
                )
            )
        period = period_shift(frequency, period)
    return created


def parse_svg(svg: str) -> ET.Element:
    """Parse a chart as XML: it must be well-formed to show inline and in PDFs."""
    return ET.fromstring(svg)  # noqa: S314 (the chart module's own output, not untrusted input)
