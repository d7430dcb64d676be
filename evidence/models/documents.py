"""The stored PDFs of single records (signed minutes, management review reports), reused until the record changes."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from qms.models import TimeStampedModel


class RecordPdf(TimeStampedModel):
    """The current PDF of one record, rendered in the background and kept until what it shows changes.

    `source_hash` is the SHA-256 of the document's content before rendering (everything printed
    except the time it was produced): asking again for an unchanged record hands out the same
    file, a changed record (an amendment, an action closed, a signature) is rendered again.
    """

    class Kind(models.TextChoices):
        MINUTES = "minutes", "Signed minutes"
        REVIEW = "review", "Management review report"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    record = GenericForeignKey("content_type", "object_id")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    source_hash = models.CharField(
        max_length=64, help_text="SHA-256 of what the PDF shows (before rendering): a change means a new PDF."
    )
    file = models.FileField(upload_to="documents/%Y/", max_length=255, blank=True)
    sha256 = models.CharField("PDF SHA-256", max_length=64, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True, help_text="Bytes.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    rendered_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="Why rendering failed, in words.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = "record PDF"
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "kind"], name="recordpdf_one_per_record"),
            models.CheckConstraint(
                condition=models.Q(source_hash__regex=r"^[0-9a-f]{64}$"), name="recordpdf_source_hash_hex"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ready") | (models.Q(sha256__regex=r"^[0-9a-f]{64}$") & ~models.Q(file="")),
                name="recordpdf_ready_has_file",
            ),
        ]

    def __str__(self):
        kind, status = self.get_kind_display(), self.get_status_display()
        return f"{kind} PDF of {self.content_type.model} #{self.object_id} ({status})"

    @property
    def in_progress(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RENDERING}
