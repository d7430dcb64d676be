"""The risk and opportunity register (ISO 9001 6.1, 5.1.1.d, 5.1.2.b)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from qms.models import TimeStampedModel

SCALE = (MinValueValidator(1), MaxValueValidator(5))


class Risk(TimeStampedModel):
    """A risk or an opportunity that affects conformity or customer satisfaction, with its treatment."""

    # Risk-based thinking promoted and reviewed by management; risks to customers handled.
    REQUIREMENT_IDS = ("5.1.1.d", "5.1.2.b")

    class Type(models.TextChoices):
        RISK = "risk", "Risk"
        OPPORTUNITY = "opportunity", "Opportunity"

    class Source(models.TextChoices):
        CUSTOMER = "customer", "Customer"
        SUPPLIER = "supplier", "Supplier"
        PROCESS = "process", "Process"
        REGULATORY = "regulatory", "Regulatory"
        PEOPLE = "people", "People"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        TREATING = "treating", "Treating"
        MONITORING = "monitoring", "Monitoring"
        CLOSED = "closed", "Closed"

    reference = models.CharField(max_length=20, unique=True, editable=False, help_text="e.g. RO-007")
    title = models.CharField(max_length=200, help_text="A short name for lists and the heat map.")
    description = models.TextField(help_text="What could happen, why, and what it would affect.")
    type = models.CharField(max_length=12, choices=Type.choices, default=Type.RISK)
    source = models.CharField(max_length=12, choices=Source.choices)
    likelihood = models.PositiveSmallIntegerField(validators=SCALE, help_text="1 (rare) to 5 (almost certain).")
    impact = models.PositiveSmallIntegerField(validators=SCALE, help_text="1 (negligible) to 5 (severe).")
    # Stored so that lists sort and filter by it in the database; save() keeps it equal to
    # likelihood x impact and a constraint refuses anything else.
    score = models.PositiveSmallIntegerField(editable=False, help_text="Likelihood x impact, 1 to 25.")
    treatment = models.TextField(
        blank=True, help_text="How the risk is reduced or the opportunity taken (avoid, reduce, accept, pursue)."
    )
    action = models.TextField(blank=True, help_text="The action that carries the treatment, who does what by when.")
    owner = models.ForeignKey("leadership.Person", on_delete=models.PROTECT, related_name="owned_risks")
    department = models.ForeignKey(
        "leadership.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="risks"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    next_review_date = models.DateField()
    objectives = models.ManyToManyField("objectives.Objective", blank=True, related_name="risks")
    customer_requirements = models.ManyToManyField("leadership.CustomerRequirement", blank=True, related_name="risks")
    # Set only by "mark reviewed" (risk_mark_reviewed); editable in the model's sense so that the
    # change history shows each review.
    last_reviewed_on = models.DateField(null=True, blank=True)
    last_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_review_note = models.TextField(blank=True)

    history = HistoricalRecords(m2m_fields=[objectives, customer_requirements])

    class Meta:
        ordering = ["-score", "reference"]
        verbose_name = "risk or opportunity"
        verbose_name_plural = "risks and opportunities"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=5), name="risk_likelihood_1_to_5"
            ),
            models.CheckConstraint(condition=models.Q(impact__gte=1, impact__lte=5), name="risk_impact_1_to_5"),
            models.CheckConstraint(
                condition=models.Q(score=models.F("likelihood") * models.F("impact")),
                name="risk_score_is_likelihood_times_impact",
            ),
            models.CheckConstraint(
                condition=models.Q(last_reviewed_on__isnull=True, last_reviewed_by__isnull=True)
                | models.Q(last_reviewed_on__isnull=False, last_reviewed_by__isnull=False),
                name="risk_reviewed_on_and_by_together",
            ),
        ]
        indexes = [models.Index(fields=["type", "status", "next_review_date"])]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    def save(self, *args, **kwargs):
        self.score = self.compute_score()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"likelihood", "impact"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "score"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("objectives:risk-detail", args=[self.pk])

    @property
    def band(self) -> str:
        """The score band's key (low, medium, high, critical)."""
        return score_band(self.score)

    def compute_score(self) -> int | None:
        if isinstance(self.likelihood, int) and isinstance(self.impact, int):
            return self.likelihood * self.impact
        return None

    def clean_fields(self, exclude=None):
        # The score is derived, so a full_clean() before save() must not ask for it.
        self.score = self.compute_score()
        super().clean_fields(exclude={*(exclude or ()), "score"} if self.score is None else exclude)


# Score bands of the 5x5 matrix (likelihood x impact): colour of the heat map and the list filter.
SCORE_BANDS = (
    # key, label, lowest score, highest score
    ("low", "Low (1-4)", 1, 4),
    ("medium", "Medium (5-9)", 5, 9),
    ("high", "High (10-16)", 10, 16),
    ("critical", "Critical (20-25)", 17, 25),
)


def score_band(score: int | None) -> str:
    """The key of the band a score falls in ("" for no score)."""
    for key, _label, low, high in SCORE_BANDS:
        if score is not None and low <= score <= high:
            return key
    return ""
