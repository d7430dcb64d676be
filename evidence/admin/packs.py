"""Admin of evidence packs: read-only (packs are asked for and built through the services)."""

from django.contrib import admin

from evidence.models import EvidencePack
from qms.admin import HistoryAdmin


@admin.register(EvidencePack)
class EvidencePackAdmin(HistoryAdmin):
    list_display = ["reference", "period_start", "period_end", "requested_by", "status", "page_count", "created_at"]
    list_filter = ["status"]
    list_select_related = ["requested_by"]
    search_fields = ["reference", "sha256"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in EvidencePack._meta.fields] + ["departments"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
