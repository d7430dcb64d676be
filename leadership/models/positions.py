"""Roles, responsibilities and authorities (5.3): positions, their holders, the holders'
acknowledgements of their position description, and the appointment of the management representative."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from qms.iso import BY_ID, REQUIREMENTS
from qms.models import TimeStampedModel

# The five items of 5.3 that must each sit with a position; the responsibility matrix checks them.
CLAUSE_53_ITEMS = ("5.3.a", "5.3.b", "5.3.c", "5.3.d", "5.3.e")

_CATALOGUE_ORDER = {r.id: n for n, r in enumerate(REQUIREMENTS)}


def catalogue_sorted(ids) -> list[str]:
    """Requirement ids without duplicates, in the order of the ISO catalogue (unknown ids last)."""
    return sorted(set(ids), key=lambda i: (_CATALOGUE_ORDER.get(i, len(_CATALOGUE_ORDER)), i))


def default_currency() -> str:
    """The organisation's currency for budget limits (setting CLAUSE5_CURRENCY, default GBP)."""
    return getattr(settings, "CLAUSE5_CURRENCY", "GBP")


def lines(text: str) -> list[str]:
    """The non-empty lines of a multi-line text field, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class Position(TimeStampedModel):
    """A position of the organisation with its responsibilities and authorities, as its holders know it."""

    title = models.CharField(max_length=120)
    department = models.ForeignKey("leadership.Department", on_delete=models.PROTECT, related_name="positions")
    reports_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="direct_reports",
        help_text="The position this one reports to.",
    )
    responsibilities = models.TextField(
        help_text="What the holder must do, one per line.",
        error_messages={"blank": "Write at least one responsibility: what the holder must do."},
    )
    authorities = models.TextField(
        blank=True,
        help_text="What the holder may decide, one per line, e.g. “May stop a batch that fails inspection”.",
    )
    requirement_ids = models.JSONField(
        default=list,
        blank=True,
        verbose_name="ISO requirements",
        help_text="The ISO 9001 items this position is responsible for, e.g. 5.3.a.",
    )
    # Set by the services only, but editable in Django's sense so that the change history
    # (which diffs editable fields) shows every revision; no form offers these fields.
    revision = models.PositiveIntegerField(
        default=1,
        help_text="Goes up by one whenever the responsibilities, authorities or ISO requirements change.",
    )
    revised_at = models.DateTimeField(
        default=timezone.now, help_text="When the current revision of the description took effect."
    )
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["department__name", "title"]
        constraints = [
            models.UniqueConstraint(
                Lower("title"),
                "department",
                name="position_title_unique_in_department",
                violation_error_message="title: this department already has a position with this title.",
            ),
            models.CheckConstraint(condition=~models.Q(reports_to=models.F("id")), name="position_not_own_superior"),
            models.CheckConstraint(condition=models.Q(revision__gte=1), name="position_revision_positive"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("leadership:position-detail", args=[self.pk])

    def validate_constraints(self, exclude=None):
        # clean() reports a duplicate title on the title field itself; the constraint stays
        # as the database's guarantee against races.
        super().validate_constraints(exclude={*(exclude or ()), "title"})

    def clean(self):
        errors = {}
        if self.title and self.department_id:
            duplicates = Position.objects.filter(title__iexact=self.title.strip(), department_id=self.department_id)
            if duplicates.exclude(pk=self.pk).exists():
                errors["title"] = f"{self.department} already has a position called {self.title!r}."
        if self.responsibilities and not lines(self.responsibilities):
            errors["responsibilities"] = "Write at least one responsibility: what the holder must do."
        ids = self.requirement_ids
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            errors["requirement_ids"] = "Give the ISO requirements as a list of ids, e.g. [“5.3.a”]."
        else:
            unknown = [i for i in ids if i not in BY_ID]
            if unknown:
                errors["requirement_ids"] = f"Not an ISO requirement id of the catalogue: {', '.join(unknown)}."
        # Walk up from the chosen superior: meeting this position again means a cycle.
        node, seen = self.reports_to, set()
        while node is not None and node.pk not in seen and "reports_to" not in errors:
            if self.pk and node.pk == self.pk:
                errors["reports_to"] = "A position cannot report to itself, directly or through others."
            seen.add(node.pk)
            node = node.reports_to
        if self.reports_to is not None and not self.reports_to.is_active and "reports_to" not in errors:
            errors["reports_to"] = f"{self.reports_to} is no longer active; choose an active position."
        if errors:
            raise ValidationError(errors)

    @property
    def responsibility_lines(self) -> list[str]:
        return lines(self.responsibilities)

    @property
    def authority_lines(self) -> list[str]:
        return lines(self.authorities)

    @property
    def requirements(self) -> list:
        """The catalogue entries of the position's requirement ids, in catalogue order."""
        return [BY_ID[i] for i in catalogue_sorted(self.requirement_ids or []) if i in BY_ID]

    def description_content(self) -> dict:
        """The position description as its holders acknowledge it (hashed on each acknowledgement)."""
        return {
            "position": self.pk,
            "revision": self.revision,
            "title": self.title,
            "responsibilities": lines(self.responsibilities),
            "authorities": lines(self.authorities),
            "requirement_ids": catalogue_sorted(self.requirement_ids or []),
        }


class PositionHolderQuerySet(models.QuerySet):
    def current(self, day: datetime.date | None = None):
        """Holdings in force on `day` (default today): started, and not ended before it."""
        day = day or timezone.localdate()
        return self.filter(start_date__lte=day).filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=day))

    def not_ended(self, day: datetime.date | None = None):
        """Holdings in force on `day` or starting later: the people who must know the description."""
        day = day or timezone.localdate()
        return self.filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=day))


class PositionHolder(TimeStampedModel):
    """A person holding a position from a start date, and until an end date once the holding ends."""

    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="holdings")
    person = models.ForeignKey("leadership.Person", on_delete=models.PROTECT, related_name="position_holdings")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="The last day the person holds the position.")

    objects = PositionHolderQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="positionholder_ends_after_start",
                violation_error_message="end_date: the holding cannot end before it starts.",
            ),
            # Overlapping periods are refused in clean(); this is the database's guard for the
            # commonest case, two open-ended holdings of the same position by the same person.
            models.UniqueConstraint(
                fields=["position", "person"],
                condition=models.Q(end_date__isnull=True),
                name="positionholder_one_open_holding",
                violation_error_message="person: this person already holds this position with no end date.",
            ),
        ]

    def __str__(self):
        return f"{self.person} as {self.position}"

    def get_absolute_url(self):
        return reverse("leadership:position-detail", args=[self.position_id])

    def validate_constraints(self, exclude=None):
        # clean() explains overlaps with the dates; the constraint is the race guard.
        super().validate_constraints(exclude={*(exclude or ()), "person"})

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The holding cannot end before it starts."})
        if not (self.position_id and self.person_id and self.start_date):
            return
        others = PositionHolder.objects.filter(position_id=self.position_id, person_id=self.person_id).exclude(
            pk=self.pk
        )
        # Two periods overlap when each starts before (or on the day) the other ends.
        if self.end_date is not None:
            others = others.filter(start_date__lte=self.end_date)
        clash = (
            others.filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=self.start_date))
            .order_by("start_date")
            .first()
        )
        if clash is not None:
            until = f"until {clash.end_date:%d %b %Y}" if clash.end_date else "with no end date"
            raise ValidationError(
                {"person": f"{self.person} already holds this position from {clash.start_date:%d %b %Y} {until}."}
            )

    def is_current(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class PositionAcknowledgement(TimeStampedModel):
    """A holder's statement that they have read and understood one revision of their position description."""

    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="acknowledgements")
    person = models.ForeignKey("leadership.Person", on_delete=models.PROTECT, related_name="position_acknowledgements")
    revision = models.PositiveIntegerField()
    acknowledged_at = models.DateTimeField(default=timezone.now)
    content_sha256 = models.CharField(
        max_length=64, help_text="SHA-256 of the description as it was acknowledged (title, lists, requirements)."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-acknowledged_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "position", "revision"],
                name="positionacknowledgement_once_per_revision",
                violation_error_message="revision: this revision is already acknowledged.",
            ),
            models.CheckConstraint(
                condition=models.Q(revision__gte=1), name="positionacknowledgement_revision_positive"
            ),
        ]

    def __str__(self):
        return f"{self.person} acknowledged {self.position} revision {self.revision}"

    def get_absolute_url(self):
        return reverse("leadership:position-detail", args=[self.position_id])


class ManagementRepresentativeAppointment(TimeStampedModel):
    """Top management's signed appointment of the management representative, with their powers and budget."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED = "signed", "Signed (in force)"
        ENDED = "ended", "Ended"

    # The appointment gives 5.3.a (the QMS conforms) and 5.3.c (reporting to top management)
    # to a named person with the powers to do them.
    REQUIREMENT_IDS = ("5.3.a", "5.3.c")

    person = models.ForeignKey(
        "leadership.Person",
        on_delete=models.PROTECT,
        related_name="management_representative_appointments",
        verbose_name="appointed person",
    )
    powers = models.TextField(
        help_text="What the representative may do, one per line, e.g. “Reports directly to the Managing Director”."
    )
    budget_limit = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        verbose_name="improvement budget limit",
        help_text="The representative may approve improvement spending up to this amount.",
    )
    budget_currency = models.CharField(
        max_length=3,
        default=default_currency,
        validators=[RegexValidator(r"^[A-Z]{3}$", "Use a three-letter ISO 4217 code in capitals, e.g. GBP.")],
        verbose_name="currency",
    )
    start_date = models.DateField()
    end_date = models.DateField(
        null=True, blank=True, help_text="The last day of the appointment; set when it ends or is superseded."
    )
    # Lifecycle fields, set by the services only (no form offers them); editable in Django's
    # sense so that the change history shows the signature and the end.
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    signature = models.OneToOneField("qms.Signature", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-pk"]
        permissions = [
            ("sign_managementrepresentativeappointment", "Can sign the appointment of the management representative"),
        ]
        constraints = [
            # One appointment in force at a time: signing a new one ends the previous one.
            models.UniqueConstraint(
                fields=["status"], condition=models.Q(status="signed"), name="mrappointment_one_in_force"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="mrappointment_ends_after_start",
                violation_error_message="end_date: the appointment cannot end before it starts.",
            ),
            models.CheckConstraint(condition=models.Q(budget_limit__gte=0), name="mrappointment_budget_not_negative"),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(signature__isnull=False),
                name="mrappointment_signed_has_signature",
            ),
            models.CheckConstraint(
                condition=models.Q(budget_currency__regex=r"^[A-Z]{3}$"), name="mrappointment_currency_code"
            ),
        ]

    def __str__(self):
        return f"Appointment of {self.person} as management representative from {self.start_date:%d %b %Y}"

    def get_absolute_url(self):
        return reverse("leadership:appointment-detail", args=[self.pk])

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The appointment cannot end before it starts."})

    def signed_content(self) -> dict:
        """What the signer approves, hashed in the signature.

        The end date is left out: the lifecycle sets it later (an expiry, a successor), and
        that must not make the signature look tampered with. So is the person's name, which
        may change (the signature's statement keeps it as it was); their id identifies them.
        """
        return {
            "appointment": self.pk,
            "person": self.person_id,
            "powers": lines(self.powers),
            "budget_limit": f"{self.budget_limit:.2f}",
            "budget_currency": self.budget_currency,
            "start_date": self.start_date.isoformat(),
        }

    @property
    def power_lines(self) -> list[str]:
        return lines(self.powers)

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT
