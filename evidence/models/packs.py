"""Evidence packs and every other document Clause5 issues, with their hashes, and the download log."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from qms.models import TimeStampedModel


class EvidencePack(TimeStampedModel):
    """An auditor's PDF of the evidence for a period, built in the background, kept with its SHA-256."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        BUILDING = "building", "Building"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    reference = models.CharField(max_length=20, unique=True, editable=False, help_text="e.g. EP-2026-004")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    clause_ids = models.JSONField(default=list, blank=True, help_text="Requirement ids to include; empty: all.")
    departments = models.ManyToManyField("leadership.Department", blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done, for the progress bar.")
    progress_note = models.CharField(max_length=200, blank=True, help_text="What the builder is doing now.")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to="packs/%Y/", max_length=255, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True, help_text="Bytes.")
    sha256 = models.CharField(max_length=64, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="Why building failed, in words.")

    history = HistoricalRecords(m2m_fields=[departments])

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("download_evidencepack", "Can download evidence packs")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="evidencepack_period_ordered",
                violation_error_message="period_end: the period must end on or after the day it starts.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ready") | ~models.Q(sha256=""),
                name="evidencepack_ready_has_hash",
            ),
        ]

    def __str__(self):
        return f"{self.reference} ({self.period_start} to {self.period_end})"

    def get_absolute_url(self):
        return reverse("evidence:pack-detail", args=[self.pk])


class IssuedDocument(models.Model):
    """A PDF Clause5 produced (pack, signed minutes, review report, policy, weekly report), by its SHA-256.

    The verification page looks a file or a hash up here: a match means the file is exactly what
    Clause5 issued, and says what and when.
    """

    class Kind(models.TextChoices):
        PACK = "pack", "Evidence pack"
        MINUTES = "minutes", "Signed minutes"
        REVIEW = "review", "Management review report"
        POLICY = "policy", "Quality policy"
        WEEKLY_REPORT = "weekly-report", "Weekly operation report"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    record = GenericForeignKey("content_type", "object_id")
    issued_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sha256__regex=r"^[0-9a-f]{64}$"), name="issueddocument_sha256_hex"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title} ({self.issued_at:%Y-%m-%d %H:%M})"


class DownloadLog(models.Model):
    """Who downloaded which evidence file (pack, attachment, issued document) and when. Never changed."""

    class Kind(models.TextChoices):
        PACK = "pack", "Evidence pack"
        ATTACHMENT = "attachment", "Attachment"
        DOCUMENT = "document", "Issued document"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    record = GenericForeignKey("content_type", "object_id")
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, blank=True)
    downloaded_at = models.DateTimeField(default=timezone.now, editable=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-downloaded_at", "-pk"]
        indexes = [models.Index(fields=["downloaded_at"]), models.Index(fields=["user", "downloaded_at"])]

    def __str__(self):
        return f"{self.user} downloaded {self.file_name} at {self.downloaded_at:%Y-%m-%d %H:%M}"
