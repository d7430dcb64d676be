"""Meetings of every type: their schedule, invitations and attendance, agenda, minutes and decisions (9.3, 5.1.1)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from qms.concurrency import VersionField
from qms.models import TimeStampedModel


class MeetingType(TimeStampedModel):
    """A kind of meeting (management review, monthly quality meeting, ...) and the schedule that plans it."""

    class Category(models.TextChoices):
        MANAGEMENT_REVIEW = "management-review", "Management review"
        QUALITY = "quality", "Quality meeting"
        CROSS_DEPARTMENT = "cross-department", "Cross-department quality meeting"
        OPERATIONAL = "operational", "Operational meeting with a quality agenda item"

    class Frequency(models.TextChoices):
        NONE = "none", "Not scheduled"
        WEEKLY = "weekly", "Weekly"
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        HALF_YEARLY = "half-yearly", "Every six months"
        YEARLY = "yearly", "Yearly"

    name = models.CharField(max_length=120, unique=True)
    category = models.CharField(max_length=20, choices=Category.choices)
    description = models.TextField(blank=True)
    # Counted in top management attendance (quality meetings attended / held).
    is_quality_meeting = models.BooleanField(
        default=True, help_text="Counted when showing how many quality meetings each top manager attended."
    )
    # The schedule: the first occurrence and how often after it.
    frequency = models.CharField(max_length=12, choices=Frequency.choices, default=Frequency.NONE)
    first_occurrence = models.DateTimeField(
        null=True, blank=True, help_text="Date and time of the first meeting of the schedule; later ones follow it."
    )
    plan_ahead = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text="How many future meetings the schedule keeps planned.",
    )
    default_duration_minutes = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(5), MaxValueValidator(24 * 60)]
    )
    default_place = models.CharField(max_length=200, blank=True)
    default_link = models.URLField(blank=True)
    default_chair = models.ForeignKey(
        "leadership.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    default_invitees = models.ManyToManyField("leadership.Person", blank=True, related_name="+")
    default_agenda = models.TextField(blank=True, help_text="Standing agenda items, one per line, in order.")
    agenda_reminder_days = models.PositiveSmallIntegerField(
        default=5,
        validators=[MaxValueValidator(60)],
        help_text="Days before a meeting that the chair is reminded to prepare the agenda.",
    )
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords(m2m_fields=[default_invitees])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(frequency="none") | models.Q(first_occurrence__isnull=False),
                name="meetingtype_schedule_has_start",
                violation_error_message="first_occurrence: a scheduled meeting type needs its first date and time.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("reviews:meeting-type-detail", args=[self.pk])


class Meeting(TimeStampedModel):
    """A meeting: planned, held (minutes being written), signed by its chair, or cancelled."""

    # Communication of the importance of quality and engagement of people by top management.
    REQUIREMENT_IDS = ("5.1.1.c", "5.1.1.g", "5.1.1.i")

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        HELD = "held", "Held, minutes in progress"
        SIGNED = "signed", "Minutes signed"
        CANCELLED = "cancelled", "Cancelled"

    reference = models.CharField(max_length=20, unique=True, editable=False, help_text="e.g. MTG-2026-014")
    type = models.ForeignKey(MeetingType, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(max_length=200)
    planned_start = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(5), MaxValueValidator(24 * 60)]
    )
    place = models.CharField(max_length=200, blank=True, help_text="Room or site.")
    link = models.URLField(blank=True, help_text="Video call link, if any.")
    department = models.ForeignKey(
        "leadership.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    chair = models.ForeignKey("leadership.Person", on_delete=models.PROTECT, related_name="chaired_meetings")
    minute_taker = models.ForeignKey(
        "leadership.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="minuted_meetings"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    scheduled = models.BooleanField(default=False, editable=False, help_text="Planned by the type's schedule.")
    held_at = models.DateTimeField(null=True, blank=True, help_text="When the meeting actually started.")
    general_notes = models.TextField(blank=True, help_text="Minutes that belong to no agenda item.")
    invitations_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancel_reason = models.TextField(blank=True)
    signed_at = models.DateTimeField(null=True, blank=True, editable=False)
    signature = models.OneToOneField("qms.Signature", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-planned_start", "-pk"]
        permissions = [
            ("record_meeting", "Can take minutes: attendance, minutes, decisions and actions"),
            ("sign_meeting", "Can sign minutes as the meeting's chair"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="signed") | models.Q(signed_at__isnull=False, signature__isnull=False),
                name="meeting_signed_has_signature",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["held", "signed"]) | models.Q(held_at__isnull=False),
                name="meeting_held_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "planned_start"])]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self):
        return reverse("reviews:meeting-detail", args=[self.pk])

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED


class Attendee(TimeStampedModel):
    """A person invited to a meeting, and whether they were there."""

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        PRESENT = "present", "Present"
        ABSENT = "absent", "Absent"
        APOLOGIES = "apologies", "Sent apologies"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendees")
    person = models.ForeignKey("leadership.Person", on_delete=models.PROTECT, related_name="meeting_attendances")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.INVITED)
    note = models.CharField(max_length=200, blank=True, help_text="e.g. joined at 10:20, represented by ...")

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "person__user__last_name", "person__user__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="attendee_once_per_meeting",
                violation_error_message="person: this person is already on the meeting's list.",
            ),
        ]

    def __str__(self):
        return f"{self.person} at {self.meeting.reference}: {self.get_status_display()}"

    def get_absolute_url(self):
        return self.meeting.get_absolute_url()


class AgendaItem(TimeStampedModel):
    """An item on a meeting's agenda, with its presenter, the records it is about and its minutes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="agenda_items")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    presenter = models.ForeignKey(
        "leadership.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(600)])
    minutes = models.TextField(blank=True)
    objectives = models.ManyToManyField("objectives.Objective", blank=True, related_name="agenda_items")
    customer_feedback = models.ManyToManyField("leadership.CustomerFeedback", blank=True, related_name="agenda_items")
    risks = models.ManyToManyField("objectives.Risk", blank=True, related_name="agenda_items")
    actions = models.ManyToManyField("reviews.Action", blank=True, related_name="agenda_items")
    # Two minute-takers typing under the same item: the second save is refused, not lost.
    version = VersionField()

    history = HistoricalRecords(m2m_fields=[objectives, customer_feedback, risks, actions])

    class Meta:
        ordering = ["meeting", "order", "pk"]

    def __str__(self):
        return f"{self.order}. {self.title}"

    def get_absolute_url(self):
        return self.meeting.get_absolute_url() + f"#item-{self.pk}"


class Decision(TimeStampedModel):
    """A decision taken in a meeting; in a management review, an output of 9.3.3 with its owner."""

    class OutputCategory(models.TextChoices):
        IMPROVEMENT = "improvement", "9.3.3 a) Improvement opportunity"
        QMS_CHANGE = "qms-change", "9.3.3 b) Change to the QMS"
        RESOURCE_NEED = "resource-need", "9.3.3 c) Resource need"

    OUTPUT_REQUIREMENT_IDS = {
        OutputCategory.IMPROVEMENT: "9.3.3.a",
        OutputCategory.QMS_CHANGE: "9.3.3.b",
        OutputCategory.RESOURCE_NEED: "9.3.3.c",
    }

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    number = models.PositiveSmallIntegerField(help_text="Its number in the meeting: D1, D2, ...")
    text = models.TextField()
    output_category = models.CharField(
        max_length=20, choices=OutputCategory.choices, blank=True, help_text="Management reviews only."
    )
    owner = models.ForeignKey(
        "leadership.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_decisions",
        help_text="Who carries the decision out; every management review output needs one.",
    )
    resource_requests = models.ManyToManyField("leadership.ResourceRequest", blank=True, related_name="decisions")
    target_revisions = models.ManyToManyField("objectives.TargetRevision", blank=True, related_name="decisions")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords(m2m_fields=[resource_requests, target_revisions])

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="decision_number_unique_in_meeting"),
        ]

    def __str__(self):
        return f"{self.meeting.reference} D{self.number}: {self.text[:60]}"

    def get_absolute_url(self):
        return reverse("reviews:decision-detail", args=[self.pk])

    @property
    def label(self) -> str:
        return f"D{self.number}"


class MinutesAmendment(TimeStampedModel):
    """A correction of signed minutes: what was written, what it should say, why, and who said so."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="amendments")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="amendments"
    )
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="amendments")
    original_text = models.TextField()
    amended_text = models.TextField()
    reason = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signature = models.OneToOneField("qms.Signature", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(agenda_item__isnull=False) & models.Q(decision__isnull=False)),
                name="minutesamendment_one_target",
                violation_error_message="An amendment corrects an agenda item's minutes or a decision, not both.",
            ),
        ]

    def __str__(self):
        return f"Amendment to {self.meeting.reference} ({self.created_at:%Y-%m-%d})"

    def get_absolute_url(self):
        return self.meeting.get_absolute_url() + f"#amendment-{self.pk}"
