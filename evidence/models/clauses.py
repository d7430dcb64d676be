"""The ISO 9001 clause catalogue and the hand-made links of records to its requirement items."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from qms.models import TimeStampedModel

# "5.1.1.a", "5.3.e", "9.3.1", "9.3.2.c.4": clause numbers, then at most two item letters/digits.
CLAUSE_ID_PATTERN = r"^[0-9]+(\.[0-9]+)+(\.[a-z](\.[0-9]+)?)?$"


class Clause(TimeStampedModel):
    """One requirement item of ISO 9001 (e.g. 5.2.1.a) that Clause5 keeps evidence for.

    The rows are reference data, loaded from `qms.iso.REQUIREMENTS` by data migrations only:
    when `qms/iso.py` changes, a new migration with the new snapshot applies the change (a test
    fails until it exists). Nothing in the application writes them.
    """

    id = models.CharField(primary_key=True, max_length=20, help_text="The id auditors use, e.g. 5.2.1.a.")
    group = models.CharField(max_length=10, help_text="The clause the item belongs to, e.g. 5.1.1.")
    group_title = models.CharField(max_length=200)
    text = models.CharField(max_length=300, help_text="What the item asks, paraphrased.")
    expected_evidence = models.CharField(max_length=300, help_text="The evidence an auditor expects to see.")
    order = models.PositiveSmallIntegerField(unique=True, help_text="Position in the catalogue.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.CheckConstraint(condition=models.Q(id__regex=CLAUSE_ID_PATTERN), name="clause_id_format"),
            models.CheckConstraint(condition=models.Q(id__startswith=models.F("group")), name="clause_id_within_group"),
        ]

    def __str__(self):
        return f"{self.id} {self.text}"

    def get_absolute_url(self):
        return reverse("evidence:clause-detail", args=[self.id])


class EvidenceTagQuerySet(models.QuerySet):
    def active(self):
        """Tags in force: not removed."""
        return self.filter(removed_at__isnull=True)


class EvidenceTag(TimeStampedModel):
    """A person's statement that a record evidences a requirement item the automatic mapping does not cover.

    Tags are never deleted: removing one stamps who removed it, when and why, and the tag stays
    in the clause's trail.
    """

    clause = models.ForeignKey(Clause, on_delete=models.PROTECT, related_name="tags")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    record = GenericForeignKey("content_type", "object_id")
    note = models.TextField(help_text="Why this record evidences the requirement.")
    tagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    tagged_at = models.DateTimeField(default=timezone.now)
    # Set by evidence_tag_remove only; editable in Django's sense so the history shows the removal.
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removal_reason = models.TextField(blank=True)

    objects = EvidenceTagQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-tagged_at", "-pk"]
        verbose_name = "evidence tag"
        indexes = [models.Index(fields=["content_type", "object_id"], name="evidencetag_record")]
        constraints = [
            # A record is tagged to an item once at a time; after a removal it may be tagged again.
            models.UniqueConstraint(
                fields=["clause", "content_type", "object_id"],
                condition=models.Q(removed_at__isnull=True),
                name="evidencetag_once_per_clause_record",
                violation_error_message="This record is already tagged as evidence of this requirement.",
            ),
            models.CheckConstraint(
                condition=models.Q(removed_at__isnull=True, removed_by__isnull=True, removal_reason="")
                | models.Q(removed_at__isnull=False, removed_by__isnull=False) & ~models.Q(removal_reason=""),
                name="evidencetag_removal_complete",
                violation_error_message="A removal records who removed the tag, when and why.",
            ),
        ]

    def __str__(self):
        return f"{self.clause_id}: {self.content_type.app_label}.{self.content_type.model} #{self.object_id}"

    def get_absolute_url(self):
        return reverse("evidence:clause-detail", args=[self.clause_id])

    @property
    def is_active(self) -> bool:
        return self.removed_at is None
