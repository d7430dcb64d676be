from django.contrib import admin

from evidence.models.attachments import Attachment
from qms.admin import HistoryAdmin


@admin.register(Attachment)
class AttachmentAdmin(HistoryAdmin):
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
