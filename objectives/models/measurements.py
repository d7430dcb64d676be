"""Measurements of quality objectives (6.2.1.e, 9.1): one value per objective and period."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from qms.models import TimeStampedModel

WEEKLY, MONTHLY, QUARTERLY = "weekly", "monthly", "quarterly"


# Periods -------------------------------------------------------------------------------------
# A period is named by its first day: a Monday, the 1st of a month, or the 1st of a quarter.
# Plain functions of (frequency, date), so that the progress check, charts and imports agree.


def period_start_for(frequency: str, day: datetime.date) -> datetime.date:
    """The first day of the period of `frequency` that contains `day`."""
    if frequency == WEEKLY:
        return day - datetime.timedelta(days=day.weekday())
    if frequency == MONTHLY:
        return day.replace(day=1)
    if frequency == QUARTERLY:
        return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    raise ValueError(f"Unknown measurement frequency {frequency!r}")


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def period_shift(frequency: str, start: datetime.date, periods: int = 1) -> datetime.date:
    """The start of the period `periods` after (or, if negative, before) the one starting on `start`."""
    if frequency == WEEKLY:
        return start + datetime.timedelta(weeks=periods)
    if frequency == MONTHLY:
        return _add_months(start, periods)
    if frequency == QUARTERLY:
        return _add_months(start, 3 * periods)
    raise ValueError(f"Unknown measurement frequency {frequency!r}")


def period_end(frequency: str, start: datetime.date) -> datetime.date:
    """The last day of the period starting on `start`."""
    return period_shift(frequency, start) - datetime.timedelta(days=1)


def periods_between(frequency: str, first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The starts of every period from the one containing `first` to the one containing `last`."""
    periods, current, last = [], period_start_for(frequency, first), period_start_for(frequency, last)
    while current <= last:
        periods.append(current)
        current = period_shift(frequency, current)
    return periods


def period_label(frequency: str, start: datetime.date) -> str:
    """How people name the period: "Week of 3 Mar 2025", "Mar 2025", "Q1 2025"."""
    if frequency == WEEKLY:
        return f"Week of {start.day} {start:%b %Y}"
    if frequency == QUARTERLY:
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return f"{start:%b %Y}"


class Measurement(TimeStampedModel):
    """The measured value of an objective's metric for one period (week, month or quarter)."""

    # Evidence of monitoring the objectives (6.2.1.e) and the measurement results for the review.
    REQUIREMENT_IDS = ("6.2.1.e", "9.3.2.c.5")

    objective = models.ForeignKey("objectives.Objective", on_delete=models.PROTECT, related_name="measurements")
    period_start = models.DateField(help_text="First day of the period: a Monday, the 1st of a month or of a quarter.")
    value = models.DecimalField(max_digits=14, decimal_places=4)
    comment = models.TextField(blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # A corrected value keeps the old one in the history; the reason says why it changed.
    correction_reason = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["objective", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["objective", "period_start"], name="measurement_once_per_period"),
        ]

    def __str__(self):
        return f"{self.objective.reference} {self.period_start}: {self.value}"

    def get_absolute_url(self):
        return reverse("objectives:measurement-detail", args=[self.pk])

    def clean(self):
        frequency = self.objective.frequency if self.objective_id else ""
        if frequency and self.period_start and self.period_start != period_start_for(frequency, self.period_start):
            raise ValidationError(
                {
                    "period_start": f"{self.period_start:%Y-%m-%d} is not the first day of a {frequency} period; "
                    f"use {period_start_for(frequency, self.period_start):%Y-%m-%d}."
                }
            )

    @property
    def period_label(self) -> str:
        return period_label(self.objective.frequency, self.period_start) if self.objective.frequency else ""
