"""Quality objectives (ISO 9001 6.2): what is to be achieved, how it is measured, and the plan to get there."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from qms.concurrency import VersionField
from qms.models import TimeStampedModel


def format_number(value) -> str:
    """A stored decimal as people write it: 2 rather than 2.0000, 1.5 rather than 1.5000."""
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return "0" if text in ("-0", "") else text


def format_value(value, unit: str) -> str:
    """A value with its unit: 2% but 30 days; counts and scores read best as bare numbers."""
    if value is None:
        return ""
    number = format_number(value)
    if unit == "%":
        return f"{number}%"
    if unit in ("count", "score"):
        return number
    return f"{number} {unit}".strip()


def format_target(direction: str, target, target_upper, unit: str) -> str:
    """The target as a rule: ≤ 2%, ≥ 97%, or 6% to 8% for a band."""
    if target is None:
        return ""
    if direction == Objective.Direction.BAND:
        return f"{format_value(target, unit)} to {format_value(target_upper, unit)}"
    sign = {Objective.Direction.LOWER: "≤ ", Objective.Direction.HIGHER: "≥ "}.get(direction, "")
    return sign + format_value(target, unit)


class Objective(TimeStampedModel):
    """A measurable quality objective of the company or a department, with its metric and target (6.2.1)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        ACHIEVED = "achieved", "Achieved"
        MISSED = "missed", "Missed"
        CANCELLED = "cancelled", "Cancelled"

    class Category(models.TextChoices):
        PRODUCT_CONFORMITY = "product", "Product conformity"
        CUSTOMER_SATISFACTION = "customer", "Customer satisfaction"
        PROCESS = "process", "Process performance"
        SUPPLIER = "supplier", "Supplier performance"
        OTHER = "other", "Other"

    class Unit(models.TextChoices):
        PERCENT = "%", "%"
        PPM = "ppm", "ppm"
        COUNT = "count", "count"
        DAYS = "days", "days"
        HOURS = "hours", "hours"
        CURRENCY = "currency", "currency"
        SCORE = "score", "score"

    class Direction(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"
        BAND = "band", "Stay within a band"

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "Weekly"
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"

    class Health(models.TextChoices):
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        OFF_TRACK = "off_track", "Off track"
        NO_DATA = "no_data", "No data"

    # What an objective evidences: policy link, measurable, requirements, relevance, communication
    # to its owner and department, the evaluation method; departmental objectives owned by their
    # managers and KPIs of positions show top management supporting other managers (5.1.1.j).
    REQUIREMENT_IDS = ("5.1.1.b", "5.1.1.j", "6.2.1.a", "6.2.1.b", "6.2.1.c", "6.2.1.d", "6.2.1.f", "6.2.2.e")
    # The values that, once the objective is active, change only through an approved target revision.
    REVISED_FIELDS = ("target", "target_upper", "tolerance", "due_date")

    reference = models.CharField(max_length=20, unique=True, help_text="e.g. OBJ-2026-004")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    # 6.2.1.a: consistent with the quality policy.
    policy_version = models.ForeignKey(
        "leadership.PolicyVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="objectives"
    )
    strategic_theme = models.CharField(max_length=120, blank=True)
    # 6.2.1.d: relevant to product conformity and customer satisfaction.
    category = models.CharField(max_length=12, choices=Category.choices)
    owner = models.ForeignKey("leadership.Person", on_delete=models.PROTECT, related_name="owned_objectives")
    department = models.ForeignKey(
        "leadership.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objectives",
        help_text="Empty for a company-wide objective.",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The company or higher objective this one contributes to.",
    )
    # Target binding (domain brief): the objective is a performance indicator of these positions.
    kpi_of_positions = models.ManyToManyField("leadership.Position", blank=True, related_name="kpi_objectives")
    # 6.2.1.c: applicable requirements taken into account.
    customer_requirements = models.ManyToManyField(
        "leadership.CustomerRequirement", blank=True, related_name="objectives"
    )
    # 6.2.1.b: measurable.
    metric_name = models.CharField(max_length=160, blank=True, help_text="e.g. Defective product rate")
    unit = models.CharField(max_length=10, choices=Unit.choices, blank=True)
    direction = models.CharField(max_length=8, choices=Direction.choices, blank=True)
    baseline = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    target = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="The value to reach; for a band, its lower limit.",
    )
    target_upper = models.DecimalField(
        max_digits=14, decimal_places=4, null=True, blank=True, help_text="For a band: its upper limit."
    )
    tolerance = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="How far from the target a value may be and still count as at risk rather than off track.",
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices, blank=True)
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    # 6.2.2.e: how results will be evaluated.
    evaluation_method = models.TextField(blank=True)
    # Computed by the daily progress check (objectives.services.progress); never typed.
    health = models.CharField(max_length=10, choices=Health.choices, default=Health.NO_DATA, editable=False)
    forecast_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True, editable=False)
    projected_to_miss = models.BooleanField(default=False, editable=False)
    latest_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True, editable=False)
    latest_period = models.DateField(null=True, blank=True, editable=False)
    health_computed_at = models.DateTimeField(null=True, blank=True, editable=False)
    activated_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    closing_note = models.TextField(blank=True)
    version = VersionField()

    # The links to positions and requirements are part of the trail too: who bound a KPI, and when.
    history = HistoricalRecords(
        excluded_fields=["health_computed_at"], m2m_fields=[kpi_of_positions, customer_requirements]
    )

    class Meta:
        ordering = ["reference"]
        permissions = [
            ("activate_objective", "Can activate, close or cancel a quality objective"),
        ]
        indexes = [models.Index(fields=["status", "health"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(parent=models.F("id")), name="objective_not_own_parent"),
            models.CheckConstraint(
                condition=models.Q(due_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(due_date__gt=models.F("start_date")),
                name="objective_due_after_start",
                violation_error_message="due_date: the due date must be after the start date.",
            ),
            models.CheckConstraint(
                condition=models.Q(tolerance__isnull=True) | models.Q(tolerance__gte=0),
                name="objective_tolerance_not_negative",
                violation_error_message="tolerance: the tolerance cannot be negative.",
            ),
            models.CheckConstraint(
                condition=models.Q(target_upper__isnull=True)
                | models.Q(target__isnull=True)
                | models.Q(target_upper__gt=models.F("target")),
                name="objective_band_upper_above_target",
                violation_error_message="target_upper: the upper limit must be greater than the target.",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("objectives:objective-detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.start_date and self.due_date and self.due_date <= self.start_date:
            errors["due_date"] = f"The due date must be after the start date ({self.start_date:%d %b %Y})."
        if self.tolerance is not None and self.tolerance < 0:
            errors["tolerance"] = "The tolerance cannot be negative: it is a distance from the target."
        if self.direction == self.Direction.BAND:
            if self.target is not None and self.target_upper is not None and self.target >= self.target_upper:
                errors["target_upper"] = (
                    f"For a band the upper limit must be greater than the target, its lower limit ({self.target})."
                )
        elif self.target_upper is not None:
            errors["target_upper"] = "Only a band (direction “Stay within a band”) has an upper limit; leave it empty."
        # Walk up from the chosen parent: meeting this objective again means a cycle.
        node, seen = self.parent, set()
        while node is not None and node.pk not in seen:
            if self.pk and node.pk == self.pk:
                errors["parent"] = "An objective cannot contribute to itself or to one of its own sub-objectives."
                break
            seen.add(node.pk)
            node = node.parent
        if errors:
            raise ValidationError(errors)

    @property
    def target_text(self) -> str:
        return format_target(self.direction, self.target, self.target_upper, self.unit)

    @property
    def baseline_text(self) -> str:
        return format_value(self.baseline, self.unit)

    @property
    def tolerance_text(self) -> str:
        return format_value(self.tolerance, self.unit)

    @property
    def latest_text(self) -> str:
        return format_value(self.latest_value, self.unit)

    @property
    def forecast_text(self) -> str:
        # A projection is an estimate: two decimals say all it knows.
        if self.forecast_value is None:
            return ""
        return format_value(Decimal(self.forecast_value).quantize(Decimal("0.01")), self.unit)

    @property
    def is_band(self) -> bool:
        return self.direction == self.Direction.BAND

    @property
    def is_open(self) -> bool:
        """Draft or active: still being planned or pursued."""
        return self.status in (self.Status.DRAFT, self.Status.ACTIVE)


class ActionPlanStep(TimeStampedModel):
    """One step of the plan that makes an objective reachable (6.2.2 a-d): what, resources, who, when."""

    REQUIREMENT_IDS = ("6.2.2.a", "6.2.2.b", "6.2.2.c", "6.2.2.d")

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="plan_steps")
    order = models.PositiveSmallIntegerField(default=0)
    what = models.TextField(help_text="What will be done (6.2.2.a).")
    resources = models.TextField(help_text="What resources are needed (6.2.2.b).")
    responsible = models.ForeignKey(
        "leadership.Person",
        on_delete=models.PROTECT,
        related_name="plan_steps",
        help_text="Who is responsible (6.2.2.c).",
    )
    due_date = models.DateField(help_text="When it will be completed (6.2.2.d).")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    done_at = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["objective", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="done") | models.Q(done_at__isnull=True),
                name="actionplanstep_done_at_only_when_done",
                violation_error_message="done_at: only a step that is done has a completion date.",
            ),
        ]

    def __str__(self):
        return f"{self.objective.reference} step {self.order}: {self.what[:60]}"

    def get_absolute_url(self):
        return reverse("objectives:objective-detail", args=[self.objective_id]) + f"#step-{self.pk}"


class TargetRevision(TimeStampedModel):
    """A change of an objective's target, band, tolerance or due date, with its reason and approval (6.2.1.g)."""

    REQUIREMENT_IDS = ("6.2.1.g",)

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="revisions")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    reason = models.TextField(help_text="Why, e.g. “new automated line: defect target from 3% to 1.5%”.")
    effective_from = models.DateField(help_text="From this date charts and health use the new values.")
    old_target = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    new_target = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    old_target_upper = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    new_target_upper = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    old_tolerance = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    new_tolerance = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    old_due_date = models.DateField(null=True, blank=True)
    new_due_date = models.DateField(null=True, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    signature = models.ForeignKey("qms.Signature", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["objective", "effective_from", "pk"]
        permissions = [("approve_targetrevision", "Can approve or reject a target revision")]
        constraints = [
            # One proposal at a time: a second would be decided against values the first may change.
            models.UniqueConstraint(
                fields=["objective"],
                condition=models.Q(status="proposed"),
                name="targetrevision_one_proposed_per_objective",
                violation_error_message="objective: this objective already has a revision waiting for a decision.",
            ),
        ]

    def __str__(self):
        return f"{self.objective.reference} revision from {self.effective_from}"

    def get_absolute_url(self):
        return reverse("objectives:objective-detail", args=[self.objective_id]) + f"#revision-{self.pk}"

    @property
    def is_decided(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.REJECTED)
