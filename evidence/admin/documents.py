"""Admin of issued documents: record PDFs, the register of issued documents and the download log, all read-only."""

from django.contrib import admin

from evidence.models import DownloadLog, IssuedDocument, RecordPdf
from qms.admin import ReadOnlyAdminMixin, ReadOnlyHistoryAdmin


@admin.register(RecordPdf)
class RecordPdfAdmin(ReadOnlyHistoryAdmin):
    list_display = ["kind", "content_type", "object_id", "status", "rendered_at", "size", "sha256", "requested_by"]
    list_filter = ["kind", "status"]
    list_select_related = ["content_type", "requested_by"]
    search_fields = ["sha256", "object_id"]
    date_hierarchy = "requested_at"


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["issued_at", "kind", "title", "issued_to", "size", "sha256"]
    list_filter = ["kind"]
    list_select_related = ["issued_to"]
    search_fields = ["title", "sha256"]
    date_hierarchy = "issued_at"


@admin.register(DownloadLog)
class DownloadLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["downloaded_at", "user", "kind", "file_name", "sha256", "ip_address"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    search_fields = ["file_name", "sha256", "user__username", "user__last_name"]
    date_hierarchy = "downloaded_at"
