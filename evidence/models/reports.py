"""The management representative's weekly operation report to top management (5.3.c)."""

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from qms.models import TimeStampedModel


class WeeklyReport(TimeStampedModel):
    """One week's report: problems found and resources requested, as data, a page and a PDF."""

    week = models.CharField(max_length=8, unique=True, help_text="ISO week, e.g. 2026-W48.")
    period_start = models.DateField()
    period_end = models.DateField()
    data = models.JSONField(default=dict, help_text="What the report says, frozen when it was written.")
    generated_at = models.DateTimeField()
    file = models.FileField(upload_to="reports/%Y/", max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start"]

    def __str__(self):
        return f"Weekly operation report {self.week}"

    def get_absolute_url(self):
        return reverse("evidence:weekly-report-detail", args=[self.week])
