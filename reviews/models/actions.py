"""The single action register: every follow-up, from whatever source, to verified effectiveness (10.2, 9.3.3)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from qms.models import TimeStampedModel


class Action(TimeStampedModel):
    """A piece of follow-up with an owner and a due date, closed only when someone else verifies it worked."""

    class Source(models.TextChoices):
        MEETING_DECISION = "meeting-decision", "Meeting decision"
        REVIEW_OUTPUT = "review-output", "Management review output"
        CUSTOMER_FEEDBACK = "customer-feedback", "Customer feedback"
        EMPLOYEE_FEEDBACK = "employee-feedback", "Employee feedback"
        OBJECTIVE = "objective", "Quality objective"
        RISK = "risk", "Risk or opportunity"
        AUDIT_FINDING = "audit-finding", "Internal audit finding"

    # The foreign key that each source must fill.
    SOURCE_FIELDS = {
        Source.MEETING_DECISION: "decision",
        Source.REVIEW_OUTPUT: "decision",
        Source.CUSTOMER_FEEDBACK: "customer_feedback",
        Source.EMPLOYEE_FEEDBACK: "employee_feedback",
        Source.OBJECTIVE: "objective",
        Source.RISK: "risk",
        Source.AUDIT_FINDING: "audit_finding",
    }

    class Priority(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"
        CRITICAL = "critical", "Critical"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in-progress", "In progress"
        DONE = "done", "Done, awaiting verification"
        VERIFIED = "verified", "Verified effective"
        REOPENED = "reopened", "Reopened"

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.REOPENED)

    reference = models.CharField(max_length=20, unique=True, editable=False, help_text="e.g. ACT-2026-042")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=Source.choices)
    decision = models.ForeignKey(
        "reviews.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    customer_feedback = models.ForeignKey(
        "leadership.CustomerFeedback", on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    employee_feedback = models.ForeignKey(
        "leadership.EmployeeFeedback", on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    objective = models.ForeignKey(
        "objectives.Objective", on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    risk = models.ForeignKey("objectives.Risk", on_delete=models.PROTECT, null=True, blank=True, related_name="actions")
    audit_finding = models.ForeignKey(
        "reviews.AuditFinding", on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    owner = models.ForeignKey("leadership.Person", on_delete=models.PROTECT, related_name="owned_actions")
    department = models.ForeignKey(
        "leadership.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    due_date = models.DateField()
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    completed_at = models.DateTimeField(null=True, blank=True)
    completion_note = models.TextField(blank=True, help_text="What was done.")
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        "leadership.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="verified_actions"
    )
    verification_note = models.TextField(blank=True, help_text="The evidence that the action worked, or did not.")
    reopened_count = models.PositiveSmallIntegerField(default=0, editable=False)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        permissions = [("verify_action", "Can verify that an action was effective, or reopen it")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(source__in=["meeting-decision", "review-output"], decision__isnull=False)
                    | models.Q(source="customer-feedback", customer_feedback__isnull=False)
                    | models.Q(source="employee-feedback", employee_feedback__isnull=False)
                    | models.Q(source="objective", objective__isnull=False)
                    | models.Q(source="risk", risk__isnull=False)
                    | models.Q(source="audit-finding", audit_finding__isnull=False)
                ),
                name="action_source_record_present",
                violation_error_message="The action must point at the record its source names.",
            ),
            models.CheckConstraint(
                condition=models.Q(verified_by__isnull=True) | ~models.Q(verified_by=models.F("owner")),
                name="action_verifier_not_owner",
                violation_error_message="verified_by: an action is verified by someone other than its owner.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="verified") | models.Q(verified_at__isnull=False, verified_by__isnull=False),
                name="action_verified_has_verifier",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["done", "verified"]) | models.Q(completed_at__isnull=False),
                name="action_done_has_completion",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["owner", "status"]),
            # The register's default order: its first page is read from the index, not sorted.
            models.Index(fields=["due_date", "id"], name="action_due_date_id"),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self):
        return reverse("reviews:action-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def days_overdue(self) -> int:
        """Days past the due date while the action is still open (0 when not overdue), in the local date."""
        if not self.is_open:
            return 0
        return max((timezone.localdate() - self.due_date).days, 0)

    @property
    def source_record(self):
        field = self.SOURCE_FIELDS.get(self.source)
        return getattr(self, field) if field else None
