"""Admin of the leadership commitment log (5.1.1)."""

from django.contrib import admin

from leadership.models.commitment import CommitmentEntry
from qms.admin import HistoryAdmin


@admin.register(CommitmentEntry)
class CommitmentEntryAdmin(HistoryAdmin):
    list_display = ["date", "person", "source", "description"]
    list_filter = ["source"]
    search_fields = ["description", "person__user__last_name"]
    list_select_related = ["person__user"]
    date_hierarchy = "date"
    raw_id_fields = ["person", "recorded_by"]
