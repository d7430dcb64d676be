"""Internal audits and their findings, as an input to management review (9.2, 9.3.2.c.6)."""

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from qms.models import TimeStampedModel


class InternalAudit(TimeStampedModel):
    """An internal audit of some departments or processes, on a date, by an auditor."""

    REQUIREMENT_IDS = ("9.3.2.c.6",)

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    reference = models.CharField(max_length=20, unique=True, editable=False, help_text="e.g. IA-2026-003")
    title = models.CharField(max_length=200)
    departments = models.ManyToManyField("leadership.Department", blank=True, related_name="internal_audits")
    processes = models.TextField(blank=True, help_text="Processes in scope, one per line.")
    criteria = models.CharField(max_length=300, blank=True, help_text="e.g. ISO 9001:2015 clauses 5, 6.2 and 9.3")
    planned_date = models.DateField()
    audit_date = models.DateField(null=True, blank=True, help_text="When it was carried out.")
    lead_auditor = models.ForeignKey("leadership.Person", on_delete=models.PROTECT, related_name="led_audits")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    summary = models.TextField(blank=True, help_text="Overall conclusion of the audit.")

    history = HistoricalRecords(m2m_fields=[departments])

    class Meta:
        ordering = ["-planned_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="completed") | models.Q(audit_date__isnull=False),
                name="internalaudit_completed_has_date",
                violation_error_message="audit_date: a completed audit needs the date it was carried out.",
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self):
        return reverse("reviews:audit-detail", args=[self.pk])


class AuditFinding(TimeStampedModel):
    """A finding of an internal audit: a nonconformity, an observation or an opportunity for improvement."""

    class Kind(models.TextChoices):
        MAJOR = "major", "Major nonconformity"
        MINOR = "minor", "Minor nonconformity"
        OBSERVATION = "observation", "Observation"
        OPPORTUNITY = "opportunity", "Opportunity for improvement"

    NONCONFORMITIES = (Kind.MAJOR, Kind.MINOR)

    audit = models.ForeignKey(InternalAudit, on_delete=models.PROTECT, related_name="findings")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    department = models.ForeignKey(
        "leadership.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="audit_findings"
    )
    clause = models.CharField(max_length=40, blank=True, help_text="The ISO 9001 clause concerned, e.g. 9.3.2.")
    description = models.TextField(help_text="What was found, against which requirement.")
    evidence = models.TextField(blank=True, help_text="The objective evidence seen.")
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["audit", "number"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "number"], name="auditfinding_number_unique_in_audit"),
        ]

    def __str__(self):
        return f"{self.audit.reference}-F{self.number}: {self.get_kind_display()}"

    def get_absolute_url(self):
        return self.audit.get_absolute_url() + f"#finding-{self.pk}"

    @property
    def label(self) -> str:
        return f"{self.audit.reference}-F{self.number}"
