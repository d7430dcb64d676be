"""Building blocks shared by every app's models: time stamps, e-signatures, notifications, the task outbox."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    """A record that knows when it was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        abstract = True


class Signature(models.Model):
    """An electronic signature: who signed which record, when, meaning what, and a hash of what they saw.

    Signatures are never changed or deleted; a record changed after signing no longer matches
    `content_sha256`, which is how tampering and later edits are detected.
    """

    class Meaning(models.TextChoices):
        AUTHORED = "authored", "Authored"
        REVIEWED = "reviewed", "Reviewed"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signatures")
    # Printed name and title as they were when signing: later renames do not alter the record.
    signer_name = models.CharField(max_length=300)
    signer_title = models.CharField(max_length=200, blank=True)
    meaning = models.CharField(max_length=20, choices=Meaning.choices)
    statement = models.CharField(max_length=300, help_text="What the signer declared, e.g. “I approve version 3”.")
    signed_at = models.DateTimeField(default=timezone.now, editable=False)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    record = GenericForeignKey("content_type", "object_id")
    content_sha256 = models.CharField(max_length=64, help_text="SHA-256 of the signed content, hex.")

    class Meta:
        ordering = ["signed_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(content_sha256__regex=r"^[0-9a-f]{64}$"), name="signature_sha256_hex"
            ),
        ]

    def __str__(self):
        return f"{self.get_meaning_display()} by {self.signer_name} on {self.signed_at:%Y-%m-%d %H:%M %Z}"


class Notification(models.Model):
    """A message sent to a person (in the app and by e-mail), kept so that nothing is sent twice.

    The unique constraint on (recipient, kind, subject_key, period) is what makes reminders
    idempotent: a task that runs twice, or on two beat processes, inserts once.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=60, help_text="What sort of message, e.g. policy-acknowledgement-reminder.")
    subject_key = models.CharField(max_length=120, help_text="The record it is about, e.g. leadership.policyversion:3.")
    period = models.CharField(max_length=20, help_text="The period it covers, e.g. 2026-W48; one message per period.")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_key", "period"], name="notification_once_per_period"
            ),
        ]

    def __str__(self):
        return self.title


class OutboxMessage(models.Model):
    """A background task to send, written in the same transaction as the change that calls for it.

    `qms.outbox` publishes the row right after commit; whatever the broker did not take stays
    here until the relay sends it. A row is sent at least once, always with the same task id.
    """

    task_name = models.CharField(max_length=200, help_text="The Celery task's registered name.")
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    task_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Who may publish it until when: the committing process first, then one relay at a time.
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["created_at"], condition=models.Q(sent_at__isnull=True), name="outbox_unsent_idx"),
        ]

    def __str__(self):
        return f"{self.task_name}{tuple(self.args)} ({'sent' if self.sent_at else 'waiting'})"
