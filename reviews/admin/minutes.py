"""Admin of decisions and amendments: read-only, with their full history.

Decisions change only through the recording page and the API (numbering, the 9.3.3 rule, the lock
once signed); amendments are signed records and never change.
"""

from django.contrib import admin

from qms.admin import ReadOnlyHistoryAdmin
from reviews.models.meetings import Decision, MinutesAmendment


@admin.register(Decision)
class DecisionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["meeting", "number", "text", "output_category", "owner", "created_at"]
    list_filter = ["output_category", "meeting__type"]
    search_fields = ["text", "meeting__reference"]
    list_select_related = ["meeting", "owner__user"]
    readonly_fields = [f.name for f in Decision._meta.fields]


@admin.register(MinutesAmendment)
class MinutesAmendmentAdmin(ReadOnlyHistoryAdmin):
    list_display = ["meeting", "agenda_item", "decision", "author", "created_at"]
    search_fields = ["meeting__reference", "reason", "amended_text"]
    list_select_related = ["meeting", "agenda_item", "decision__meeting", "author"]
    readonly_fields = [f.name for f in MinutesAmendment._meta.fields]
