"""Admin of the action register: a read-only view with the full history.

Actions change only through the services (the pages and the API), which enforce the lifecycle
and the rule that nobody verifies their own action; the admin would bypass both, so it only reads.
"""

from django.contrib import admin

from qms.admin import ReadOnlyHistoryAdmin
from reviews.models.actions import Action


@admin.register(Action)
class ActionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["reference", "title", "source", "owner", "department", "priority", "status", "due_date"]
    list_filter = ["status", "source", "priority", "department"]
    search_fields = ["reference", "title", "description", "completion_note", "verification_note"]
    list_select_related = ["owner__user", "department"]
    date_hierarchy = "due_date"
    readonly_fields = [f.name for f in Action._meta.fields]
