"""Models of the employee quality feedback box (5.1.1.h)."""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from qms.concurrency import VersionField
from qms.models import TimeStampedModel


def feedback_answer_days() -> int:
    """Calendar days management has to answer a feedback item (CLAUSE5_FEEDBACK_ANSWER_DAYS)."""
    return int(getattr(settings, "CLAUSE5_FEEDBACK_ANSWER_DAYS", 10))


class EmployeeFeedback(TimeStampedModel):
    """A quality problem or improvement idea reported by an employee, named or anonymously."""

    REQUIREMENT_IDS = ("5.1.1.h",)

    class Kind(models.TextChoices):
        PROBLEM = "problem", "Quality problem"
        IDEA = "idea", "Improvement idea"

    class Status(models.TextChoices):
        NEW = "new", "New"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        ANSWERED = "answered", "Answered"
        CLOSED = "closed", "Closed"

    OPEN_STATUSES = (Status.NEW, Status.ACKNOWLEDGED)

    reference = models.CharField(max_length=20, unique=True, editable=False, help_text="e.g. EF-2026-004")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField()
    department = models.ForeignKey(
        "leadership.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employee_feedback",
        help_text="The department the problem or idea concerns, if any.",
    )
    submitted_at = models.DateTimeField(default=timezone.now, editable=False)
    anonymous = models.BooleanField(default=False)
    # Empty for anonymous feedback: who sent it is not stored anywhere, so nobody can look it up.
    reporter = models.ForeignKey(
        "leadership.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="employee_feedback"
    )
    # SHA-256 of the anonymous reporter's follow-up code; the code itself is shown once and never stored.
    followup_code_hash = models.CharField(max_length=64, blank=True, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    version = VersionField()

    # The code hash stays out of the history: the trail has no use for it.
    history = HistoricalRecords(excluded_fields=["followup_code_hash"])

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = "employee feedback"
        verbose_name_plural = "employee feedback"
        permissions = [("answer_employeefeedback", "Can answer employee quality feedback")]
        constraints = [
            # Anonymous means no reporter, and a way back in (the code); named means a reporter and no code.
            models.CheckConstraint(
                condition=(models.Q(anonymous=True, reporter__isnull=True) & ~models.Q(followup_code_hash=""))
                | models.Q(anonymous=False, reporter__isnull=False, followup_code_hash=""),
                name="employeefeedback_anonymous_has_no_reporter",
            ),
            models.UniqueConstraint(
                fields=["followup_code_hash"],
                condition=~models.Q(followup_code_hash=""),
                name="employeefeedback_followup_code_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["answered", "closed"], answered_at__isnull=False)
                | (models.Q(status__in=["new", "acknowledged"]) & models.Q(answered_at__isnull=True)),
                name="employeefeedback_answered_at_iff_answered",
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self):
        return reverse("leadership:employee-feedback-detail", args=[self.pk])

    @property
    def answer_due_at(self) -> datetime.datetime:
        return self.submitted_at + datetime.timedelta(days=feedback_answer_days())

    @property
    def is_overdue(self) -> bool:
        return self.status in self.OPEN_STATUSES and timezone.now() > self.answer_due_at

    @property
    def answered_late(self) -> bool:
        return self.answered_at is not None and self.answered_at > self.answer_due_at
