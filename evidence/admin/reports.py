from django.contrib import admin

from evidence.models import WeeklyReport
from qms.admin import HistoryAdmin


@admin.register(WeeklyReport)
class WeeklyReportAdmin(HistoryAdmin):
    """Read-only: a report is written by the weekly task and frozen; its history is the trail."""

    list_display = ["week", "period_start", "period_end", "generated_at", "emailed_at", "sha256"]
    search_fields = ["week"]
    date_hierarchy = "period_start"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
