"""The leadership commitment log (5.1.1): what top management did, not what it said."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from qms.models import TimeStampedModel


class CommitmentEntry(TimeStampedModel):
    """A concrete action by a top manager that evidences leadership and commitment (5.1.1)."""

    class Source(models.TextChoices):
        MANUAL = "manual", "Entered by hand"
        POLICY_APPROVED = "policy-approved", "Approved the quality policy"
        RESOURCE_DECIDED = "resource-decided", "Decided on a resource request"
        APPOINTMENT_SIGNED = "appointment-signed", "Appointed the management representative"
        FEEDBACK_RESPONDED = "feedback-responded", "Responded to feedback"
        MEETING_CHAIRED = "meeting-chaired", "Chaired a quality meeting"
        REVIEW_SIGNED = "review-signed", "Signed a management review"
        TARGET_REVISED = "target-revised", "Decided on a target revision"
        RISKS_REVIEWED = "risks-reviewed", "Reviewed a risk or opportunity"

    date = models.DateField()
    person = models.ForeignKey("leadership.Person", on_delete=models.PROTECT, related_name="commitment_entries")
    description = models.TextField()
    requirement_ids = models.JSONField(default=list, help_text="The 5.1.1 items this action evidences.")
    source = models.CharField(max_length=30, choices=Source.choices, default=Source.MANUAL)
    # The record in Clause5 where the action happened, for entries made automatically.
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    source_record = GenericForeignKey("source_type", "source_id")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name_plural = "commitment entries"
        constraints = [
            # An action that happened in Clause5 is logged once, however often it is replayed.
            models.UniqueConstraint(
                fields=["source", "source_type", "source_id", "person"],
                condition=~models.Q(source="manual"),
                name="commitment_once_per_source_record",
            ),
        ]

    def __str__(self):
        return f"{self.date}: {self.person}: {self.description[:60]}"

    def get_absolute_url(self):
        return reverse("leadership:commitment-detail", args=[self.pk])
