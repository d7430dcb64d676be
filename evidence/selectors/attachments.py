"""Reads for audit evidence."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from evidence.models.attachments import Attachment


def attachment_list_for(record) -> QuerySet[Attachment]:
    """A record's attachments, newest first, with who uploaded each: one query."""
    return (
        Attachment.objects.filter(content_type=ContentType.objects.get_for_model(record), object_id=str(record.pk))
        .select_related("uploaded_by")
        .order_by("-created_at", "-pk")
    )


def attachment_for_download(pk: int) -> Attachment:
    """One attachment with the content type of its record, for the permission check."""
    return Attachment.objects.select_related("content_type").get(pk=pk)
