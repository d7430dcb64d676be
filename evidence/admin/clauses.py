"""Admin of the clause catalogue and the evidence tags: both read-only.

The catalogue is loaded by migrations; tags are made and removed through the services, which
check the record and keep the removal's reason. The admin shows them with their history.
"""

from django.contrib import admin

from evidence.models.clauses import Clause, EvidenceTag
from qms.admin import ReadOnlyHistoryAdmin


@admin.register(Clause)
class ClauseAdmin(ReadOnlyHistoryAdmin):
    list_display = ["id", "group", "text", "expected_evidence"]
    list_filter = ["group"]
    search_fields = ["id", "text", "expected_evidence"]
    readonly_fields = ["id", "group", "group_title", "text", "expected_evidence", "order", "created_at", "updated_at"]


@admin.register(EvidenceTag)
class EvidenceTagAdmin(ReadOnlyHistoryAdmin):
    list_display = ["clause", "content_type", "object_id", "tagged_by", "tagged_at", "removed_at"]
    list_filter = ["clause__group", "content_type", ("removed_at", admin.EmptyFieldListFilter)]
    search_fields = ["clause__id", "object_id", "note", "removal_reason"]
    list_select_related = ["clause", "content_type", "tagged_by"]
    readonly_fields = [
        "clause",
        "content_type",
        "object_id",
        "note",
        "tagged_by",
        "tagged_at",
        "removed_at",
        "removed_by",
        "removal_reason",
        "created_at",
        "updated_at",
    ]
