"""Admin of personal calendar feeds: who has one, when it was last fetched, and turning one off.

Tokens are secrets: the admin shows only their first characters, in lists and on the record.
Feeds are created by their owners on "My calendar", never here. The model keeps no history of
its own (turning a feed off is the only change, and it is stamped in `revoked_at`), so this is a
plain ModelAdmin rather than a SimpleHistoryAdmin.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from qms.exceptions import ApplicationError
from reviews.models.calendar import CalendarFeed
from reviews.services.calendar import calendar_feed_revoke

TOKEN_HINT_LENGTH = 6


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", "Working"), ("revoked", "Turned off")]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "token_hint", "state", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["user"]
    list_filter = [StateFilter, "created_at", "last_used_at"]
    # Not the token: searching by it would let anyone who reads the list confirm a guessed URL.
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    date_hierarchy = "created_at"
    fields = ["user", "token_hint", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke"]
    ordering = ["-created_at", "-pk"]

    @admin.display(description="token")
    def token_hint(self, feed: CalendarFeed) -> str:
        return f"{feed.token[:TOKEN_HINT_LENGTH]}…"

    @admin.display(description="state")
    def state(self, feed: CalendarFeed) -> str:
        return "turned off" if feed.revoked_at else "working"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Read-only record; the revoke action needs the change permission and checks it itself.
        return False

    @admin.action(description="Turn off the selected feeds (their URLs stop working)", permissions=["revoke"])
    def revoke(self, request, queryset):
        done = 0
        for feed in queryset.filter(revoked_at__isnull=True).select_related("user"):
            try:
                calendar_feed_revoke(actor=request.user, feed=feed)
            except (ApplicationError, PermissionDenied) as exc:
                self.message_user(request, f"{feed}: {exc}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, f"{done} feed{'s' if done != 1 else ''} turned off.", messages.SUCCESS)

    def has_revoke_permission(self, request):
        return request.user.has_perm("reviews.change_calendarfeed")
