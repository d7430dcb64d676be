"""Organisation records of clause 5: departments and the people who work in them."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history import register
from simple_history.models import HistoricalRecords

from qms.models import TimeStampedModel


class Department(TimeStampedModel):
    """A department of the organisation; departments form a tree under the top one."""

    name = models.CharField(max_length=120)
    code = models.SlugField(
        max_length=20, unique=True, help_text="Short identifier used in reports and imports, e.g. QA."
    )
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    head = models.ForeignKey(
        "leadership.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="headed_departments",
        help_text="The manager accountable for this department.",
    )
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="department_name_unique_ci",
                violation_error_message="name: a department with this name already exists.",
            ),
            models.CheckConstraint(condition=~models.Q(parent=models.F("id")), name="department_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("leadership:department-detail", args=[self.pk])

    def validate_constraints(self, exclude=None):
        # clean() reports a duplicate name on the name field itself; the constraint stays as
        # the database's guarantee against races.
        super().validate_constraints(exclude={*(exclude or ()), "name"})

    def clean(self):
        duplicates = Department.objects.filter(name__iexact=self.name.strip()).exclude(pk=self.pk)
        if self.name and duplicates.exists():
            raise ValidationError({"name": f"A department named {self.name!r} already exists."})
        # Walk up from the chosen parent: meeting this department again means a cycle.
        node, seen = self.parent, set()
        while node is not None and node.pk not in seen:
            if self.pk and node.pk == self.pk:
                raise ValidationError(
                    {"parent": "A department cannot sit under itself or one of its own sub-departments."}
                )
            seen.add(node.pk)
            node = node.parent


class Person(TimeStampedModel):
    """A person of the organisation: the profile behind a user account."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="person")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True, related_name="people")
    job_title = models.CharField(max_length=120, blank=True)
    manager = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports")
    phone = models.CharField(max_length=40, blank=True)
    invited_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the e-mail inviting this person to set a password was sent.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(condition=~models.Q(manager=models.F("id")), name="person_not_own_manager"),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("leadership:person-detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    def clean(self):
        node, seen = self.manager, set()
        while node is not None and node.pk not in seen:
            if self.pk and node.pk == self.pk:
                raise ValidationError({"manager": "A person cannot report to themselves, directly or through others."})
            seen.add(node.pk)
            node = node.manager


# Account changes (name, e-mail, active flag, roles) are part of the audit trail too.
register(get_user_model(), app="leadership", m2m_fields=["groups"], excluded_fields=["password", "last_login"])
