from django.contrib import admin

from evidence.models import AuditorAccess
from qms.admin import ReadOnlyHistoryAdmin


@admin.register(AuditorAccess)
class AuditorAccessAdmin(ReadOnlyHistoryAdmin):
    list_display = ["user", "organisation", "valid_from", "valid_until", "granted_by"]
    list_select_related = ["user", "granted_by"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organisation"]
    date_hierarchy = "valid_until"

    # Read-only: periods are granted on the auditor access pages, whose services check the role
    # and the length; the history shows every change.
