"""Admin of resource requests and the quality budget (5.1.1.e, 7.1)."""

from django.contrib import admin

from leadership.models.resources import QualityBudget, ResourceRequest, ResourceSpend
from qms.admin import HistoryAdmin


class ResourceSpendInline(admin.TabularInline):
    model = ResourceSpend
    extra = 0
    fields = ["date", "amount", "note", "recorded_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Spending goes through the service, which checks that the request is approved.
        return False


@admin.register(ResourceRequest)
class ResourceRequestAdmin(HistoryAdmin):
    list_display = ["reference", "title", "category", "amount", "currency", "requester", "needed_by", "status"]
    list_filter = ["status", "category"]
    search_fields = ["reference", "title", "requester__user__last_name"]
    list_select_related = ["requester__user"]
    date_hierarchy = "needed_by"
    inlines = [ResourceSpendInline]
    # Decisions are e-signed through the app; the admin shows them but cannot forge or alter them.
    readonly_fields = [
        "reference",
        "status",
        "requirement_ids",
        "decision_reason",
        "decided_at",
        "decided_by",
        "decision_signature",
    ]
    autocomplete_fields = ["requester", "department"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != ResourceRequest.Status.SUBMITTED:
            return [f.name for f in ResourceRequest._meta.fields]
        return self.readonly_fields

    def has_add_permission(self, request):
        # New requests get their reference and notifications from the service (the app's form).
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(QualityBudget)
class QualityBudgetAdmin(HistoryAdmin):
    list_display = ["year", "category", "planned_amount", "currency"]
    list_filter = ["year", "category"]

    def has_delete_permission(self, request, obj=None):
        return False
