"""Admin of the employee quality feedback box (5.1.1.h)."""

from django.contrib import admin

from leadership.models.feedback import EmployeeFeedback
from qms.admin import HistoryAdmin


@admin.register(EmployeeFeedback)
class EmployeeFeedbackAdmin(HistoryAdmin):
    """Read-only: feedback is written through the app, so that anonymity and the answer rules hold."""

    list_display = ["reference", "kind", "title", "department", "reporter_shown", "submitted_at", "status"]
    list_filter = ["status", "kind", "anonymous"]
    search_fields = ["reference", "title"]
    list_select_related = ["department", "reporter__user"]
    date_hierarchy = "submitted_at"
    # The code's hash is of no use to anyone reading the record.
    exclude = ["followup_code_hash"]

    @admin.display(description="From")
    def reporter_shown(self, obj):
        return "Anonymous" if obj.anonymous else obj.reporter

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in EmployeeFeedback._meta.fields if f.name != "followup_code_hash"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
