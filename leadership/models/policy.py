"""Models of the quality policy (5.2): versions, approval, publication, acknowledgements, shared copies."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from qms.models import TimeStampedModel
from qms.signatures import canonical_text

# The four elements of 5.2.1 the author confirms before submitting: (field, requirement id, wording).
CONFIRMATIONS: tuple[tuple[str, str, str], ...] = (
    (
        "confirms_purpose_and_strategy",
        "5.2.1.a",
        "fits the purpose and context of the organisation and supports its strategic direction",
    ),
    ("confirms_objectives_framework", "5.2.1.b", "provides a framework for setting quality objectives"),
    ("confirms_requirements_commitment", "5.2.1.c", "includes a commitment to satisfy applicable requirements"),
    (
        "confirms_improvement_commitment",
        "5.2.1.d",
        "includes a commitment to continual improvement of the quality management system",
    ),
)
CONFIRMATION_FIELDS = tuple(field for field, _id, _text in CONFIRMATIONS)


class PolicyVersion(TimeStampedModel):
    """A version of the quality policy, from draft to superseded."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for approval"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded"

    # What a policy version evidences: the policy itself (5.2.1), kept and approved (5.2.2.a).
    REQUIREMENT_IDS = ("5.2.1.a", "5.2.1.b", "5.2.1.c", "5.2.1.d", "5.2.2.a")

    number = models.PositiveIntegerField(unique=True, help_text="1 for the first version, then +1.")
    title = models.CharField(max_length=200, default="Quality policy")
    text = models.TextField(help_text="The policy as staff and interested parties read it.")
    change_summary = models.TextField(
        "summary of changes", blank=True, help_text="What changed from the previous version, and why."
    )
    strategy_context = models.TextField(
        "strategy and context",
        blank=True,
        help_text="The purpose, context and strategic direction this policy fits (5.2.1.a).",
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The version this one was copied from.",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Lifecycle fields stay "editable" for Django so that the change history shows them; forms,
    # serializers and the admin list what may be typed in, and only the services set these.
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)

    confirms_purpose_and_strategy = models.BooleanField(
        "5.2.1.a fits purpose and context, supports strategy", default=False
    )
    confirms_objectives_framework = models.BooleanField("5.2.1.b framework for quality objectives", default=False)
    confirms_requirements_commitment = models.BooleanField(
        "5.2.1.c commitment to satisfy applicable requirements", default=False
    )
    confirms_improvement_commitment = models.BooleanField("5.2.1.d commitment to continual improvement", default=False)

    submitted_at = models.DateTimeField(null=True, blank=True)
    # Foreign keys rather than one-to-one: each signature is made for this version only, and the
    # change history names a signature it points at ("Approved by ... on ...").
    author_signature = models.ForeignKey(
        "qms.Signature", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approval_signature = models.ForeignKey(
        "qms.Signature", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The last rejection; every earlier one stays in the history.
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rejection_reason = models.TextField(blank=True)
    published_at = models.DateTimeField("effective from", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The controlled PDF copy, rendered once in the background when the version is published.
    # Served only through views that check permission or a share token, never from a media URL.
    pdf = models.FileField(upload_to="policy/", blank=True)
    pdf_sha256 = models.CharField("PDF SHA-256", max_length=64, blank=True)
    pdf_rendered_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-number"]
        verbose_name = "policy version"
        permissions = [
            ("approve_policyversion", "Can approve a quality policy version"),
            ("publish_policyversion", "Can publish a quality policy version"),
            ("share_policyversion", "Can create and revoke public links to the published policy"),
        ]
        constraints = [
            # Staff and interested parties must never see two policies in force.
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="published"),
                name="policyversion_one_published",
                violation_error_message="Another version is already published.",
            ),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="policyversion_number_positive"),
            models.CheckConstraint(
                condition=models.Q(pdf_sha256="") | models.Q(pdf_sha256__regex=r"^[0-9a-f]{64}$"),
                name="policyversion_pdf_sha256_hex",
            ),
            # Approved, published and superseded versions always carry their approval signature.
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "submitted"]) | models.Q(approval_signature__isnull=False),
                name="policyversion_approved_is_signed",
            ),
        ]

    def __str__(self):
        return f"Version {self.number}: {self.title}"

    def get_absolute_url(self):
        return reverse("leadership:policy-version-detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_locked(self) -> bool:
        """Approved, published or superseded: the content can no longer change."""
        return self.status in {self.Status.APPROVED, self.Status.PUBLISHED, self.Status.SUPERSEDED}

    def confirmations(self) -> list[dict]:
        """The 5.2.1 confirmations with their requirement ids and whether each is given."""
        return [
            {"field": field, "requirement_id": req, "text": text, "confirmed": getattr(self, field)}
            for field, req, text in CONFIRMATIONS
        ]

    def missing_confirmations(self) -> list[str]:
        return [field for field in CONFIRMATION_FIELDS if not getattr(self, field)]

    def signed_content(self) -> str:
        """The canonical text that the author and the approver sign: what staff will be held to."""
        return canonical_text(
            {
                "number": self.number,
                "title": self.title,
                "text": self.text,
                **{field: getattr(self, field) for field in CONFIRMATION_FIELDS},
            }
        )


class PolicyAcknowledgement(TimeStampedModel):
    """A person's statement that they have read and understood one version of the quality policy."""

    REQUIREMENT_IDS = ("5.2.2.b",)

    person = models.ForeignKey("leadership.Person", on_delete=models.PROTECT, related_name="policy_acknowledgements")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="acknowledgements")
    acknowledged_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-acknowledged_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "version"],
                name="policyacknowledgement_once_per_person_version",
                violation_error_message="This person has already acknowledged this version.",
            ),
        ]

    def __str__(self):
        return f"{self.person} acknowledged version {self.version.number}"


class PolicyShareLink(TimeStampedModel):
    """A public link that lets an interested party read the published policy without an account (5.2.2.c)."""

    REQUIREMENT_IDS = ("5.2.2.c",)

    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="share_links")
    token = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=120, help_text="Where the link is used, e.g. “Company website”.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["token"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "policy share link"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | models.Q(revoked_at__isnull=False),
                name="policysharelink_revoked_consistent",
            ),
        ]

    def __str__(self):
        return f"{self.label} (version {self.version.number})"

    def get_absolute_url(self):
        return reverse("leadership:policy-public", args=[self.token])

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
