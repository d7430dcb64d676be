from django.contrib import admin

from evidence.models.attachments import Attachment
from qms.admin import ReadOnlyHistoryAdmin


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyHistoryAdmin):
    """Read-only: attachments are added through the service (content checks) and never deleted."""

    list_display = ["original_name", "content_type", "object_id", "size", "uploaded_by", "created_at"]
    list_filter = ["content_type"]
    search_fields = ["original_name", "sha256", "description"]
    list_select_related = ["content_type", "uploaded_by"]
    readonly_fields = [
        "content_type",
        "object_id",
        "file",
        "original_name",
        "content_type_detected",
        "size",
        "sha256",
        "description",
        "uploaded_by",
        "created_at",
        "updated_at",
    ]
