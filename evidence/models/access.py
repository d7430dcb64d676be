"""Time-limited access of auditors (external certification body auditors above all)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from qms.models import TimeStampedModel


class AuditorAccess(TimeStampedModel):
    """The period in which an auditor's account may sign in; after `valid_until` login fails with a clear message."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="auditor_access")
    organisation = models.CharField(max_length=200, blank=True, help_text="e.g. the certification body.")
    valid_from = models.DateField()
    valid_until = models.DateField(help_text="Last day the account may sign in.")
    note = models.CharField(max_length=300, blank=True, help_text="e.g. surveillance audit 2026, stage 2.")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["valid_until", "pk"]
        verbose_name_plural = "auditor access"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__lte=models.F("valid_until")),
                name="auditoraccess_period_ordered",
                violation_error_message="valid_until: access must end on or after the day it starts.",
            ),
        ]

    def __str__(self):
        return f"{self.user} from {self.valid_from} to {self.valid_until}"

    def get_absolute_url(self):
        return reverse("evidence:auditor-access-list")
