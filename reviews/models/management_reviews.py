"""Management reviews (9.3): the compiled and frozen 9.3.2 inputs, the conclusions and the signature."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from qms.models import TimeStampedModel


class ManagementReview(TimeStampedModel):
    """The management review held in a meeting: its inputs, conclusions on the QMS, outputs and signature."""

    REQUIREMENT_IDS = ("9.3.1", "5.1.1.a")

    class Status(models.TextChoices):
        PREPARING = "preparing", "Preparing"
        HELD = "held", "Held, inputs frozen"
        SIGNED = "signed", "Signed"

    meeting = models.OneToOneField("reviews.Meeting", on_delete=models.PROTECT, related_name="management_review")
    period_start = models.DateField(help_text="First day of the period the review looks back on.")
    period_end = models.DateField(help_text="Last day of the period the review looks back on.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PREPARING)
    compiled_at = models.DateTimeField(null=True, blank=True, editable=False)
    frozen_at = models.DateTimeField(null=True, blank=True, editable=False)
    suitability = models.TextField(blank=True, help_text="Is the QMS still suitable for the organisation?")
    adequacy = models.TextField(blank=True, help_text="Is the QMS adequate: does it cover what it must?")
    effectiveness = models.TextField(blank=True, help_text="Is the QMS effective: does it reach its results?")
    strategic_alignment = models.TextField(
        blank=True, help_text="How the QMS and its results align with the strategic direction (9.3.1)."
    )
    signed_at = models.DateTimeField(null=True, blank=True, editable=False)
    signature = models.OneToOneField("qms.Signature", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_end", "-pk"]
        permissions = [("sign_managementreview", "Can sign a management review as its chair")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="managementreview_period_ordered",
                violation_error_message="period_end: the period must end on or after the day it starts.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["held", "signed"]) | models.Q(frozen_at__isnull=False),
                name="managementreview_held_is_frozen",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="signed") | models.Q(signed_at__isnull=False, signature__isnull=False),
                name="managementreview_signed_has_signature",
            ),
        ]

    def __str__(self):
        return f"Management review {self.meeting.reference} ({self.period_start} to {self.period_end})"

    def get_absolute_url(self):
        return reverse("reviews:management-review-detail", args=[self.pk])


class ReviewInput(TimeStampedModel):
    """One 9.3.2 input section of a management review: compiled data, manual entries and a note."""

    class Item(models.TextChoices):
        ACTIONS = "9.3.2.a", "a) Status of actions from previous management reviews"
        ISSUES = "9.3.2.b", "b) Changes in external and internal issues"
        CUSTOMERS = "9.3.2.c.1", "c.1) Customer satisfaction and feedback from interested parties"
        OBJECTIVES = "9.3.2.c.2", "c.2) Extent to which quality objectives have been met"
        PROCESSES = "9.3.2.c.3", "c.3) Process performance and conformity of products and services"
        NONCONFORMITIES = "9.3.2.c.4", "c.4) Nonconformities and corrective actions"
        MEASUREMENTS = "9.3.2.c.5", "c.5) Monitoring and measurement results"
        AUDITS = "9.3.2.c.6", "c.6) Audit results"
        PROVIDERS = "9.3.2.c.7", "c.7) Performance of external providers"
        RESOURCES = "9.3.2.d", "d) Adequacy of resources"
        RISKS = "9.3.2.e", "e) Effectiveness of actions taken on risks and opportunities"
        IMPROVEMENT = "9.3.2.f", "f) Opportunities for improvement"

    # Sections Clause5 holds no data for: they take structured entries typed in by hand.
    MANUAL_ITEMS = (Item.ISSUES, Item.PROCESSES, Item.PROVIDERS)

    review = models.ForeignKey(ManagementReview, on_delete=models.PROTECT, related_name="inputs")
    item = models.CharField(max_length=12, choices=Item.choices)
    data = models.JSONField(
        default=dict, blank=True, help_text="What Clause5 compiled, frozen when the review is held."
    )
    entries = models.JSONField(default=list, blank=True, help_text="Structured entries typed in by hand.")
    note = models.TextField(blank=True, help_text="The presenter's annotation or commentary.")
    compiled_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "item"]
        constraints = [
            models.UniqueConstraint(fields=["review", "item"], name="reviewinput_one_per_item"),
        ]

    def __str__(self):
        return f"{self.review.meeting.reference} {self.item}"

    def get_absolute_url(self):
        return self.review.get_absolute_url() + f"#input-{self.item}"
