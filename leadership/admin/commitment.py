"""Admin of the leadership commitment log (5.1.1)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from leadership.models.commitment import CommitmentEntry


@admin.register(CommitmentEntry)
class CommitmentEntryAdmin(SimpleHistoryAdmin):
    list_display = ["date", "person", "source", "description"]
    list_filter = ["source"]
    search_fields = ["description", "person__user__last_name"]
    list_select_related = ["person__user"]
    date_hierarchy = "date"
    raw_id_fields = ["person", "recorded_by"]
