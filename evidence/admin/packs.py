"""Admin of evidence packs: read-only (packs are asked for and built through the services)."""

from django.contrib import admin

from evidence.models import EvidencePack
from qms.admin import ReadOnlyHistoryAdmin


@admin.register(EvidencePack)
class EvidencePackAdmin(ReadOnlyHistoryAdmin):
    list_display = ["reference", "period_start", "period_end", "requested_by", "status", "page_count", "created_at"]
    list_filter = ["status"]
    list_select_related = ["requested_by"]
    search_fields = ["reference", "sha256"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in EvidencePack._meta.fields] + ["departments"]
