"""Audit evidence: files attached to any record of the quality management system."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from qms.models import TimeStampedModel


class Attachment(TimeStampedModel):
    """A file kept as evidence for a record (minutes, a signed form, a photo of a notice board)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    record = GenericForeignKey("content_type", "object_id")
    # Stored under a random name: the user's name only ever appears in original_name.
    file = models.FileField(upload_to="attachments/%Y/%m/", max_length=255)
    original_name = models.CharField(max_length=150, help_text="The file's name as uploaded, without any folder.")
    content_type_detected = models.CharField(max_length=120, help_text="MIME type found in the file's content.")
    size = models.PositiveBigIntegerField(help_text="Bytes.")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the file's content, hex.")
    description = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(sha256__regex=r"^[0-9a-f]{64}$"), name="attachment_sha256_hex"),
            models.CheckConstraint(condition=models.Q(size__gt=0), name="attachment_size_positive"),
        ]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("evidence:attachment-download", args=[self.pk])

    @property
    def sha256_short(self) -> str:
        return self.sha256[:12]
