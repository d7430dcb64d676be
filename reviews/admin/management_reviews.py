"""Admin of management reviews and their inputs, with their full history.

A review is prepared, compiled, frozen and signed through the services (the pages and the API),
which keep the frozen data and the signature right. Here only the conclusions of a review that
is not signed may be corrected; a signed review and every input are read-only.
"""

from django.contrib import admin

from qms.admin import HistoryAdmin, ReadOnlyHistoryAdmin
from reviews.models.management_reviews import ManagementReview, ReviewInput

CONCLUSIONS = ["suitability", "adequacy", "effectiveness", "strategic_alignment"]
READ_ONLY = [
    "meeting",
    "period_start",
    "period_end",
    "status",
    "compiled_at",
    "frozen_at",
    "signed_at",
    "signature",
]


class ReviewInputInline(admin.TabularInline):
    model = ReviewInput
    fields = ["item", "note", "compiled_at", "updated_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ManagementReview)
class ManagementReviewAdmin(HistoryAdmin):
    list_display = ["meeting", "period_start", "period_end", "status", "frozen_at", "signed_at"]
    list_filter = ["status"]
    search_fields = ["meeting__reference", "meeting__title"]
    list_select_related = ["meeting"]
    fields = [*READ_ONLY, *CONCLUSIONS]
    inlines = [ReviewInputInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == ManagementReview.Status.SIGNED:
            return [*READ_ONLY, *CONCLUSIONS]
        return READ_ONLY

    def has_add_permission(self, request):
        # A review needs its meeting, agenda and compiled inputs: prepare it in the app.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewInput)
class ReviewInputAdmin(ReadOnlyHistoryAdmin):
    list_display = ["review", "item", "compiled_at", "updated_at"]
    list_filter = ["item"]
    search_fields = ["review__meeting__reference", "note"]
    list_select_related = ["review__meeting"]
    readonly_fields = ["review", "item", "data", "entries", "note", "compiled_at", "updated_by"]
