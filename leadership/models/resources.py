"""Models of resource requests and the quality budget (5.1.1.e, 7.1)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from qms.models import TimeStampedModel

CURRENCY_VALIDATOR = RegexValidator(r"^[A-Z]{3}$", "Use a three-letter ISO 4217 code in capitals, e.g. GBP.")


def default_currency() -> str:
    """The organisation's currency (CLAUSE5_CURRENCY), used when a request or budget names none."""
    return getattr(settings, "CLAUSE5_CURRENCY", "GBP")


class ResourceCategory(models.TextChoices):
    PEOPLE = "people", "People"
    EQUIPMENT = "equipment", "Equipment"
    TRAINING = "training", "Training"
    INFRASTRUCTURE = "infrastructure", "Infrastructure"
    BUDGET = "budget", "Budget"


class ResourceRequest(TimeStampedModel):
    """A request to top management for a resource the quality management system needs."""

    # Re-exported so that callers write ResourceRequest.Category like every other choice.
    Category = ResourceCategory

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    reference = models.CharField(max_length=20, unique=True, editable=False, help_text="e.g. RR-2026-007")
    title = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=ResourceCategory.choices)
    amount = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))], help_text="Estimated cost."
    )
    currency = models.CharField(max_length=3, default=default_currency, validators=[CURRENCY_VALIDATOR])
    justification = models.TextField(help_text="Why the quality management system needs it, and what happens without.")
    requester = models.ForeignKey("leadership.Person", on_delete=models.PROTECT, related_name="resource_requests")
    department = models.ForeignKey(
        "leadership.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="resource_requests"
    )
    serves = models.CharField(
        max_length=300,
        blank=True,
        help_text="The quality objective, decision or plan this request serves.",
    )
    needed_by = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    requirement_ids = models.JSONField(default=list, help_text="The ISO 9001 items this request evidences.")
    decision_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_signature = models.OneToOneField(
        "qms.Signature", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("decide_resourcerequest", "Can approve or reject resource requests")]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="resourcerequest_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(status__in=["approved", "rejected"], decided_at__isnull=False)
                | (~models.Q(status__in=["approved", "rejected"]) & models.Q(decided_at__isnull=True)),
                name="resourcerequest_decided_at_iff_decided",
            ),
        ]
        indexes = [models.Index(fields=["status", "needed_by"])]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self):
        return reverse("leadership:resource-request-detail", args=[self.pk])

    @property
    def is_decided(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.REJECTED)


class ResourceSpend(TimeStampedModel):
    """An amount actually spent against an approved resource request."""

    request = models.ForeignKey(ResourceRequest, on_delete=models.PROTECT, related_name="spends")
    date = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    note = models.CharField(max_length=300, blank=True, help_text="Invoice, supplier or what was bought.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="resourcespend_amount_positive"),
        ]

    def __str__(self):
        return f"{self.date}: {self.amount} on {self.request.reference}"

    def get_absolute_url(self):
        return self.request.get_absolute_url()


class QualityBudget(TimeStampedModel):
    """The amount planned for quality in one category for one year."""

    Category = ResourceCategory
    REQUIREMENT_IDS = ("5.1.1.e",)

    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    category = models.CharField(max_length=20, choices=ResourceCategory.choices)
    planned_amount = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    currency = models.CharField(max_length=3, default=default_currency, validators=[CURRENCY_VALIDATOR])

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "category"],
                name="qualitybudget_one_per_year_category",
                violation_error_message="A budget for this category and year already exists.",
            ),
            models.CheckConstraint(
                condition=models.Q(planned_amount__gte=0), name="qualitybudget_planned_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.get_category_display()}: {self.currency} {self.planned_amount}"

    def get_absolute_url(self):
        return reverse("leadership:quality-budget", args=[self.year])
