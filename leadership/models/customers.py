"""Models of customer focus (5.1.2): customer feedback, requirements and figures."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from qms.concurrency import VersionField
from qms.models import TimeStampedModel


class Customer(TimeStampedModel):
    """A customer of the organisation, named once so that feedback and requirements can be counted per customer."""

    name = models.CharField(max_length=200)
    account_code = models.CharField(
        max_length=40, blank=True, help_text="The customer's account number in the ERP or sales system, if any."
    )
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="customer_name_unique_ci",
                violation_error_message="name: a customer with this name already exists.",
            ),
            models.UniqueConstraint(
                fields=["account_code"],
                condition=~models.Q(account_code=""),
                name="customer_account_code_unique",
                violation_error_message="account_code: another customer has this account code.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("leadership:customer-feedback-list") + f"?customer={self.pk}"

    def validate_constraints(self, exclude=None):
        # clean() names the field in its message; the constraints stay as the database's guarantee.
        super().validate_constraints(exclude={*(exclude or ()), "name", "account_code"})

    def clean(self):
        self.name = " ".join((self.name or "").split())
        self.account_code = (self.account_code or "").strip()
        errors = {}
        if self.name and Customer.objects.filter(name__iexact=self.name).exclude(pk=self.pk).exists():
            errors["name"] = f"A customer named {self.name!r} already exists."
        if self.account_code and Customer.objects.filter(account_code=self.account_code).exclude(pk=self.pk).exists():
            errors["account_code"] = f"Another customer already has the account code {self.account_code!r}."
        if errors:
            raise ValidationError(errors)


class CustomerFeedback(TimeStampedModel):
    """Something a customer told the organisation (complaint, survey response, compliment, ...) and its handling."""

    REQUIREMENT_IDS = ("5.1.2.c", "9.3.2.c.1")

    class Type(models.TextChoices):
        COMPLAINT = "complaint", "Complaint"
        SURVEY_RESPONSE = "survey-response", "Survey response"
        COMPLIMENT = "compliment", "Compliment"
        RETURN = "return", "Return"
        REQUIREMENT_CHANGE = "requirement-change", "Requirement change"

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        PHONE = "phone", "Phone"
        VISIT = "visit", "Visit"
        SURVEY = "survey", "Survey"
        PORTAL = "portal", "Customer portal"
        OTHER = "other", "Other"

    class Severity(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"
        CRITICAL = "critical", "Critical"

    class Status(models.TextChoices):
        NEW = "new", "New"
        ASSESSED = "assessed", "Assessed"
        RESPONDED = "responded", "Management response given"
        CLOSED = "closed", "Closed"

    # Types whose severity drives the response-time targets.
    SEVERITY_TYPES = (Type.COMPLAINT, Type.RETURN)
    # Types that may be closed without a management response.
    NO_RESPONSE_NEEDED_TYPES = (Type.SURVEY_RESPONSE, Type.COMPLIMENT)
    SCORE_MIN, SCORE_MAX = 0, 10

    reference = models.CharField(
        max_length=20, unique=True, editable=False, help_text="Generated: CF-<year received>-<number>."
    )
    type = models.CharField(max_length=20, choices=Type.choices)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="feedback")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    received_date = models.DateField()
    product = models.CharField(max_length=200, blank=True, help_text="The product or service the feedback is about.")
    severity = models.CharField(
        max_length=10, choices=Severity.choices, blank=True, help_text="Complaints and returns only."
    )
    satisfaction_score = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Survey responses only: 0 (very dissatisfied) to 10 (very satisfied)."
    )
    description = models.TextField()
    department = models.ForeignKey(
        "leadership.Department",
        on_delete=models.PROTECT,
        related_name="customer_feedback",
        help_text="The department responsible for handling it.",
    )
    owner = models.ForeignKey(
        "leadership.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="customer_feedback_owned",
        help_text="The person who sees it through; defaults to the head of the department.",
    )
    # Lifecycle fields are set only by the services, but stay "editable" so the change history
    # (which diffs editable fields) shows each step.
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    # The target in force when the feedback was registered applies: a later change of target
    # does not turn answered complaints late or open ones on time.
    response_due_on = models.DateField(null=True, blank=True)
    close_due_on = models.DateField(null=True, blank=True)

    assessment_note = models.TextField(blank=True)
    root_cause = models.TextField(blank=True)
    assessed_on = models.DateField(null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    response = models.TextField(blank=True, help_text="The decision management took.")
    responded_on = models.DateField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    effectiveness_check = models.TextField(
        blank=True, help_text="How it was verified that the response worked (or, for a compliment, what was done)."
    )
    closed_on = models.DateField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = VersionField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_date", "-pk"]
        verbose_name = "customer feedback"
        verbose_name_plural = "customer feedback"
        permissions = [
            ("respond_customerfeedback", "Can record management's response to customer feedback"),
        ]
        indexes = [
            models.Index(fields=["type", "received_date"], name="customerfeedback_type_date"),
            models.Index(fields=["status", "received_date"], name="customerfeedback_status_date"),
            # The register's default order (newest first): its first page is read from the index.
            models.Index(fields=["received_date", "id"], name="customerfeedback_date_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfaction_score__isnull=True)
                | models.Q(satisfaction_score__gte=0, satisfaction_score__lte=10),
                name="customerfeedback_score_0_to_10",
            ),
            models.CheckConstraint(
                condition=(models.Q(type="survey-response") & models.Q(satisfaction_score__isnull=False))
                | (~models.Q(type="survey-response") & models.Q(satisfaction_score__isnull=True)),
                name="customerfeedback_score_only_on_surveys",
            ),
            models.CheckConstraint(
                condition=(models.Q(type__in=["complaint", "return"]) & ~models.Q(severity=""))
                | (~models.Q(type__in=["complaint", "return"]) & models.Q(severity="")),
                name="customerfeedback_severity_on_complaints_and_returns",
            ),
            models.CheckConstraint(
                condition=models.Q(status="new") | models.Q(assessed_on__isnull=False),
                name="customerfeedback_assessed_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="responded") | models.Q(responded_on__isnull=False),
                name="customerfeedback_responded_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(closed_on__isnull=False),
                name="customerfeedback_closed_has_date",
            ),
        ]

    def __str__(self):
        return self.reference or f"{self.get_type_display()} from {self.customer_id and self.customer}"

    def get_absolute_url(self):
        return reverse("leadership:customer-feedback-detail", args=[self.pk])

    @property
    def needs_response(self) -> bool:
        """Whether a management response is needed before it can be closed."""
        return self.type not in self.NO_RESPONSE_NEEDED_TYPES

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.received_date and self.received_date > today:
            errors["received_date"] = f"{self.received_date:%Y-%m-%d} is in the future; give the day it was received."
        if self.type in self.SEVERITY_TYPES and not self.severity:
            errors["severity"] = f"Give the severity of the {self.get_type_display().lower()}."
        elif self.type and self.type not in self.SEVERITY_TYPES and self.severity:
            errors["severity"] = "Severity applies to complaints and returns only; leave it empty."
        if self.type == self.Type.SURVEY_RESPONSE and self.satisfaction_score is None:
            errors["satisfaction_score"] = "Give the satisfaction score of the survey response (0 to 10)."
        elif self.type != self.Type.SURVEY_RESPONSE and self.satisfaction_score is not None:
            errors["satisfaction_score"] = "A satisfaction score belongs to survey responses only; leave it empty."
        elif self.satisfaction_score is not None and not (self.SCORE_MIN <= self.satisfaction_score <= self.SCORE_MAX):
            errors["satisfaction_score"] = f"{self.satisfaction_score} is outside the scale of 0 to 10."
        if errors:
            raise ValidationError(errors)


class ResponseTarget(TimeStampedModel):
    """The organisation's target for how fast feedback of one severity gets a management response and is closed."""

    # Used when no row exists for a severity: (days to management response, days to close).
    DEFAULTS = {
        CustomerFeedback.Severity.CRITICAL: (2, 14),
        CustomerFeedback.Severity.HIGH: (5, 30),
        CustomerFeedback.Severity.MEDIUM: (10, 45),
        CustomerFeedback.Severity.LOW: (20, 60),
    }

    severity = models.CharField(max_length=10, choices=CustomerFeedback.Severity.choices, unique=True)
    days_to_response = models.PositiveSmallIntegerField(
        help_text="Calendar days from receipt to management's response."
    )
    days_to_close = models.PositiveSmallIntegerField(
        help_text="Calendar days from receipt to closure with an effectiveness check."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["days_to_response", "severity"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(days_to_response__gte=1), name="responsetarget_response_at_least_a_day"
            ),
            models.CheckConstraint(
                condition=models.Q(days_to_close__gte=models.F("days_to_response")),
                name="responsetarget_close_after_response",
            ),
        ]

    def __str__(self):
        return f"{self.get_severity_display()}: respond in {self.days_to_response} days, close in {self.days_to_close}"

    def get_absolute_url(self):
        return reverse("leadership:response-target-list")

    def clean(self):
        errors = {}
        if self.days_to_response is not None and self.days_to_response < 1:
            errors["days_to_response"] = "Give at least 1 day."
        if (
            self.days_to_response is not None
            and self.days_to_close is not None
            and self.days_to_close < self.days_to_response
        ):
            errors["days_to_close"] = (
                f"Closing ({self.days_to_close} days) cannot be due before the response ({self.days_to_response} days)."
            )
        if errors:
            raise ValidationError(errors)


class CustomerRequirement(TimeStampedModel):
    """A customer or legal requirement the organisation must meet, and the process that meets it (5.1.2.a)."""

    REQUIREMENT_IDS = ("5.1.2.a",)

    class Category(models.TextChoices):
        PRODUCT = "product", "Product"
        DELIVERY = "delivery", "Delivery"
        PACKAGING = "packaging", "Packaging"
        DOCUMENTATION = "documentation", "Documentation"
        LEGAL = "legal", "Legal / regulatory"

    class Source(models.TextChoices):
        CONTRACT = "contract", "Contract"
        DRAWING = "drawing", "Drawing"
        SPECIFICATION = "specification", "Specification"
        REGULATION = "regulation", "Regulation"

    requirement = models.CharField(max_length=300, help_text="What must be met, as the customer or the law states it.")
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requirements",
        help_text="Empty for a requirement that applies to every customer (e.g. a regulation).",
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    department = models.ForeignKey(
        "leadership.Department",
        on_delete=models.PROTECT,
        related_name="customer_requirements",
        help_text="The department whose process meets it.",
    )
    process = models.CharField(max_length=200, help_text="The process that meets it, e.g. final inspection.")
    verification = models.TextField(help_text="How meeting it is verified (inspection, record, test).")
    source = models.CharField(max_length=20, choices=Source.choices)
    source_reference = models.CharField(
        max_length=120, blank=True, help_text="Contract, drawing, specification or regulation number."
    )
    is_active = models.BooleanField(default=True)
    review_date = models.DateField(help_text="When it is next checked against the customer's current documents.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["review_date", "pk"]

    def __str__(self):
        return self.requirement if len(self.requirement) <= 80 else self.requirement[:79] + "…"

    def get_absolute_url(self):
        return reverse("leadership:customer-requirement-detail", args=[self.pk])


class OrderVolume(TimeStampedModel):
    """The number of customer orders in one month: the denominator of the complaint rate."""

    month = models.DateField(unique=True, help_text="The first day of the month.")
    orders = models.PositiveIntegerField(help_text="Customer orders (or order lines) shipped in the month.")
    note = models.CharField(max_length=200, blank=True, help_text="Where the figure comes from, e.g. the ERP report.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.CheckConstraint(condition=models.Q(month__day=1), name="ordervolume_month_is_first_day"),
        ]

    def __str__(self):
        return f"{self.month:%B %Y}: {self.orders} orders"

    def get_absolute_url(self):
        return reverse("leadership:order-volume-list")

    def clean(self):
        if isinstance(self.month, datetime.date) and self.month.day != 1:
            raise ValidationError({"month": "Give the first day of the month."})
