from django.contrib import admin

from evidence.models import WeeklyReport
from qms.admin import ReadOnlyHistoryAdmin


@admin.register(WeeklyReport)
class WeeklyReportAdmin(ReadOnlyHistoryAdmin):
    """Read-only: a report is written by the weekly task and frozen; its history is the trail."""

    list_display = ["week", "period_start", "period_end", "generated_at", "emailed_at", "sha256"]
    search_fields = ["week"]
    date_hierarchy = "period_start"
